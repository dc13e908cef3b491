import { randomBytes } from 'node:crypto';
import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';

export interface GenerateRandomInput {
  NumberOfBytes: number;
  CustomKeyStoreId?: string;
  Recipient?: unknown;
}

/** NumberOfBytes presence is checked by the rules table (`NumberOfBytes is required.`), its range by the model. */
export function generateRandom(input: GenerateRandomInput, _context: OperationContext) {
  if (input.CustomKeyStoreId !== undefined || input.Recipient !== undefined) {
    throw new KmsError('UnsupportedOperationException', 'Custom key stores and Recipient are not supported by kmslite yet.');
  }
  return { Plaintext: randomBytes(input.NumberOfBytes) };
}
