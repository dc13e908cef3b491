import { sealForRecipient } from '../kms/recipient.js';
import type { OperationContext } from '../kms/context.js';
import { generateDataKeyPairUnder, type DataKeyPairRequest } from '../kms/dataKeys.js';

export type GenerateDataKeyPairInput = DataKeyPairRequest;

/** The response of GenerateDataKeyPair (and, without PrivateKeyPlaintext, of GenerateDataKeyPairWithoutPlaintext). */
export async function generateDataKeyPairFor(
  input: GenerateDataKeyPairInput,
  context: OperationContext,
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
) {
  const { key, pair, sealed, enclaveKey } = await generateDataKeyPairUnder(input, context, operation);
  return {
    PrivateKeyCiphertextBlob: sealed.ciphertextBlob,
    // With a Recipient the private key goes only into CiphertextForRecipient (PrivateKeyPlaintext absent).
    PrivateKeyPlaintext: enclaveKey ? undefined : pair.privateKey,
    CiphertextForRecipient: enclaveKey ? sealForRecipient(enclaveKey, pair.privateKey) : undefined,
    PublicKey: pair.publicKey,
    KeyId: key.metadata.Arn,
    KeyPairSpec: input.KeyPairSpec,
    KeyMaterialId: sealed.keyMaterialId,
  };
}

/** GenerateDataKeyPair (response members: AWS-recorded; KeyMaterialId per the current model). */
export async function generateDataKeyPair(input: GenerateDataKeyPairInput, context: OperationContext) {
  return generateDataKeyPairFor(input, context, 'GenerateDataKeyPair');
}
