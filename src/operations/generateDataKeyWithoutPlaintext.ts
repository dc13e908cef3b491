import type { OperationContext } from '../kms/context.js';
import { generateSymmetricDataKey, type DataKeyRequest } from '../kms/dataKeys.js';

export async function generateDataKeyWithoutPlaintext(input: Omit<DataKeyRequest, 'Recipient'>, context: OperationContext) {
  const { key, sealed } = await generateSymmetricDataKey(input, context, 'GenerateDataKeyWithoutPlaintext');
  return { CiphertextBlob: sealed.ciphertextBlob, KeyId: key.metadata.Arn, KeyMaterialId: sealed.keyMaterialId };
}
