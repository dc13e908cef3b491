/**
 * Request decoding and validation, AWS JSON 1.1 / Coral style, in two phases (the order is behaviour):
 *
 * 1. Type phase (hand-walks src/model/generated/shapes.ts): drops members the model does not have and JSON
 *    nulls, converts base64 blobs to Buffer and epoch-second timestamps to Date, and throws a
 *    SerializationException with Coral/Jackson's text at the first member of the wrong JSON type
 *    (texts from kinesalite, verified against AWS Kinesis, also a Coral JSON 1.1 service).
 * 2. Constraint phase: the precompiled ajv validator of the operation (src/model/generated/validators.ts,
 *    model constraints plus model/overrides.json), plus blob byte lengths (ajv sees Buffers, not bytes).
 *    All violations become Coral messages, sorted by member declaration order (depth first, list items
 *    in index order), capped at 10:
 *      `2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: ...; Value ...`
 *    Then the op-specific rules of model/overrides.json (src/model/overrides.ts).
 *    The messages of this phase are built in validationMessages.ts.
 *
 * The happy path allocates the decoded values (and a small Trail per nested container), no closures and no
 * path strings; those are built only when a violation is reported.
 */
import { errors, messageText, type KmsError } from './errors.js';
import type { OperationName } from '../model/generated/operations.js';
import { BLOB_VALUE_RENDERING, INPUT_SHAPES, type MemberDesc, type ShapeDesc } from '../model/generated/shapes.js';
import { VALIDATORS } from '../model/generated/validators.js';
import { checkInputRules } from '../model/overrides.js';
import { constraintError, formatViolation, heapByteBuffer, type AjvError, type Violation } from './validationMessages.js';

type ValidateFn = ((data: unknown) => boolean) & { errors?: readonly AjvError[] | null };

const VALIDATE = VALIDATORS as unknown as { readonly [K in OperationName]: ValidateFn };

export function decodeAndValidate(operation: OperationName, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) throw errors.serialization();
  if (Array.isArray(body)) throw errors.serialization(START_OF_LIST);

  const root = INPUT_SHAPES[operation];
  blobViolations = null;
  const decoded = decodeStructure(root, body as Record<string, unknown>, null);

  const validate = VALIDATE[operation];
  if (!validate(decoded) || blobViolations !== null) {
    throw constraintError(root, decoded, validate.errors ?? [], blobViolations ?? []);
  }

  const ruleMessage = checkInputRules(operation, decoded);
  if (ruleMessage !== undefined) throw errors.validation(ruleMessage);
  return decoded;
}

// ---------------------------------------------------------------------------------------------------------
// Type phase

const START_OF_LIST = 'Start of list found where not expected';
const START_OF_STRUCTURE = 'Start of structure or map found where not expected.';
const BIG_DECIMAL = 'class java.math.BigDecimal';
const JAVA_BOOLEAN = 'class java.lang.Boolean';
const JAVA_STRING = 'class java.lang.String';

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/**
 * Where a node sits in the request, built only when a container is entered (or a blob fails its bounds),
 * so that a blob violation found while decoding can be given its Coral path and sort position.
 */
interface Trail {
  readonly up: Trail | null;
  /** 0: structure member (name = Coral member path), 1: list element, 2: map entry (name = key). */
  readonly step: 0 | 1 | 2;
  readonly name: string;
  /** Member declaration index, list index, or map key position. */
  readonly order: number;
}

/** Blob byte-length violations found by the type phase (reset per call; the decoder is synchronous). */
let blobViolations: Violation[] | null = null;

function serialization(message: string): KmsError {
  return errors.serialization(message);
}

/** The Jackson text for a JSON object/array where a scalar was expected. */
function containerMismatch(value: object): KmsError {
  return serialization(Array.isArray(value) ? START_OF_LIST : START_OF_STRUCTURE);
}

function decodeStructure(desc: ShapeDesc, obj: Record<string, unknown>, trail: Trail | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const members = desc.members as readonly MemberDesc[];
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as MemberDesc;
    const v = obj[m.name];
    if (v === undefined || v === null) continue; // absent; JSON null is treated as absent
    out[m.name] = decodeValue(m.shape, v, trail, 0, m.path, i);
  }
  return out;
}

/** (trail, step, name, order) locate `v`; a Trail object for it is allocated only when needed. */
function decodeValue(desc: ShapeDesc, v: unknown, trail: Trail | null, step: 0 | 1 | 2, name: string, order: number): unknown {
  switch (desc.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'boolean') throw serialization(`${JAVA_BOOLEAN} can not be converted to an String`);
      if (typeof v === 'number') throw serialization(`${BIG_DECIMAL} can not be converted to an String`);
      throw containerMismatch(v as object);

    case 'integer':
    case 'long':
      if (typeof v === 'number') {
        // Coral truncates a fractional number (TruncatingBigNumber; Java's cast truncates toward zero),
        // and an Integer cannot exceed the Java int range.
        const n = Math.trunc(v) + 0; // + 0 turns -0 into 0
        if (desc.kind === 'integer') return n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : n;
        return n > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n < -Number.MAX_SAFE_INTEGER ? -Number.MAX_SAFE_INTEGER : n;
      }
      if (typeof v === 'boolean') throw serialization(`${JAVA_BOOLEAN} can not be converted to an ${javaNumber(desc)}`);
      if (typeof v === 'string') throw serialization(`${JAVA_STRING} can not be converted to an ${javaNumber(desc)}`);
      throw containerMismatch(v as object);

    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') throw serialization(`${BIG_DECIMAL} can not be converted to an Boolean`);
      if (typeof v === 'string') throw serialization(`'${v.toUpperCase()}' can not be converted to an Boolean`);
      throw containerMismatch(v as object);

    case 'blob':
      if (typeof v === 'string') return decodeBlob(desc, v, trail, step, name, order);
      if (typeof v === 'boolean') throw serialization(`${JAVA_BOOLEAN} can not be converted to a Blob`);
      if (typeof v === 'number') throw serialization(`${BIG_DECIMAL} can not be converted to a Blob`);
      throw containerMismatch(v as object);

    case 'timestamp':
      if (typeof v === 'number') return new Date(v * 1000); // epoch seconds, fractions allowed
      if (typeof v === 'boolean') throw serialization(`${JAVA_BOOLEAN} can not be converted to an Timestamp`);
      if (typeof v === 'string') throw serialization(`${JAVA_STRING} can not be converted to an Timestamp`);
      throw containerMismatch(v as object);

    case 'list': {
      if (!Array.isArray(v)) {
        if (typeof v === 'object') throw serialization(START_OF_STRUCTURE);
        throw serialization('Expected list or null');
      }
      const element = desc.member as ShapeDesc;
      const here = needsTrail(element) ? { up: trail, step, name, order } : null;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x === null) continue; // null elements are dropped (AWS behaviour unrecorded)
        out.push(decodeValue(element, x, here, 1, '', out.length));
      }
      return out;
    }

    case 'map': {
      if (typeof v !== 'object') throw serialization('Expected map or null');
      if (Array.isArray(v)) throw serialization(START_OF_LIST);
      const valueDesc = desc.value as ShapeDesc;
      const here = needsTrail(valueDesc) ? { up: trail, step, name, order } : null;
      const out: Record<string, unknown> = {};
      const src = v as Record<string, unknown>;
      let position = 0;
      for (const key of Object.keys(src)) {
        const x = src[key];
        if (x === null) continue; // null entries are dropped (AWS behaviour unrecorded)
        const decodedValue = decodeValue(valueDesc, x, here, 2, key, position++);
        if (key === '__proto__') {
          Object.defineProperty(out, key, { value: decodedValue, enumerable: true, writable: true, configurable: true });
        } else {
          out[key] = decodedValue;
        }
      }
      return out;
    }

    case 'structure':
      if (typeof v !== 'object') throw serialization('Expected null');
      if (Array.isArray(v)) throw serialization(START_OF_LIST);
      return decodeStructure(desc, v as Record<string, unknown>, { up: trail, step, name, order });
  }
}

function javaNumber(desc: ShapeDesc): string {
  return desc.kind === 'integer' ? 'Integer' : 'Long';
}

function needsTrail(desc: ShapeDesc): boolean {
  return desc.kind === 'blob' || desc.kind === 'structure' || desc.kind === 'list' || desc.kind === 'map';
}

// Base64 as Coral accepts it (rules from kinesalite, verified against AWS): length a multiple of 4, only
// the standard alphabet, '=' only as trailing padding, and canonical (unused bits of the last character 0).
// Fast path: a string is all of that exactly when decoding and re-encoding gives it back (the encoder only
// emits canonical standard base64), which costs ~3 µs for 4 KiB where a character scan costs ~9 µs.
// Only a failure pays for finding out which message applies.
const BASE64_BAD = /[^A-Za-z0-9+/=]|=[^=]/;

/**
 * A blob that is not base64: AWS's text quotes the value, so the wire keeps it (the caller sent it), but the
 * audit trail and logs get the text with the value replaced (it may be a plaintext, a key, a token).
 */
function blobError(v: string, reason: string): KmsError {
  return errors.serialization(messageText([`'`, v, `' can not be converted to a Blob: ${reason}`]), `'${REDACTED}' can not be converted to a Blob: ${reason}`);
}

const REDACTED = '***';

// A long value is scanned for a character base64 never has before it is decoded: decoding and re-encoding 1 MiB
// allocates about 1.8 MiB outside V8's heap, which the process keeps (malloc) when many such requests come in;
// the scan allocates nothing. Same answer: canonical base64 never matches BASE64_BAD.
const LONG_BLOB_CHARS = 64 * 1024;

function invalidCharacterError(v: string, bad: RegExpExecArray): KmsError {
  // The offending character is a character of the value: the audit copy leaves it out too.
  return errors.serialization(messageText([`'`, v, `' can not be converted to a Blob: Invalid Base64 character: '${bad[0][0]}'`]), `'${REDACTED}' can not be converted to a Blob: Invalid Base64 character: '${REDACTED}'`);
}

function decodeBlob(desc: ShapeDesc, v: string, trail: Trail | null, step: 0 | 1 | 2, name: string, order: number): Buffer {
  const len = v.length;
  if (len % 4 !== 0) {
    throw blobError(v, `Base64 encoded length is expected a multiple of 4 bytes but found: ${len}`);
  }
  if (len > LONG_BLOB_CHARS) {
    const bad = BASE64_BAD.exec(v);
    if (bad !== null) throw invalidCharacterError(v, bad);
  }
  const bytes = Buffer.from(v, 'base64');
  if (bytes.toString('base64') !== v) {
    const bad = BASE64_BAD.exec(v);
    if (bad !== null) throw invalidCharacterError(v, bad);
    throw blobError(v, 'Invalid last non-pad Base64 character dectected');
  }
  const n = bytes.length;
  if (desc.minBytes >= 0 && n < desc.minBytes) {
    addBlobViolation(desc, trail, step, name, order, n, `Member must have length greater than or equal to ${desc.minBytes}`);
  } else if (desc.maxBytes >= 0 && n > desc.maxBytes) {
    addBlobViolation(desc, trail, step, name, order, n, `Member must have length less than or equal to ${desc.maxBytes}`);
  }
  return bytes;
}

function addBlobViolation(
  desc: ShapeDesc,
  trail: Trail | null,
  step: 0 | 1 | 2,
  name: string,
  order: number,
  byteLength: number,
  constraint: string,
): void {
  const node: Trail = { up: trail, step, name, order };
  const keys: number[] = [];
  const path: string[] = [];
  for (let t: Trail | null = node; t !== null; t = t.up) {
    keys.unshift(t.order);
    path.unshift(t.step === 0 ? t.name : t.step === 1 ? `${t.order + 1}.member` : `${t.name}.member`);
  }
  // Sensitive blobs never show a value; others per BLOB_VALUE_RENDERING ('omit', or as Kinesis printed it).
  const value = desc.sensitive || BLOB_VALUE_RENDERING === 'omit' ? '' : `'${heapByteBuffer(byteLength)}'`;
  const text = formatViolation(value, path.join('.'), constraint);
  (blobViolations ??= []).push({ keys, rank: 1, text });
}
