import type { OperationContext } from '../kms/context.js';
import { sealForRecipient } from '../kms/recipient.js';
import { generateSymmetricDataKey, type DataKeyRequest, type GeneratedDataKey } from '../kms/dataKeys.js';

export type GenerateDataKeyInput = DataKeyRequest;

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
