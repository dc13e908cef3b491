/**
 * The constraint phase's messages (src/protocol/validation.ts runs the phases): ajv errors and the type phase's
 * blob-length violations → Coral's `N validation errors detected: Value '…' at '…' failed to satisfy constraint: …`
 * text, sorted by member declaration order and capped at 10. Built only when a request fails.
 */
import { cutPieces, errors, KmsError, LONG_MESSAGE_CHARS, LONG_MESSAGE_PREVIEW_CHARS, messageText, type MessageText } from './errors.js';
import { BLOB_VALUE_RENDERING, type MemberDesc, type ShapeDesc } from '../model/generated/shapes.js';

/** What an ajv standalone validator reports (messages: false). */
export interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: { readonly limit?: number; readonly missingProperty?: string };
}

const MAX_REPORTED = 10;

export interface Violation {
  /** Sort position: one number per level (member index / list index / map key position). */
  readonly keys: readonly number[];
  /** Per-member constraint order: not-null, length/value, pattern, enum. */
  readonly rank: number;
  /** Pieces when the quoted value is long (KmsError.messagePieces). */
  readonly text: MessageText;
  /** The text with the value replaced, when the value is a secret (grant tokens); undefined = same as text. */
  readonly auditText?: string;
}

export function heapByteBuffer(length: number): string {
  return `java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;
}

// ---------------------------------------------------------------------------------------------------------
// Constraint phase: ajv errors → Coral messages

export function formatViolation(renderedValue: string, path: string, constraint: string): string {
  return `Value${renderedValue === '' ? '' : ' ' + renderedValue} at '${path}' failed to satisfy constraint: ${constraint}`;
}

export function constraintError(
  root: ShapeDesc,
  decoded: Record<string, unknown>,
  ajvErrors: readonly AjvError[],
  fromDecoder: readonly Violation[],
): KmsError {
  const all: Violation[] = fromDecoder.slice();
  for (const e of ajvErrors) all.push(toViolation(root, decoded, e));
  all.sort(compareViolations);
  const reported = all.length > MAX_REPORTED ? all.slice(0, MAX_REPORTED) : all;
  const n = reported.length;
  const head = `${n} validation error${n > 1 ? 's' : ''} detected: `;
  const message = joinViolations(head, reported.map((v) => v.text));
  if (!reported.some((v) => v.auditText !== undefined)) return errors.validation(message);
  const auditMessage = joinViolations(head, reported.map((v) => v.auditText ?? v.text));
  return new KmsError('ValidationException', message, { auditMessage: typeof auditMessage === 'string' ? auditMessage : cutPieces(auditMessage, LONG_MESSAGE_PREVIEW_CHARS) });
}

/** `head` + the texts joined with '; ', as one string, or as pieces when a quoted value is long. */
function joinViolations(head: string, texts: readonly MessageText[]): MessageText {
  const pieces: string[] = [head];
  texts.forEach((text, i) => {
    if (i > 0) pieces.push('; ');
    if (typeof text === 'string') pieces.push(text);
    else pieces.push(...text);
  });
  return messageText(pieces);
}

function compareViolations(a: Violation, b: Violation): number {
  const n = Math.min(a.keys.length, b.keys.length);
  for (let i = 0; i < n; i++) {
    const d = (a.keys[i] as number) - (b.keys[i] as number);
    if (d !== 0) return d;
  }
  // A container's own constraints come before those of its contents.
  if (a.keys.length !== b.keys.length) return a.keys.length - b.keys.length;
  return a.rank - b.rank;
}

interface Located {
  readonly keys: number[];
  readonly path: string;
  readonly value: unknown;
  readonly desc: ShapeDesc;
  /** The structure member the node is, when it is one (carries the enum display override). */
  readonly member: MemberDesc | null;
  /** LocalStack's `_custom_key_material_` tag value (key material): rendered as a sensitive member is, never echoed. */
  readonly secret?: boolean;
}

function unescapePointer(segment: string): string {
  return segment.indexOf('~') === -1 ? segment : segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Follows an ajv instancePath (plus, for `required`, the missing member) through the shapes and the data. */
function locate(root: ShapeDesc, decoded: Record<string, unknown>, pointer: string, missing: string | undefined): Located {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  if (missing !== undefined) segments.push(missing);
  const keys: number[] = [];
  const path: string[] = [];
  let desc = root;
  let value: unknown = decoded;
  let member: MemberDesc | null = null;
  let secret = false;
  for (const seg of segments) {
    const container = value as Record<string, unknown> | undefined;
    if (desc.kind === 'structure') {
      const members = desc.members as readonly MemberDesc[];
      const index = members.findIndex((m) => m.name === seg);
      const m = members[index];
      if (m === undefined) throw new Error(`validation: no member ${seg} in ${desc.name}`);
      keys.push(index);
      path.push(m.path);
      member = m;
      desc = m.shape;
    } else if (desc.kind === 'list') {
      const index = Number(seg);
      keys.push(index);
      path.push(`${index + 1}.member`);
      member = null;
      desc = desc.member as ShapeDesc;
    } else if (desc.kind === 'map') {
      keys.push(container === undefined ? 0 : Object.keys(container).indexOf(seg));
      path.push(`${seg}.member`);
      member = null;
      desc = desc.value as ShapeDesc;
    } else {
      throw new Error(`validation: cannot descend into ${desc.kind} ${desc.name}`);
    }
    if (seg === 'TagValue' && container?.TagKey === '_custom_key_material_') secret = true;
    value = container === undefined ? undefined : container[seg];
  }
  return { keys, path: path.join('.'), value, desc, member, secret };
}

function toViolation(root: ShapeDesc, decoded: Record<string, unknown>, e: AjvError): Violation {
  const at = locate(root, decoded, e.instancePath, e.keyword === 'required' ? e.params.missingProperty : undefined);
  let rank: number;
  let constraint: string;
  switch (e.keyword) {
    case 'required':
      rank = 0;
      constraint = 'Member must not be null';
      break;
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      rank = 1;
      constraint = `Member must have length greater than or equal to ${e.params.limit}`;
      break;
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      rank = 1;
      constraint = `Member must have length less than or equal to ${e.params.limit}`;
      break;
    case 'minimum':
      rank = 1;
      constraint = `Member must have value greater than or equal to ${e.params.limit}`;
      break;
    case 'maximum':
      rank = 1;
      constraint = `Member must have value less than or equal to ${e.params.limit}`;
      break;
    case 'pattern':
      rank = 2;
      constraint = `Member must satisfy regular expression pattern: ${at.desc.pattern}`;
      break;
    case 'enum':
      rank = 3;
      constraint = `Member must satisfy enum value set: ${at.member?.enumText ?? at.desc.enumText}`;
      break;
    default:
      // The type phase guarantees JSON types, so ajv can only report the keywords above.
      throw new Error(`validation: unexpected ajv keyword ${e.keyword} at ${e.instancePath}`);
  }
  // A long string value (up to the 1 MiB body) stays a piece of its own: formatViolation's text, never copied.
  if (!at.secret && typeof at.value === 'string' && at.value.length >= LONG_MESSAGE_CHARS && !at.desc.sensitive && at.desc.kind !== 'blob') {
    const text = [`Value '`, at.value, `' at '${at.path}' failed to satisfy constraint: ${constraint}`];
    if (at.path.startsWith('grantTokens')) return { keys: at.keys, rank, text, auditText: formatViolation(`'***'`, at.path, constraint) };
    return { keys: at.keys, rank, text };
  }
  const rendered = at.secret ? '' : renderValue(at.value, at.desc);
  const text = formatViolation(rendered, at.path, constraint);
  // Grant tokens are bearer credentials: the wire keeps AWS's text, the audit trail and logs do not see them.
  if (rendered !== '' && rendered !== 'null' && at.path.startsWith('grantTokens')) {
    return { keys: at.keys, rank, text, auditText: formatViolation(`'***'`, at.path, constraint) };
  }
  return { keys: at.keys, rank, text };
}

/** Coral's rendering of the offending value: `null`, nothing (sensitive, blobs), or the value in quotes. */
function renderValue(value: unknown, desc: ShapeDesc): string {
  if (value === undefined) return 'null';
  if (desc.sensitive) return '';
  if (desc.kind === 'blob') return BLOB_VALUE_RENDERING === 'omit' ? '' : `'${heapByteBuffer((value as Buffer).length)}'`;
  return `'${javaString(value, desc)}'`;
}

/** Java toString of a decoded value: lists `[a, b]`, maps `{k=v}`. */
function javaString(value: unknown, desc: ShapeDesc | null): string {
  if (Array.isArray(value)) {
    const element = desc?.member ?? null;
    return `[${value.map((x) => javaString(x, element)).join(', ')}]`;
  }
  if (Buffer.isBuffer(value)) return heapByteBuffer(value.length);
  if (value instanceof Date) return String(value.getTime() / 1000);
  if (typeof value === 'object' && value !== null) {
    if (desc?.kind === 'map') {
      const valueDesc = desc.value;
      const entries = Object.entries(value as Record<string, unknown>);
      return `{${entries.map(([k, v]) => `${k}=${javaString(v, valueDesc)}`).join(', ')}}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
