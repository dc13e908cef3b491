import { errors } from '../protocol/errors.js';
import { recipientKey, sealForRecipient, type RecipientInput } from '../kms/recipient.js';
import type { DataKeyPairSpec } from '../model/generated/enums.js';
import { generateKeyPair } from '../crypto/keyPairs.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { sealSymmetric } from '../kms/symmetricEnvelope.js';
import { recordUsage } from '../kms/usage.js';
import { assertSymmetricEncryptionKey } from '../kms/keyUsage.js';
import { isSm2Region, sm2OutsideChina } from '../kms/sm2Regions.js';

export interface GenerateDataKeyPairInput {
  KeyId: string;
  KeyPairSpec: DataKeyPairSpec;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  Recipient?: RecipientInput;
  DryRun?: boolean;
}

/**
 * Shared by GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair of KeyPairSpec,
 * its private key (PKCS#8 DER) encrypted under the symmetric encryption key KeyId exactly as Encrypt does
 * (so Decrypt opens it, with the same EncryptionContext: AWS-recorded), and its public key (SPKI DER).
 */
export async function generateDataKeyPairFor(
  input: GenerateDataKeyPairInput,
  context: OperationContext,
  operation: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext',
) {
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
