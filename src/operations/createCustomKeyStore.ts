import type { OperationContext } from '../kms/context.js';
import { createCustomKeyStoreRecord, type NewCustomKeyStoreRequest } from '../kms/customKeyStoreChanges.js';

export type CreateCustomKeyStoreInput = NewCustomKeyStoreRequest;

/** CreateCustomKeyStore: the checks and the new DISCONNECTED store are createCustomKeyStoreRecord's (src/kms). */
export function createCustomKeyStore(input: CreateCustomKeyStoreInput, context: OperationContext) {
  const record = createCustomKeyStoreRecord(context, input);
  return { CustomKeyStoreId: record.id };
}
