import type { OperationContext } from '../kms/context.js';
import { updateCustomKeyStoreRecord, type CustomKeyStoreUpdate } from '../kms/customKeyStoreChanges.js';

export type UpdateCustomKeyStoreInput = CustomKeyStoreUpdate;

/** UpdateCustomKeyStore: what may change in which connection state is updateCustomKeyStoreRecord's (src/kms). */
export function updateCustomKeyStore(input: UpdateCustomKeyStoreInput, context: OperationContext) {
  updateCustomKeyStoreRecord(context, input);
  return {};
}
