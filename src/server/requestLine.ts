/**
 * The per-request log line, written as one preformatted string: the same bytes pino writes for
 * `logger.info({ ...log, status, durationMs }, 'request')` with kmslite's options (level and ISO time first, no
 * base fields, `msg` last), without pino's generic serialiser, the merged object or a Date per line. At the
 * default level every request writes one, so its cost is per request (issue 12: ≤ 10 % of throughput).
 * test/protocol/requestLine.test.ts compares the output with pino's for the same fields.
 */
import type { RequestLog } from './pipeline.js';

const INFO_PREFIX = '{"level":30,"time":"';

let lastTimeMs = NaN;
let lastTimeText = '';

/** pino's isoTime text for `nowMs`, made once per millisecond. */
export function isoTimeText(nowMs: number): string {
  if (nowMs !== lastTimeMs) {
    lastTimeMs = nowMs;
    lastTimeText = isoTime(nowMs);
  }
  return lastTimeText;
}

const twoDigits = (value: number): string => (value < 10 ? '0' + value : '' + value);

/**
 * `new Date(ms).toISOString()`, made from the UTC getters: a process's first toISOString() costs about 1 ms (V8 sets
 * something up on first use; the getters cost 0.01 ms), and the start-up line is the first (docs/contributing/
 * benchmarks.md, "Seventh pass: cold start"). Years outside 1000–9999 are left to toISOString (its ±YYYYYY form).
 */
export function isoTime(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const millis = date.getUTCMilliseconds();
  return (
    year +
    '-' +
    twoDigits(date.getUTCMonth() + 1) +
    '-' +
    twoDigits(date.getUTCDate()) +
    'T' +
    twoDigits(date.getUTCHours()) +
    ':' +
    twoDigits(date.getUTCMinutes()) +
    ':' +
    twoDigits(date.getUTCSeconds()) +
    '.' +
    (millis < 10 ? '00' : millis < 100 ? '0' : '') +
    millis +
    'Z'
  );
}

/**
 * `log`'s fields (undefined ones left out, as pino does), then status and durationMs. Named one by one, not walked
 * with for…in (slower per line): the pipeline sets them in this order (RequestLog), so it is the object's own order.
 */
export function formatRequestLine(log: RequestLog, status: number, durationMs: number, timeText: string): string {
  let line = INFO_PREFIX + timeText + '","requestId":' + jsonString(log.requestId);
  if (log.operation !== undefined) line += ',"operation":' + jsonString(log.operation);
  if (log.accountId !== undefined) line += ',"accountId":' + jsonString(log.accountId);
  if (log.region !== undefined) line += ',"region":' + jsonString(log.region);
  if (log.keyId !== undefined) line += ',"keyId":' + jsonString(log.keyId);
  if (log.error !== undefined) line += ',"error":' + jsonString(log.error);
  if (log.errorMessage !== undefined) line += ',"errorMessage":' + jsonString(log.errorMessage);
  return line + ',"status":' + status + ',"durationMs":' + (Number.isFinite(durationMs) ? durationMs : 'null') + ',"msg":"request"}\n';
}

/**
 * pino's line for `logger.info(fields, msg)` with kmslite's options, for fields whose values are strings, booleans
 * or null: the CLI's "kmslite listening" line. Written this way so that the default level does not load pino
 * before the first answer (docs/contributing/benchmarks.md, "Fifth pass: cold start"); test/protocol/requestLine.test.ts
 * compares it with pino's line for the same fields.
 */
export function formatInfoLine(fields: Readonly<Record<string, string | boolean | null>>, msg: string, timeText: string): string {
  let line = INFO_PREFIX + timeText + '"';
  for (const [name, value] of Object.entries(fields)) line += ',' + jsonString(name) + ':' + (typeof value === 'string' ? jsonString(value) : String(value));
  return line + ',"msg":' + jsonString(msg) + '}\n';
}

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** No quote, backslash or control character (code units: a lone surrogate passes, as in the loop below). */
const NOTHING_TO_ESCAPE = /^[^"\\\u0000-\u001f]*$/;

/**
 * pino's string rendering (pino/lib/tools.js `asString`): JSON.stringify on Node ≥ 25; before, quotes and
 * backslashes escaped by hand for strings up to 100 characters without control characters (so a lone surrogate
 * is written as it is, not as `\ud800`), JSON.stringify otherwise. Kept identical so the line does not change.
 */
function jsonString(text: string): string {
  if (NODE_MAJOR >= 25 || text.length > 100) return JSON.stringify(text);
  // The usual field (an id, an ARN, a Region) has nothing to escape: one regular expression test, about half the
  // cost of the loop below for a line's five fields (0.2 µs a line).
  if (NOTHING_TO_ESCAPE.test(text)) return '"' + text + '"';
  let result = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32) return JSON.stringify(text);
    if (code === 34 || code === 92) {
      result += text.slice(last, i) + '\\';
      last = i;
    }
  }
  return last === 0 && result === '' ? '"' + text + '"' : '"' + result + text.slice(last) + '"';
}
