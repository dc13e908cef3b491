/**
 * Signing rules shared by Sign and Verify: the checks of a signing request in AWS's order, and the key pair of an
 * asymmetric key's current material.
 */
import { KmsError, errors } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningMessageType } from '../crypto/signing.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertKeyUsage } from './keyUsage.js';

export interface SigningRequest {
  key: KeyRecord;
  algorithm: SigningAlgorithm;
  messageType: SigningMessageType;
}

/**
 * The checks Sign and Verify share, in AWS's order: the key (NotFound texts, key state), its usage
 * (`<arn> key usage is X which is not valid for Sign.`, AWS-recorded), the algorithm against the key spec, the
 * message type against the algorithm, the digest length.
 */
export function checkSigningRequest(
  context: OperationContext,
  input: { KeyId: string; Message: Buffer; MessageType?: SigningMessageType; SigningAlgorithm: SigningAlgorithm },
  action: 'Sign' | 'Verify',
): SigningRequest {
  const key = resolveKey(context, input.KeyId);
  assertKeyUsage(key, 'SIGN_VERIFY', action);
  const algorithm = input.SigningAlgorithm;
  const keySpec = key.metadata.KeySpec;
  if (!key.metadata.SigningAlgorithms?.includes(algorithm)) {
    // AWS-observed (aws-kms-pkcs11#18): "Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P521."
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);
  }
  const messageType = input.MessageType ?? 'RAW';
  const info = SIGNING_ALGORITHMS[algorithm];
  if (!info.messageTypes.includes(messageType)) {
    // Ed25519 restricts message types per algorithm, the other specs per key spec (third-party reports of
    // AWS's answers; the EXTERNAL_MU cases follow the same pattern, unconfirmed).
    const subject = info.family === 'ed25519' || info.family === 'ed25519ph' ? `algorithm ${algorithm}` : `key spec ${keySpec}`;
    throw errors.validation(`Message type ${messageType} is incompatible with ${subject}.`);
  }
  if (messageType === 'DIGEST' && input.Message.length !== info.digestLength) {
    // AWS-recorded, per algorithm name.
    throw errors.validation(`Digest is invalid length for algorithm ${algorithm}.`);
  }
  if (messageType === 'EXTERNAL_MU' && input.Message.length !== info.digestLength) {
    // AWS documents the 64-byte requirement, not its text (unconfirmed).
    throw errors.validation(`External Mu is invalid length for algorithm ${algorithm}.`);
  }
  return { key, algorithm, messageType };
}

/** The private key (PKCS#8 DER) and public key (SPKI DER) of an asymmetric key's current material. */
export function keyPairOf(key: KeyRecord): { privateKey: Buffer; publicKey: Buffer } {
  const material = key.materials[key.materials.length - 1];
  if (!material?.publicKey) throw errors.internal();
  return { privateKey: material.bytes, publicKey: material.publicKey };
}
