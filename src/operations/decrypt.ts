import { KmsError, errors } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { assertKeyState } from './_shared/keyStates.js';
import { assertKeyUsage } from './_shared/keyUsage.js';
import { keyNamedByBlob, readBlob, type BlobReference } from './_shared/symmetricEnvelope.js';
import { recordUsage } from './_shared/usage.js';
import type { KeyRecord } from '../store/records.js';

export interface DecryptInput {
  CiphertextBlob?: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  KeyId?: string;
  EncryptionAlgorithm?: string;
  Recipient?: unknown;
  DryRun?: boolean;
  DryRunModifiers?: string[];
}

export interface Decrypted {
  key: KeyRecord;
  plaintext: Buffer;
  keyMaterialId: string;
  algorithm: string;
}

/**
 * Decrypts a symmetric ciphertext for Decrypt and ReEncrypt's source side. `action` is the name used in
 * key-usage texts (Decrypt, ReEncryptFrom); `operation` the key-state row.
 */
export function decryptSymmetric(
  context: OperationContext,
  blob: Buffer,
  keyIdInput: string | undefined,
  algorithmInput: string | undefined,
  encryptionContext: Record<string, string> | undefined,
  action: string,
): Decrypted {
  let key: KeyRecord;
  let reference: BlobReference;
  if (keyIdInput !== undefined) {
    // The named key is looked up (NotFound, key state) before the blob is read.
    key = resolveKey(context, keyIdInput);
    reference = readBlob(blob);
    // AWS-recorded: a KeyId that is not the ciphertext's key answers IncorrectKeyException.
    if (key.metadata.KeyId !== reference.keyId) throw errors.incorrectKey();
  } else {
    reference = readBlob(blob);
    key = keyNamedByBlob(context, context.store, reference);
    assertKeyState(context.operation, key);
  }
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', action);
  const algorithm = algorithmInput ?? 'SYMMETRIC_DEFAULT';
  if (algorithm !== 'SYMMETRIC_DEFAULT' || key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw errors.incorrectKey();
  const opened = reference.open(key, encryptionContext);
  return { key, plaintext: opened.plaintext, keyMaterialId: opened.keyMaterialId, algorithm };
}

export function decrypt(input: DecryptInput, context: OperationContext) {
  if (input.Recipient !== undefined) {
    throw new KmsError('UnsupportedOperationException', 'Recipient is not supported by kmslite yet.');
  }
  const ignoreCiphertext = input.DryRun === true && input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
  if (ignoreCiphertext) {
    // With IGNORE_CIPHERTEXT only the key is checked, so the KeyId is what names it.
    if (input.KeyId === undefined) throw errors.validation('KeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.');
    const key = resolveKey(context, input.KeyId);
    assertKeyUsage(key, 'ENCRYPT_DECRYPT', 'Decrypt');
    throw errors.dryRun();
  }
  if (input.CiphertextBlob === undefined) {
    throw errors.validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  }
  const result = decryptSymmetric(context, input.CiphertextBlob, input.KeyId, input.EncryptionAlgorithm, input.EncryptionContext, 'Decrypt');
  if (input.DryRun) throw errors.dryRun();
  recordUsage(result.key, context);
  return {
    KeyId: result.key.metadata.Arn,
    Plaintext: result.plaintext,
    EncryptionAlgorithm: result.algorithm,
    KeyMaterialId: result.keyMaterialId,
  };
}
