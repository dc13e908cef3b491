import type { OperationContext } from '../kms/context.js';
import { generateSymmetricDataKey, type GenerateDataKeyInput } from './generateDataKey.js';

export async function generateDataKeyWithoutPlaintext(input: Omit<GenerateDataKeyInput, 'Recipient'>, context: OperationContext) {
  const { key, sealed } = await generateSymmetricDataKey(input, context, 'GenerateDataKeyWithoutPlaintext');
  return { CiphertextBlob: sealed.ciphertextBlob, KeyId: key.metadata.Arn, KeyMaterialId: sealed.keyMaterialId };
}
