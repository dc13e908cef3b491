import { errors } from '../protocol/errors.js';
import type { MacAlgorithmSpec } from '../model/generated/enums.js';
import { hmac } from '../crypto/mac.js';
import type { OperationContext } from '../kms/context.js';
import { macKey } from '../kms/macKeys.js';
import { recordUsage } from '../kms/usage.js';

export interface GenerateMacInput {
  Message: Buffer;
  KeyId: string;
  MacAlgorithm: MacAlgorithmSpec;
  GrantTokens?: string[];
  DryRun?: boolean;
}

/** RFC 2104 HMAC of the message under the key's material. Response KeyId is the key ARN (AWS-recorded). */
export function generateMac(input: GenerateMacInput, context: OperationContext) {
  const { key, secret } = macKey(context, input.KeyId, input.MacAlgorithm);
  if (input.DryRun) throw errors.dryRun();
  const mac = hmac(input.MacAlgorithm, secret, input.Message);
  recordUsage(key, context);
  return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: key.metadata.Arn };
}
