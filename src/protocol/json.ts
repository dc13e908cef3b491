/**
 * AWS JSON 1.1 framing: target parsing and output encoding. Blobs (Buffers) become standard base64 and
 * timestamps (Dates) become JSON numbers of epoch seconds, fractions allowed (SDK v3 throws on ISO strings).
 * Members that are undefined are absent, never null.
 */
import { OPERATION_NAMES, type OperationName } from '../model/generated/operations.js';

const TARGET_PREFIX = 'TrentService.';
const OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES);

/** `TrentService.Encrypt` → `Encrypt`; undefined for anything else. */
export function parseTarget(target: string | undefined): OperationName | undefined {
  if (!target || !target.startsWith(TARGET_PREFIX)) return undefined;
  const name = target.slice(TARGET_PREFIX.length);
  return OPERATIONS.has(name) ? (name as OperationName) : undefined;
}

/**
 * Blobs and timestamps are converted in a walk before JSON.stringify: a replacer function would run after
 * Buffer.prototype.toJSON has already turned every blob into an array of numbers.
 */
function toWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return toWire(Object.fromEntries(value));
  if (Array.isArray(value)) return value.map(toWire);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = toWire(member);
  }
  return out;
}

/**
 * The answer's JSON text: `JSON.stringify(toWire(output))`, byte for byte. Every answer goes through here, so the
 * usual shapes (plain objects, arrays, strings, numbers, booleans, null, Buffers, Dates) are written directly as
 * text, without toWire's copy of every object (a generic for…in walk that allocates a second tree); anything else
 * (a Map, a class instance, a function…) is left to the generic path. test/unit/encodeOutput.test.ts compares
 * the two on generated values.
 */
export function encodeOutput(output: object): string {
  try {
    return jsonText(output);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return genericOutputText(output);
  }
}

/** The generic rendering encodeOutput must equal (exported for the test that compares them). */
export function genericOutputText(output: object): string {
  return JSON.stringify(toWire(output));
}

/** Thrown by jsonText for a value only the generic path renders as JSON.stringify(toWire(…)) does. */
const NOT_PLAIN = new Error('not a plain value');
/** Characters JSON.stringify escapes (quote, backslash, controls, lone surrogates; pairs are left to it as well). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Whether JSON.stringify would escape a character of `text` (otherwise its JSON text is the text in quotes). */
export function needsJsonEscape(text: string): boolean {
  return NEEDS_ESCAPE.test(text);
}

function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

function jsonText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? '' + value : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw NOT_PLAIN;
  }
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return '"' + value.toString('base64') + '"';
  if (value instanceof Date) return jsonText(value.getTime() / 1000);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += (i === 0 ? '' : ',') + (item === undefined ? 'null' : jsonText(item));
    }
    return text + ']';
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
  let text = '{';
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    // toWire's copy assigns `out[key]`, and an own `__proto__` member set that way never reaches JSON.stringify.
    if (member === undefined || key === '__proto__') continue;
    text += (text.length === 1 ? '' : ',') + jsonString(key) + ':' + jsonText(member);
  }
  return text + '}';
}
