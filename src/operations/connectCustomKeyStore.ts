import type { OperationContext } from '../kms/context.js';
import { connectStore } from '../kms/customKeyStoreChanges.js';

export interface ConnectCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/** ConnectCustomKeyStore: the state rules and the change are connectStore's (src/kms/customKeyStoreChanges.ts). */
export function connectCustomKeyStore(input: ConnectCustomKeyStoreInput, context: OperationContext) {
  connectStore(context, input.CustomKeyStoreId);
  return {};
}
