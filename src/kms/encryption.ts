/**
 * Encryption rules shared by Encrypt and ReEncrypt's destination side: what an asymmetric key refuses (encryption
 * context, plaintext over its limit) and encrypting under a key once those checks passed.
 */
import { errors } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import type { EncryptionContext } from '../crypto/encryptionContext.js';
import {
  asymmetricEncrypt,
  isAsymmetricEncryptionSpec,
  maxPlaintextBytes,
  type AsymmetricEncryptionAlgorithm,
} from '../crypto/asymmetricEncryption.js';
import { sealSymmetric } from './symmetricEnvelope.js';

/**
 * Asymmetric algorithms take no encryption context ("You cannot specify an encryption context in a
 * cryptographic operation with an asymmetric KMS key"). AWS's exact answer is unconfirmed; this is the
 * ValidationException text public emulators that measured real KMS use (an empty map is accepted).
 */
export function assertNoEncryptionContextForAsymmetric(key: KeyRecord, context: EncryptionContext | undefined): void {
  if (isAsymmetricEncryptionSpec(key.metadata.KeySpec) && context !== undefined && Object.keys(context).length > 0) {
    throw errors.validation('EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.');
  }
}

/**
 * Everything Encrypt (and ReEncrypt's destination side) checks about the plaintext under an asymmetric
 * key: no encryption context, and the per-spec plaintext limit (AWS-recorded texts for all six RSA pairs,
 * e.g. `Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.`;
 * the SM2PKE text follows the same pattern, unconfirmed).
 */
export function assertEncryptable(key: KeyRecord, algorithm: string, plaintext: Buffer, context: EncryptionContext | undefined): void {
  assertNoEncryptionContextForAsymmetric(key, context);
  const spec = key.metadata.KeySpec;
  if (!isAsymmetricEncryptionSpec(spec)) return;
  const limit = maxPlaintextBytes(spec, algorithm as AsymmetricEncryptionAlgorithm);
  if (plaintext.length > limit) {
    throw errors.validation(`Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`);
  }
}

export interface EncryptedUnder {
  ciphertextBlob: Buffer;
  /** Symmetric keys only: AWS reports the key material only for symmetric encryption keys. */
  keyMaterialId?: string;
}

/**
 * Encrypts under a key whose usage, algorithm and plaintext the caller has checked: the kmslite symmetric
 * blob for SYMMETRIC_DEFAULT, the raw RSAES-OAEP / SM2PKE ciphertext for asymmetric keys.
 * Symmetric keys answer at once, not with a promise: the pipeline then answers the request without a
 * promise chain (pipeline.ts); only the asymmetric work, which runs in the thread pool, waits.
 */
export function encryptUnder(key: KeyRecord, algorithm: string, plaintext: Buffer, context: EncryptionContext | undefined): EncryptedUnder | Promise<EncryptedUnder> {
  const spec = key.metadata.KeySpec;
  if (!isAsymmetricEncryptionSpec(spec)) return sealSymmetric(key, plaintext, context);
  const material = key.materials[key.materials.length - 1]!;
  return asymmetricEncrypt(spec, algorithm as AsymmetricEncryptionAlgorithm, material.publicKey!, plaintext).then((ciphertextBlob) => ({ ciphertextBlob }));
}
