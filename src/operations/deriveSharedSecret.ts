import { KmsError, errors } from '../protocol/errors.js';
import type { KeyAgreementAlgorithmSpec } from '../model/generated/enums.js';
import { CURVES, type EccSpec } from '../crypto/keyPairs.js';
import { ecdhSharedSecret } from '../crypto/keyAgreement.js';
import { loadSm2 } from '../crypto/lazyNoble.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertKeyUsage } from '../kms/keyUsage.js';
import { recordUsage } from '../kms/usage.js';
import { recipientKey, sealForRecipient, type RecipientInput } from '../kms/recipient.js';

export interface DeriveSharedSecretInput {
  KeyId: string;
  KeyAgreementAlgorithm: KeyAgreementAlgorithmSpec;
  PublicKey: Buffer;
  GrantTokens?: string[];
  DryRun?: boolean;
  Recipient?: RecipientInput;
}

/**
 * ECDH between the private key of a KEY_AGREEMENT key (ECC_NIST_P256/P384/P521, or SM2 in China Regions) and
 * the peer's DER SubjectPublicKeyInfo. Returns the raw shared secret — the x coordinate, field-size bytes, no
 * KDF (AWS-validated against a local ECDH). Checks, in order: key lookup and state, key usage
 * (`<arn> key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`, AWS-recorded), the algorithm,
 * Recipient (the attestation document: ValidationException when malformed), the public key (not a DER SPKI → ValidationException with no message,
 * AWS-recorded; a valid SPKI of another curve or key type answers the same — unconfirmed), then DryRun.
 */
export async function deriveSharedSecret(input: DeriveSharedSecretInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const metadata = key.metadata;
  assertKeyUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  // Every KEY_AGREEMENT key offers ECDH, the only value the enum allows; kept so a future algorithm fails cleanly.
  if (!metadata.KeyAgreementAlgorithms?.includes(input.KeyAgreementAlgorithm)) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `Algorithm ${input.KeyAgreementAlgorithm} is incompatible with key spec ${metadata.KeySpec}.`,
    );
  }
  const enclaveKey = await recipientKey(input.Recipient);
  const privateKey = key.materials[key.materials.length - 1]?.bytes;
  // Unreachable for a key that passed the state check (no material means PendingImport).
  if (!privateKey) throw errors.internal();
  const sharedSecret =
    metadata.KeySpec === 'SM2'
      ? (await loadSm2()).sm2SharedSecret(privateKey, input.PublicKey)
      : ecdhSharedSecret(privateKey, input.PublicKey, CURVES[metadata.KeySpec as EccSpec]);
  if (!sharedSecret) throw errors.validation();
  if (input.DryRun) throw errors.dryRun();
  recordUsage(key, context);
  return {
    KeyId: metadata.Arn,
    // With a Recipient the secret goes only into CiphertextForRecipient (SharedSecret absent).
    SharedSecret: enclaveKey ? undefined : sharedSecret,
    CiphertextForRecipient: enclaveKey ? sealForRecipient(enclaveKey, sharedSecret) : undefined,
    KeyAgreementAlgorithm: input.KeyAgreementAlgorithm,
    KeyOrigin: metadata.Origin,
  };
}
