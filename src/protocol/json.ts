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

export function encodeOutput(output: object): string {
  return JSON.stringify(toWire(output));
}
