import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

export interface GetKeyLastUsageInput {
  KeyId: string;
}

/**
 * The last successful cryptographic use of a key, from the audit trail's last-use index (src/audit/trail.ts),
 * fed by the events of successful Encrypt, Decrypt, ReEncrypt (source and destination), GenerateDataKey*,
 * GenerateDataKeyPair*, Sign, Verify, GenerateMac, VerifyMac and DeriveSharedSecret calls (the model's
 * KeyLastUsageTrackingOperation). Every key state is accepted (the operation models no KMSInvalidStateException).
 *
 * Response (API reference and developer guide "Determine past usage of a KMS key" examples): KeyId is the
 * bare key id; KeyLastUsage is {Operation, Timestamp, CloudTrailEventId, KmsRequestId} after a use (the event
 * id is the eventID of that request's event in GET /_kmslite/audit) and an empty object before one.
 * TrackingStartDate is "the date KMS began recording … or the date the key was created, whichever is
 * later": kmslite tracks from the key's creation.
 */
export function getKeyLastUsage(input: GetKeyLastUsageInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const use = context.usage?.lastUse(key.metadata.Arn);
  return {
    KeyId: key.metadata.KeyId,
    KeyLastUsage: use
      ? { Operation: use.operation, Timestamp: new Date(use.timestampMs), CloudTrailEventId: use.eventId, KmsRequestId: use.requestId }
      : {},
    TrackingStartDate: key.usageTrackingStart,
    KeyCreationDate: key.metadata.CreationDate,
  };
}
