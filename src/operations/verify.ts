import { KmsError, errors } from '../protocol/errors.js';
import { verifySignature, type SigningAlgorithm, type SigningMessageType } from '../crypto/signing.js';
import type { OperationContext } from '../kms/context.js';
import { recordUsage } from '../kms/usage.js';
import { checkSigningRequest, keyPairOf } from '../kms/signing.js';

export interface VerifyInput {
  KeyId: string;
  Message: Buffer;
  MessageType?: SigningMessageType;
  Signature: Buffer;
  SigningAlgorithm: SigningAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}

/**
 * Verifies a signature with the public key of an asymmetric SIGN_VERIFY key. A signature that does not verify
 * (also one that is malformed: not DER, wrong length) is KMSInvalidSignatureException with no message
 * (AWS-recorded); AWS never answers SignatureValid: false. With DryRun the signature is still checked, as
 * Decrypt's DryRun checks the ciphertext (unconfirmed for Verify).
 */
export async function verify(input: VerifyInput, context: OperationContext) {
  const { key, algorithm, messageType } = checkSigningRequest(context, input, 'Verify');
  const { publicKey } = keyPairOf(key);
  const valid = await verifySignature(algorithm, key.metadata.KeySpec, publicKey, input.Message, messageType, input.Signature);
  if (!valid) throw new KmsError('KMSInvalidSignatureException');
  if (input.DryRun) throw errors.dryRun();
  recordUsage(key, context);
  return { KeyId: key.metadata.Arn, SignatureValid: true, SigningAlgorithm: algorithm };
}
