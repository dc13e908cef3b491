import { KmsError } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';

/**
 * `<key ARN> key usage is SIGN_VERIFY which is not valid for Encrypt.` (AWS-recorded). `action` is the
 * operation, or the grant-operation name where AWS uses it (ReEncryptFrom / ReEncryptTo).
 */
export function assertKeyUsage(key: KeyRecord, expected: string, action: string): void {
  if (key.metadata.KeyUsage !== expected) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${key.metadata.Arn} key usage is ${key.metadata.KeyUsage} which is not valid for ${action}.`,
    );
  }
}

/** An encryption algorithm the key does not offer (pattern of AWS's MAC text; exact KMS text unconfirmed). */
export function assertEncryptionAlgorithm(key: KeyRecord, algorithm: string | undefined): string {
  const chosen = algorithm ?? 'SYMMETRIC_DEFAULT';
  if (!key.metadata.EncryptionAlgorithms?.includes(chosen as never)) {
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${chosen} is incompatible with key spec ${key.metadata.KeySpec}.`);
  }
  return chosen;
}

/**
 * Data keys (and data key pairs) are encrypted under a symmetric encryption key only ("You cannot specify
 * an asymmetric KMS key"). After the key-usage check (SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT keys
 * get the usual `... key usage is X which is not valid for <operation>.`), an asymmetric ENCRYPT_DECRYPT key
 * answers InvalidKeyUsageException `<arn> key KeySpec is RSA_2048 which is not valid for <operation>.`
 * (local-kms's text; AWS's unconfirmed).
 */
export function assertSymmetricEncryptionKey(key: KeyRecord, operation: string): void {
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', operation);
  if (key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${key.metadata.Arn} key KeySpec is ${key.metadata.KeySpec} which is not valid for ${operation}.`);
  }
}

/**
 * The public key (SPKI DER) of an asymmetric key's current material. Symmetric and HMAC keys have none:
 * UnsupportedOperationException (the text follows AWS's "origin is ... which is not valid for this operation"
 * pattern; unconfirmed).
 */
export function currentPublicKey(key: KeyRecord): Buffer {
  const metadata = key.metadata;
  const publicKey = key.materials[key.materials.length - 1]?.publicKey;
  if (!publicKey) {
    throw new KmsError('UnsupportedOperationException', `${metadata.Arn} key spec is ${metadata.KeySpec} which is not valid for this operation.`);
  }
  return publicKey;
}
