import type { OperationName } from '../model/generated/operations.js';

/**
 * Operations that never change a key, alias, grant or custom key store. Not CloudTrail's `readOnly` flag
 * (src/audit/events.ts isReadOnly): CloudTrail marks GetParametersForImport read-only, but it stores the wrapping
 * key pair behind its import token, so here it is a change. Every other operation is treated as a change: the keys it looks up are written to disk before it answers
 * (src/store/changeTracker.ts). Time can still change state during a read (a rotation falling due); that is
 * marked where it happens.
 */
export const READ_ONLY_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'Decrypt', 'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey', 'Encrypt', 'GenerateDataKey',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac',
  'GenerateRandom', 'GetKeyLastUsage', 'GetKeyPolicy', 'GetKeyRotationStatus', 'GetPublicKey', 'ListAliases',
  'ListGrants', 'ListKeyPolicies', 'ListKeyRotations', 'ListKeys', 'ListResourceTags', 'ListRetirableGrants',
  'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);
