/**
 * The one error type every layer throws, and the one place that turns it into AWS JSON 1.1 bytes.
 *
 * `name` is the bare `__type` AWS sends (JSON 1.1 uses bare names; every SDK strips a `ns#` prefix anyway).
 * `message` undefined means AWS sends no message member at all (InvalidCiphertextException,
 * KMSInvalidSignatureException, KMSInvalidMacException do this on the wire).
 */
import { needsJsonEscape } from './json.js';

export class KmsError extends Error {
  override readonly name: string;
  readonly status: number;
  /**
   * A long message (LONG_MESSAGE_CHARS or more) kept as its pieces, never joined on the request path: AWS's text
   * quotes the request value (up to the 1 MiB body), and joining, flattening and re-encoding it made several
   * 1 MiB copies per refused request (docs/audit.md, "Size limits"). undefined = the message is one string.
   */
  readonly messagePieces: readonly string[] | undefined;
  readonly #message: string | undefined;
  /** Member casing: Coral framework errors (SerializationException) use `Message`. */
  readonly messageMember: 'message' | 'Message';
  /**
   * The text for the audit trail and logs when the wire text quotes a request value that may be secret
   * (AWS quotes a blob that is not base64); undefined = the wire text holds no such value.
   */
  readonly auditMessage: string | undefined;

  constructor(name: string, message?: MessageText, options: { status?: number; messageMember?: 'message' | 'Message'; auditMessage?: string } = {}) {
    super(typeof message === 'object' ? cutPieces(message, LONG_MESSAGE_PREVIEW_CHARS) : (message ?? name));
    this.name = name;
    this.messagePieces = typeof message === 'object' ? message : undefined;
    this.#message = typeof message === 'object' ? undefined : message;
    this.status = options.status ?? statusFor(name);
    this.messageMember = options.messageMember ?? 'message';
    this.auditMessage = options.auditMessage;
  }

  /** The text AWS sends, or undefined when AWS sends no message member (joined here when kept as pieces). */
  get awsMessage(): string | undefined {
    return this.messagePieces ? this.messagePieces.join('') : this.#message;
  }
}

/** A message text: one string, or the pieces of a long one (messageText decides). */
export type MessageText = string | readonly string[];

/** Messages this long or longer stay as pieces (KmsError.messagePieces). */
export const LONG_MESSAGE_CHARS = 64 * 1024;
/**
 * What Error.message, the audit trail and the log line hold of a message kept as pieces: its first 512 characters
 * (the audit trail's own cut, docs/audit.md).
 */
export const LONG_MESSAGE_PREVIEW_CHARS = 512;

/** The pieces joined when short (the usual case: the same string as before), kept apart when long. */
export function messageText(pieces: readonly string[]): MessageText {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length < LONG_MESSAGE_CHARS ? pieces.join('') : pieces;
}

/** The first `max` characters of the joined pieces, without joining (or flattening) the long ones. */
export function cutPieces(pieces: readonly string[], max: number): string {
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length >= max) return out + piece.slice(0, max - out.length);
    out += piece;
  }
  return out;
}

/**
 * Every client error observed from KMS is HTTP 400, whatever the Smithy model's httpError trait says
 * (aws-kms-wire.md §2.4). Only the server-fault shapes answer 5xx.
 */
const SERVER_FAULT_STATUS: Readonly<Record<string, number>> = {
  KMSInternalException: 500,
  KeyUnavailableException: 500,
  DependencyTimeoutException: 503,
};

function statusFor(name: string): number {
  return SERVER_FAULT_STATUS[name] ?? 400;
}

export function errorBody(error: KmsError): string {
  const body: Record<string, string> = { __type: error.name };
  if (error.awsMessage !== undefined) body[error.messageMember] = error.awsMessage;
  return JSON.stringify(body);
}


/**
 * errorBody's bytes for the wire: the same bytes, but a message kept as pieces is written piece by piece into one
 * Buffer (a piece with nothing to escape as it is), so no joined text or second JSON copy of it is made.
 */
export function errorWireBody(error: KmsError): string | Buffer {
  const pieces = error.messagePieces;
  if (pieces === undefined) return errorBody(error);
  const parts = [`${JSON.stringify({ __type: error.name }).slice(0, -1)},"${error.messageMember}":"`];
  for (const piece of pieces) parts.push(needsJsonEscape(piece) ? JSON.stringify(piece).slice(1, -1) : piece);
  parts.push('"}');
  let size = 0;
  for (const part of parts) size += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) at += bytes.write(part, at);
  return bytes;
}

/** Constructors for the errors whose text is fixed, so the strings live in one place. */
export const errors = {
  validation: (message?: MessageText) => new KmsError('ValidationException', message),
  serialization: (message?: MessageText, auditMessage?: string) => new KmsError('SerializationException', message, { messageMember: 'Message', auditMessage }),
  unknownOperation: () => new KmsError('UnknownOperationException'),
  notFound: (message: string) => new KmsError('NotFoundException', message),
  invalidCiphertext: () => new KmsError('InvalidCiphertextException'),
  incorrectKey: () =>
    new KmsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    ),
  dryRun: () =>
    new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.'),
  internal: () => new KmsError('KMSInternalException', 'An internal error occurred.'),
};
