import { errors } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertEncryptionAlgorithm, assertKeyUsage } from '../kms/keyUsage.js';
import { assertEncryptable, encryptUnder, type EncryptedUnder } from '../kms/encryption.js';
import { recordUsage } from '../kms/usage.js';

export interface EncryptInput {
  KeyId: string;
  Plaintext: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

/**
 * Encrypt. For asymmetric keys EncryptionAlgorithm is required in effect: its default SYMMETRIC_DEFAULT
 * answers `Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096.` (seen from AWS in public
 * issues).
 */
export function encrypt(input: EncryptInput, context: OperationContext): EncryptOutput | Promise<EncryptOutput> {
  const key = resolveKey(context, input.KeyId);
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
  const algorithm = assertEncryptionAlgorithm(key, input.EncryptionAlgorithm);
  assertEncryptable(key, algorithm, input.Plaintext, input.EncryptionContext);
  if (input.DryRun) throw errors.dryRun();
  // Synchronous for symmetric keys (no promise per request); asymmetric keys wait for the thread pool.
  const encrypted = encryptUnder(key, algorithm, input.Plaintext, input.EncryptionContext);
  if (encrypted instanceof Promise) return encrypted.then((done) => encryptOutput(key, algorithm, done, context));
  return encryptOutput(key, algorithm, encrypted, context);
}

interface EncryptOutput {
  CiphertextBlob: Buffer;
  KeyId: string;
  EncryptionAlgorithm: string;
}

function encryptOutput(key: KeyRecord, algorithm: string, encrypted: EncryptedUnder, context: OperationContext): EncryptOutput {
  recordUsage(key, context);
  return { CiphertextBlob: encrypted.ciphertextBlob, KeyId: key.metadata.Arn, EncryptionAlgorithm: algorithm };
}
