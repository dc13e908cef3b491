import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';

export interface GetKeyLastUsageInput {
  KeyId: string;
}

/**
 * The last successful cryptographic use of a key (recorded by _shared/usage.recordUsage in Encrypt,
 * Decrypt, ReEncrypt, GenerateDataKey*). Every key state is accepted (the operation models no
 * KMSInvalidStateException).
 *
 * Response (API reference and developer guide "Determine past usage of a KMS key" examples): KeyId is the
 * bare key id; KeyLastUsage is {Operation, Timestamp, KmsRequestId} after a use and an empty object
 * before one; kmslite has no CloudTrail, so CloudTrailEventId (documented as optional) is never sent.
 * TrackingStartDate is "the date KMS began recording … or the date the key was created, whichever is
 * later": kmslite tracks from the key's creation.
 */
export function getKeyLastUsage(input: GetKeyLastUsageInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const usage = key.lastUsage;
  return {
    KeyId: key.metadata.KeyId,
    KeyLastUsage: usage ? { Operation: usage.operation, Timestamp: usage.timestamp, KmsRequestId: usage.requestId } : {},
    TrackingStartDate: key.usageTrackingStart,
    KeyCreationDate: key.metadata.CreationDate,
  };
}
