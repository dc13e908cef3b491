/**
 * JSON.parse for a large request body, without making its long string values twice.
 *
 * Why: V8's JSON.parse copies a string value out of the source text, so a 1 MiB body made two 1 MiB strings, the
 * body text and the value. The copy's allocation usually started a scavenge while the body text was still alive,
 * which promoted the body text to old space; V8 lets old space grow to about four times what is live before it
 * collects it, so refused 1 MiB requests raised RSS by 35–68 MiB (docs/contributing/benchmarks.md, "Memory under
 * refused requests"; issue 10 asks for ≤ 64). No KMS member takes 64 KiB, so such values only appear in bodies that
 * are refused, whose messages quote them (validationMessages.ts).
 *
 * How: the body's long, plain string values (no escape, no control character) are cut out of the text, JSON.parse
 * reads the short text that is left, and each value is decoded once, straight from the body's bytes. A string
 * keeps its place and its kind (a string in the same position), so the short text is valid JSON exactly when
 * the body is, and the parsed value is the same.
 */
import { randomUUID } from 'node:crypto';

/** Bodies this large or larger go through parseLargeJson; a value this long or longer is cut out. */
export const LARGE_JSON_BYTES = 64 * 1024;

/** Stands in for a cut-out value; the process's random part keeps it from being a value a client sent. */
const PLACEHOLDER_PREFIX = `\u0000kmslite-long-value-${randomUUID()}-`;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * JSON.parse of a UTF-8 body (already checked to be valid UTF-8): the same result, and it throws when JSON.parse
 * throws. `minValueBytes` is the length from which a value is cut out (tests use short ones).
 */
export function parseLargeJson(body: Buffer, minValueBytes = LARGE_JSON_BYTES): unknown {
  const values = longStringValues(body, minValueBytes);
  if (values.length === 0) return JSON.parse(body.toString('utf8'));
  const parts: string[] = [];
  let at = 0;
  values.forEach(([start, end], index) => {
    parts.push(body.toString('utf8', at, start), JSON.stringify(PLACEHOLDER_PREFIX + index));
    at = end;
  });
  parts.push(body.toString('utf8', at));
  return JSON.parse(parts.join(''), (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(PLACEHOLDER_PREFIX)) return value;
    const [start, end] = values[Number(value.slice(PLACEHOLDER_PREFIX.length))]!;
    return body.toString('utf8', start + 1, end - 1);
  });
}

/**
 * The byte ranges [opening quote, after closing quote) of the string values of minValueBytes or more that hold
 * no escape and no control character. Only values (after `:`, `[`, or `,` inside an array): a member name stays
 * in the text. An unterminated string ends the scan with no ranges (JSON.parse then refuses the whole text).
 */
function longStringValues(body: Buffer, minValueBytes: number): [number, number][] {
  const ranges: [number, number][] = [];
  const containers: number[] = [];
  let previous = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte === QUOTE) {
      const start = i;
      let plain = true;
      for (i++; i < body.length && body[i] !== QUOTE; i++) {
        const inner = body[i]!;
        if (inner === BACKSLASH) {
          plain = false;
          i++;
        } else if (inner < 0x20) plain = false;
      }
      if (i >= body.length) return [];
      const isValue = previous === COLON || previous === OPEN_BRACKET || (previous === COMMA && containers.at(-1) === OPEN_BRACKET);
      if (plain && isValue && i - start - 1 >= minValueBytes) ranges.push([start, i + 1]);
      previous = QUOTE;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      containers.push(byte);
      previous = byte;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      containers.pop();
      previous = byte;
    } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
      previous = byte;
    }
  }
  return ranges;
}
