import { errors } from '../protocol/errors.js';
import { signMessage, type SigningAlgorithm, type SigningMessageType } from '../crypto/signing.js';
import type { OperationContext } from '../kms/context.js';
import { checkSigningRequest, keyPairOf } from '../kms/signing.js';
import { recordUsage } from '../kms/usage.js';

export interface SignInput {
  KeyId: string;
  Message: Buffer;
  MessageType?: SigningMessageType;
  GrantTokens?: string[];
  SigningAlgorithm: SigningAlgorithm;
  DryRun?: boolean;
}

/**
 * Signs a message (RAW, hashed with the algorithm's hash), a digest (DIGEST, not hashed again) or an ML-DSA μ
 * (EXTERNAL_MU) with the private key of an asymmetric SIGN_VERIFY key. DryRun answers after every check.
 */
export async function sign(input: SignInput, context: OperationContext) {
  const { key, algorithm, messageType } = checkSigningRequest(context, input, 'Sign');
  if (input.DryRun) throw errors.dryRun();
  const { privateKey } = keyPairOf(key);
  const signature = await signMessage(algorithm, key.metadata.KeySpec, privateKey, input.Message, messageType);
  recordUsage(key, context);
  return { KeyId: key.metadata.Arn, Signature: signature, SigningAlgorithm: algorithm };
}
