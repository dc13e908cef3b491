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

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return original.getTime() / 1000;
  if (Buffer.isBuffer(original)) return original.toString('base64');
  if (original instanceof Map) return Object.fromEntries(original);
  return value;
}

export function encodeOutput(output: object): string {
  return JSON.stringify(output, replacer);
}
