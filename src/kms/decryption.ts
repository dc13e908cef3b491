/**
 * Decryption rules shared by Decrypt and ReEncrypt's source side: which key a ciphertext is read under, the
 * IncorrectKey / InvalidCiphertext answers, and opening symmetric blobs or raw asymmetric ciphertexts.
 */
import { errors } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import { isAsymmetricSpec } from '../crypto/keyPairs.js';
import {
  asymmetricDecrypt,
  isAsymmetricEncryptionSpec,
  type AsymmetricEncryptionAlgorithm,
} from '../crypto/asymmetricEncryption.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertKeyState } from './keyStates.js';
import { authorizeKey } from './authorize.js';
import { assertEncryptionAlgorithm, assertKeyUsage } from './keyUsage.js';
import { keyNamedByBlob, readBlob, type BlobReference } from './symmetricEnvelope.js';
import { assertNoEncryptionContextForAsymmetric } from './encryption.js';
import { recipientKey, type RecipientInput } from './recipient.js';

export interface Decrypted {
  key: KeyRecord;
  plaintext: Buffer;
  /** Symmetric ciphertexts only: AWS reports KeyMaterialId only when a symmetric encryption key decrypts. */
  keyMaterialId?: string;
  algorithm: string;
}

/**
 * Decrypts a ciphertext for Decrypt and ReEncrypt's source side. `action` is the name used in key-usage
 * texts (Decrypt, ReEncryptFrom).
 *
 * A symmetric ciphertext names its key; an asymmetric one is raw RSAES-OAEP / SM2PKE output that names
 * nothing, so only a KeyId naming an asymmetric key together with a non-default EncryptionAlgorithm makes
 * the blob be treated as raw ciphertext. Everything else is read as a symmetric blob first: without a
 * KeyId a raw ciphertext answers InvalidCiphertextException (AWS-observed, aws-sdk-java#2310), and so does
 * an asymmetric KeyId without EncryptionAlgorithm (measured against AWS by a public emulator: KMS parses
 * the ciphertext before it compares the algorithm with the key).
 * Symmetric ciphertexts are opened at once (no promise: the pipeline then answers without a promise chain);
 * only raw asymmetric ciphertexts, decrypted in the thread pool, give a promise. Errors are thrown, not rejected:
 * every caller awaits or runs inside the pipeline, which treats both alike.
 */
export function decryptCiphertext(
  context: OperationContext,
  blob: Buffer,
  keyIdInput: string | undefined,
  algorithmInput: string | undefined,
  encryptionContext: Record<string, string> | undefined,
  action: string,
): Decrypted | Promise<Decrypted> {
  if (keyIdInput === undefined) {
    const reference = readBlob(blob);
    const key = keyNamedByBlob(context, context.store, reference);
    // Without a KeyId the key the ciphertext names is the resource (not `*`: the MiniStack #1505 bug).
    if (context.authz) authorizeKey(context, key, action);
    assertKeyState(context.operation, key);
    return openSymmetric(key, reference, algorithmInput, encryptionContext, action);
  }
  // The named key is looked up (NotFound, key state) before the blob is read.
  // Decrypt is resolveKey's default action; ReEncrypt's source half names its own (kms:ReEncryptFrom).
  const key = resolveKey(context, keyIdInput, action === 'Decrypt' ? undefined : { action });
  const algorithm = algorithmInput ?? 'SYMMETRIC_DEFAULT';
  if (algorithm !== 'SYMMETRIC_DEFAULT' && isAsymmetricSpec(key.metadata.KeySpec)) {
    return decryptAsymmetric(key, blob, algorithm, encryptionContext, action);
  }
  const reference = readBlob(blob);
  // AWS-recorded: a KeyId that is not the ciphertext's key answers IncorrectKeyException (also when the
  // KeyId names an HMAC key).
  if (key.metadata.KeyId !== reference.keyId) throw errors.incorrectKey();
  return openSymmetric(key, reference, algorithmInput, encryptionContext, action);
}

function openSymmetric(
  key: KeyRecord,
  reference: BlobReference,
  algorithmInput: string | undefined,
  encryptionContext: Record<string, string> | undefined,
  action: string,
): Decrypted {
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', action);
  const algorithm = algorithmInput ?? 'SYMMETRIC_DEFAULT';
  if (algorithm !== 'SYMMETRIC_DEFAULT' || key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw errors.incorrectKey();
  const opened = reference.open(key, encryptionContext);
  return { key, plaintext: opened.plaintext, keyMaterialId: opened.keyMaterialId, algorithm };
}

/**
 * Raw asymmetric ciphertext under the named key. A ciphertext that does not decrypt with this key and
 * algorithm (another key, the other OAEP hash, tampered, garbage) answers InvalidCiphertextException with
 * no message, as AWS does for every ciphertext it cannot open.
 */
async function decryptAsymmetric(
  key: KeyRecord,
  blob: Buffer,
  algorithmInput: string,
  encryptionContext: Record<string, string> | undefined,
  action: string,
): Promise<Decrypted> {
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', action);
  const algorithm = assertEncryptionAlgorithm(key, algorithmInput);
  assertNoEncryptionContextForAsymmetric(key, encryptionContext);
  const spec = key.metadata.KeySpec;
  const material = key.materials[key.materials.length - 1];
  if (!material || !isAsymmetricEncryptionSpec(spec)) throw errors.invalidCiphertext();
  const plaintext = await asymmetricDecrypt(spec, algorithm as AsymmetricEncryptionAlgorithm, material.bytes, blob);
  if (!plaintext) throw errors.invalidCiphertext();
  return { key, plaintext, algorithm };
}

/**
 * Decrypt's DryRun with IGNORE_CIPHERTEXT: only the key is checked, so the KeyId is what names it; a Recipient's
 * attestation document is still read.
 */
export async function checkKeyIgnoringCiphertext(
  context: OperationContext,
  keyIdInput: string | undefined,
  recipient: RecipientInput | undefined,
): Promise<void> {
  if (keyIdInput === undefined) throw errors.validation('KeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.');
  const key = resolveKey(context, keyIdInput);
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', 'Decrypt');
  await recipientKey(recipient);
}
