import type { OperationContext } from '../kms/context.js';
import { deleteStore } from '../kms/customKeyStoreChanges.js';

export interface DeleteCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/** DeleteCustomKeyStore: the state rules and the change are deleteStore's (src/kms/customKeyStoreChanges.ts). */
export function deleteCustomKeyStore(input: DeleteCustomKeyStoreInput, context: OperationContext) {
  deleteStore(context, input.CustomKeyStoreId);
  return {};
}
