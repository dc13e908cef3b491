/**
 * The one error type every layer throws, and the one place that turns it into AWS JSON 1.1 bytes.
 *
 * `name` is the bare `__type` AWS sends (JSON 1.1 uses bare names; every SDK strips a `ns#` prefix anyway).
 * `message` undefined means AWS sends no message member at all (InvalidCiphertextException,
 * KMSInvalidSignatureException, KMSInvalidMacException do this on the wire).
 */
export class KmsError extends Error {
  override readonly name: string;
  readonly status: number;
  /** The text AWS sends, or undefined when AWS sends no message member. */
  readonly awsMessage: string | undefined;
  /** Member casing: Coral framework errors (SerializationException) use `Message`. */
  readonly messageMember: 'message' | 'Message';
  /**
   * The text for the audit trail and logs when the wire text quotes a request value that may be secret
   * (AWS quotes a blob that is not base64); undefined = the wire text holds no such value.
   */
  readonly auditMessage: string | undefined;

  constructor(name: string, message?: string, options: { status?: number; messageMember?: 'message' | 'Message'; auditMessage?: string } = {}) {
    super(message ?? name);
    this.name = name;
    this.awsMessage = message;
    this.status = options.status ?? statusFor(name);
    this.messageMember = options.messageMember ?? 'message';
    this.auditMessage = options.auditMessage;
  }
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

/** Constructors for the errors whose text is fixed, so the strings live in one place. */
export const errors = {
  validation: (message?: string) => new KmsError('ValidationException', message),
  serialization: (message?: string, auditMessage?: string) => new KmsError('SerializationException', message, { messageMember: 'Message', auditMessage }),
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
