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
