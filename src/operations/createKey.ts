import type { OperationContext } from '../kms/context.js';
import { createNewKey, type NewKeyRequest } from '../kms/keyCreation.js';

export type CreateKeyInput = NewKeyRequest;

export async function createKey(input: CreateKeyInput, context: OperationContext) {
  const record = await createNewKey(context, input);
  return { KeyMetadata: record.metadata };
}
