import { randomBytes } from 'node:crypto';
import type { OperationContext } from '../kms/context.js';
import { checkRandomSource } from '../kms/customKeyStoreChanges.js';
import { recipientKey, sealForRecipient, type RecipientInput } from '../kms/recipient.js';

export interface GenerateRandomInput {
  NumberOfBytes: number;
  CustomKeyStoreId?: string;
  Recipient?: RecipientInput;
}

/**
 * NumberOfBytes presence is checked by the rules table (`NumberOfBytes is required.`), its range by the model.
 * With a Recipient the bytes go only into CiphertextForRecipient (Plaintext absent).
 */
export async function generateRandom(input: GenerateRandomInput, context: OperationContext) {
  if (input.CustomKeyStoreId !== undefined) checkRandomSource(context, input.CustomKeyStoreId);
  const enclaveKey = await recipientKey(input.Recipient);
  const plaintext = randomBytes(input.NumberOfBytes);
  if (enclaveKey) return { CiphertextForRecipient: sealForRecipient(enclaveKey, plaintext) };
  return { Plaintext: plaintext };
}
