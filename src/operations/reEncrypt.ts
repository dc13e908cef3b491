import type { OperationContext } from '../kms/context.js';
import { reEncryptCiphertext, type ReEncryptRequest } from '../kms/reEncryption.js';

export type ReEncryptInput = ReEncryptRequest;

/**
 * ReEncrypt: the source and destination checks, in order, are reEncryptCiphertext's (src/kms/reEncryption.ts).
 * Source/DestinationKeyMaterialId are present only for symmetric keys.
 */
export async function reEncrypt(input: ReEncryptInput, context: OperationContext) {
  const { source, destination, destinationAlgorithm, encrypted } = await reEncryptCiphertext(context, input);
  return {
    CiphertextBlob: encrypted.ciphertextBlob,
    SourceKeyId: source.key.metadata.Arn,
    KeyId: destination.metadata.Arn,
    SourceEncryptionAlgorithm: source.algorithm,
    DestinationEncryptionAlgorithm: destinationAlgorithm,
    SourceKeyMaterialId: source.keyMaterialId,
    DestinationKeyMaterialId: encrypted.keyMaterialId,
  };
}
