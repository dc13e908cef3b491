import { errors } from '../protocol/errors.js';
import type { KeyAgreementAlgorithmSpec } from '../model/generated/enums.js';
import type { OperationContext } from '../kms/context.js';
import { keyAgreementKey, sharedSecretWith } from '../kms/keyAgreement.js';
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
  const key = keyAgreementKey(context, input.KeyId, input.KeyAgreementAlgorithm);
  const metadata = key.metadata;
  const enclaveKey = await recipientKey(input.Recipient);
  const sharedSecret = await sharedSecretWith(key, input.PublicKey);
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
