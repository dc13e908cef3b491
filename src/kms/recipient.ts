import { errors } from '../protocol/errors.js';

/** An enclave named by a Recipient: what it can receive. */
export interface EnclaveRecipient {
  /** CiphertextForRecipient: `plaintext` as CMS EnvelopedData for the enclave key (RSAES-OAEP-SHA-256, AES-256-CBC). */
  seal(plaintext: Buffer): Buffer;
}

/** The `Recipient` request member (RecipientInfo). */
export interface RecipientInput {
  AttestationDocument?: Buffer;
  /** RSAES_OAEP_SHA_256, the only value (the model enum is checked before the operation runs). */
  KeyEncryptionAlgorithm?: string;
}

/**
 * The enclave's public key named by a Recipient, or undefined without one. Checked after the key checks and
 * before DryRun, so a DryRun with a bad attestation document answers the real error. A Recipient without an
 * AttestationDocument, or a document that is not a COSE_Sign1 whose payload has an RSA `public_key`,
 * answers ValidationException `Invalid attestation document.` (unconfirmed: AWS's name and text for a
 * rejected document are not documented). Signatures are not verified (see crypto/attestation.ts).
 * A missing KeyEncryptionAlgorithm means RSAES_OAEP_SHA_256 (unconfirmed).
 */
export async function recipientKey(recipient: RecipientInput | undefined): Promise<EnclaveRecipient | undefined> {
  if (recipient === undefined) return undefined;
  if (recipient.AttestationDocument === undefined) throw errors.validation('Invalid attestation document.');
  // CBOR and node-forge load on the first Recipient only: start-up and the common path never pay for them.
  const [{ AttestationDocumentError, attestedPublicKey }, { envelopeForRecipient }] = await Promise.all([
    import('../crypto/attestation.js'),
    import('../crypto/forge.js'),
  ]);
  try {
    const publicKey = attestedPublicKey(recipient.AttestationDocument);
    return { seal: (plaintext) => envelopeForRecipient(publicKey, plaintext) };
  } catch (error) {
    if (error instanceof AttestationDocumentError) throw errors.validation('Invalid attestation document.');
    throw error;
  }
}

export function sealForRecipient(recipient: EnclaveRecipient, plaintext: Buffer): Buffer {
  return recipient.seal(plaintext);
}
