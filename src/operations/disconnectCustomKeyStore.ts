import type { OperationContext } from '../kms/context.js';
import { disconnectStore } from '../kms/customKeyStoreChanges.js';

export interface DisconnectCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/** DisconnectCustomKeyStore: the state rules and the change are disconnectStore's (src/kms/customKeyStoreChanges.ts). */
export function disconnectCustomKeyStore(input: DisconnectCustomKeyStoreInput, context: OperationContext) {
  disconnectStore(context, input.CustomKeyStoreId);
  return {};
}
