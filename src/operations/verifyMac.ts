import { KmsError, errors } from '../protocol/errors.js';
import type { MacAlgorithmSpec } from '../model/generated/enums.js';
import { verifyHmac } from '../crypto/mac.js';
import type { OperationContext } from '../kms/context.js';
import { recordUsage } from '../kms/usage.js';
import { macKey } from '../kms/macKeys.js';

export interface VerifyMacInput {
  Message: Buffer;
  KeyId: string;
  MacAlgorithm: MacAlgorithmSpec;
  Mac: Buffer;
  GrantTokens?: string[];
  DryRun?: boolean;
}

/**
 * Recomputes the HMAC and compares in constant time. A mismatch is KMSInvalidMacException with no message
 * (AWS-recorded); success answers KeyId (key ARN), MacValid true and the algorithm.
 */
export function verifyMac(input: VerifyMacInput, context: OperationContext) {
  const { key, secret } = macKey(context, input.KeyId, input.MacAlgorithm);
  if (!verifyHmac(input.MacAlgorithm, secret, input.Message, input.Mac)) throw new KmsError('KMSInvalidMacException');
  // DryRunOperationException means "would have succeeded" (developer guide), so a wrong MAC still fails as
  // such under DryRun, as a wrong ciphertext does in Decrypt without IGNORE_CIPHERTEXT (unconfirmed).
  if (input.DryRun) throw errors.dryRun();
  // GetKeyLastUsage reports the last *successful* cryptographic operation (API reference): a rejected MAC is not one.
  recordUsage(key, context);
  return { KeyId: key.metadata.Arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
}
