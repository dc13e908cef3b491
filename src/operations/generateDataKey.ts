import { errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertSymmetricEncryptionKey } from '../kms/keyUsage.js';
import { sealSymmetric } from '../kms/symmetricEnvelope.js';
import { newDataKeyBytes } from '../crypto/symmetric.js';
import { recordUsage } from '../kms/usage.js';
import type { KeyRecord } from '../store/records.js';
import { recipientKey, sealForRecipient, type EnclaveRecipient, type RecipientInput } from '../kms/recipient.js';

export interface GenerateDataKeyInput {
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
export function generateSymmetricDataKey(input: GenerateDataKeyInput, context: OperationContext, operation: string): GeneratedDataKey | Promise<GeneratedDataKey> {
  // Exactly one of KeySpec and NumberOfBytes (model docs); text is AWS's older GenerateDataKey wording, unconfirmed today.
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw errors.validation('Please specify either number of bytes or key spec.');
  }
  const key = resolveKey(context, input.KeyId);
  assertSymmetricEncryptionKey(key, operation);
  if (input.Recipient !== undefined) return recipientKey(input.Recipient).then((enclaveKey) => generateUnder(key, input, context, enclaveKey));
  return generateUnder(key, input, context, undefined);
}

interface GeneratedDataKey {
  key: KeyRecord;
  plaintext: Buffer;
  sealed: ReturnType<typeof sealSymmetric>;
  enclaveKey: EnclaveRecipient | undefined;
}

function generateUnder(key: KeyRecord, input: GenerateDataKeyInput, context: OperationContext, enclaveKey: EnclaveRecipient | undefined): GeneratedDataKey {
  if (input.DryRun) throw errors.dryRun();
  const plaintext = newDataKeyBytes(input.KeySpec ? KEY_SPEC_BYTES[input.KeySpec] : input.NumberOfBytes!);
  const sealed = sealSymmetric(key, plaintext, input.EncryptionContext);
  recordUsage(key, context);
  return { key, plaintext, sealed, enclaveKey };
}

export function generateDataKey(input: GenerateDataKeyInput, context: OperationContext): GenerateDataKeyOutput | Promise<GenerateDataKeyOutput> {
  const generated = generateSymmetricDataKey(input, context, 'GenerateDataKey');
  if (generated instanceof Promise) return generated.then(generateDataKeyOutput);
  return generateDataKeyOutput(generated);
}

interface GenerateDataKeyOutput {
  CiphertextBlob: Buffer;
  Plaintext: Buffer | undefined;
  CiphertextForRecipient: Buffer | undefined;
  KeyId: string;
  KeyMaterialId: string;
}

function generateDataKeyOutput({ key, plaintext, sealed, enclaveKey }: GeneratedDataKey): GenerateDataKeyOutput {
  return {
    CiphertextBlob: sealed.ciphertextBlob,
    Plaintext: enclaveKey ? undefined : plaintext,
    CiphertextForRecipient: enclaveKey ? sealForRecipient(enclaveKey, plaintext) : undefined,
    KeyId: key.metadata.Arn,
    KeyMaterialId: sealed.keyMaterialId,
  };
}
