import { randomBytes } from 'node:crypto';
import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { findCustomKeyStore, invalidState } from '../kms/customKeyStores.js';
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
  if (input.CustomKeyStoreId !== undefined) {
    // API reference GenerateRandom: an AWS CloudHSM key store, CONNECTED; external key store ids are not valid
    // (texts unconfirmed). The bytes come from node:crypto: there is no cluster.
    const record = findCustomKeyStore(context, input.CustomKeyStoreId);
    if (record.type !== 'AWS_CLOUDHSM') {
      throw new KmsError('UnsupportedOperationException', `GenerateRandom is not supported for external key store ${record.id}.`);
    }
    if (record.connectionState !== 'CONNECTED') {
      throw invalidState(`Custom key store ${record.id} is not connected. Its connection state is ${record.connectionState}.`);
    }
  }
  const enclaveKey = await recipientKey(input.Recipient);
  const plaintext = randomBytes(input.NumberOfBytes);
  if (enclaveKey) return { CiphertextForRecipient: sealForRecipient(enclaveKey, plaintext) };
  return { Plaintext: plaintext };
}
