import { errors } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertEncryptionAlgorithm, assertKeyUsage } from './keyUsage.js';
import { recordUsage } from './usage.js';
import { decryptCiphertext, type Decrypted } from './decryption.js';
import { assertEncryptable, assertNoEncryptionContextForAsymmetric, encryptUnder, type EncryptedUnder } from './encryption.js';

/** What ReEncrypt asks for (its wire members). */
export interface ReEncryptRequest {
  CiphertextBlob?: Buffer;
  SourceEncryptionContext?: Record<string, string>;
  SourceKeyId?: string;
  DestinationKeyId: string;
  DestinationEncryptionContext?: Record<string, string>;
  SourceEncryptionAlgorithm?: string;
  DestinationEncryptionAlgorithm?: string;
  GrantTokens?: string[];
  DryRun?: boolean;
  DryRunModifiers?: string[];
}

export interface ReEncrypted {
  source: Decrypted;
  destination: KeyRecord;
  destinationAlgorithm: string;
  encrypted: EncryptedUnder;
}

/**
 * Decrypt under the source key, then encrypt under the destination key, inside kmslite, between any
 * ENCRYPT_DECRYPT keys (symmetric or asymmetric, either way round). The source side is read exactly as
 * Decrypt reads it (an asymmetric source needs SourceKeyId and SourceEncryptionAlgorithm) and checked
 * completely first (AWS-recorded: an HMAC key as source and destination answers IncorrectKeyException, the
 * source's error, not the destination's key-usage error). Key-usage texts name ReEncryptFrom / ReEncryptTo
 * (the latter AWS-recorded).
 */
export async function reEncryptCiphertext(context: OperationContext, input: ReEncryptRequest): Promise<ReEncrypted> {
  const ignoreCiphertext = input.DryRun === true && input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
  if (input.CiphertextBlob === undefined && !ignoreCiphertext) {
    throw errors.validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  }
  let source: Decrypted | undefined;
  if (!ignoreCiphertext) {
    source = await decryptCiphertext(
      context,
      input.CiphertextBlob!,
      input.SourceKeyId,
      input.SourceEncryptionAlgorithm,
      input.SourceEncryptionContext,
      'ReEncryptFrom',
    );
  } else if (input.SourceKeyId !== undefined) {
    assertKeyUsage(resolveKey(context, input.SourceKeyId, { action: 'ReEncryptFrom' }), 'ENCRYPT_DECRYPT', 'ReEncryptFrom');
  }
  const destination = resolveKey(context, input.DestinationKeyId, { action: 'ReEncryptTo' });
  assertKeyUsage(destination, 'ENCRYPT_DECRYPT', 'ReEncryptTo');
  const destinationAlgorithm = assertEncryptionAlgorithm(destination, input.DestinationEncryptionAlgorithm);
  if (source) assertEncryptable(destination, destinationAlgorithm, source.plaintext, input.DestinationEncryptionContext);
  else assertNoEncryptionContextForAsymmetric(destination, input.DestinationEncryptionContext);
  if (input.DryRun || !source) throw errors.dryRun();
  const encrypted = await encryptUnder(destination, destinationAlgorithm, source.plaintext, input.DestinationEncryptionContext);
  recordUsage(source.key, context);
  recordUsage(destination, context);
  return { source, destination, destinationAlgorithm, encrypted };
}
