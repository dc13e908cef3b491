/**
 * Data keys and data key pairs: generated fresh and encrypted under a symmetric encryption key, exactly as Encrypt
 * does, after the key and (with a Recipient) the attestation document are checked.
 */
import { errors } from '../protocol/errors.js';
import type { DataKeyPairSpec } from '../model/generated/enums.js';
import type { KeyRecord } from '../store/records.js';
import { newDataKeyBytes } from '../crypto/symmetric.js';
import { generateKeyPair } from '../crypto/keyPairs.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertSymmetricEncryptionKey } from './keyUsage.js';
import { sealSymmetric } from './symmetricEnvelope.js';
import { recordUsage } from './usage.js';
import { recipientKey, type EnclaveRecipient, type RecipientInput } from './recipient.js';
import { isSm2Region, sm2OutsideChina } from './sm2Regions.js';

/** What GenerateDataKey(WithoutPlaintext) asks for (its wire members). */
export interface DataKeyRequest {
  KeyId: string;
  EncryptionContext?: Record<string, string>;
  NumberOfBytes?: number;
  KeySpec?: 'AES_256' | 'AES_128';
  GrantTokens?: string[];
  Recipient?: RecipientInput;
  DryRun?: boolean;
}

const KEY_SPEC_BYTES = { AES_256: 32, AES_128: 16 } as const;

/**
 * Shared by GenerateDataKey and GenerateDataKeyWithoutPlaintext. Without a Recipient (the usual request) it
 * answers at once, not with a promise, so the pipeline answers without a promise chain (pipeline.ts); with one,
 * the same steps in the same order after the attestation document is read.
 */
export function generateSymmetricDataKey(input: DataKeyRequest, context: OperationContext, operation: string): GeneratedDataKey | Promise<GeneratedDataKey> {
  // Exactly one of KeySpec and NumberOfBytes (model docs); text is AWS's older GenerateDataKey wording, unconfirmed today.
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw errors.validation('Please specify either number of bytes or key spec.');
  }
  const key = resolveKey(context, input.KeyId);
  assertSymmetricEncryptionKey(key, operation);
  if (input.Recipient !== undefined) return recipientKey(input.Recipient).then((enclaveKey) => generateUnder(key, input, context, enclaveKey));
  return generateUnder(key, input, context, undefined);
}

export interface GeneratedDataKey {
  key: KeyRecord;
  plaintext: Buffer;
  sealed: ReturnType<typeof sealSymmetric>;
  enclaveKey: EnclaveRecipient | undefined;
}

function generateUnder(key: KeyRecord, input: DataKeyRequest, context: OperationContext, enclaveKey: EnclaveRecipient | undefined): GeneratedDataKey {
  if (input.DryRun) throw errors.dryRun();
  const plaintext = newDataKeyBytes(input.KeySpec ? KEY_SPEC_BYTES[input.KeySpec] : input.NumberOfBytes!);
  const sealed = sealSymmetric(key, plaintext, input.EncryptionContext);
  recordUsage(key, context);
  return { key, plaintext, sealed, enclaveKey };
}

/** What GenerateDataKeyPair(WithoutPlaintext) asks for (its wire members). */
export interface DataKeyPairRequest {
  KeyId: string;
  KeyPairSpec: DataKeyPairSpec;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  Recipient?: RecipientInput;
  DryRun?: boolean;
}

export interface GeneratedDataKeyPair {
  key: KeyRecord;
  pair: { privateKey: Buffer; publicKey: Buffer };
  sealed: ReturnType<typeof sealSymmetric>;
  enclaveKey: EnclaveRecipient | undefined;
}

/**
 * Shared by GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair of KeyPairSpec,
 * its private key (PKCS#8 DER) encrypted under the symmetric encryption key KeyId exactly as Encrypt does
 * (so Decrypt opens it, with the same EncryptionContext: AWS-recorded), and its public key (SPKI DER).
 */
export async function generateDataKeyPairUnder(
  input: DataKeyPairRequest,
  context: OperationContext,
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
): Promise<GeneratedDataKeyPair> {
  if (input.KeyPairSpec === 'SM2' && !isSm2Region(context.region)) {
    // SM2 data key pairs exist only in the China Regions ("Key spec reference"); elsewhere SM2 fails like
    // a value outside the enum, as CreateKey's KeySpec does. The enum list leaves SM2 out there (unconfirmed).
    throw sm2OutsideChina(operation, 'KeyPairSpec', input.KeyPairSpec);
  }
  const key = resolveKey(context, input.KeyId);
  assertSymmetricEncryptionKey(key, operation);
  const enclaveKey = await recipientKey(input.Recipient);
  // AWS-recorded: DryRun answers DryRunOperationException when the call would otherwise succeed.
  if (input.DryRun) throw errors.dryRun();
  const pair = await generateKeyPair(input.KeyPairSpec);
  const sealed = sealSymmetric(key, pair.privateKey, input.EncryptionContext);
  recordUsage(key, context);
  return { key, pair, sealed, enclaveKey };
}
