import type { OperationContext } from '../kms/context.js';
import { disconnect, findCustomKeyStore, invalidState } from '../kms/customKeyStores.js';

export interface DisconnectCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/**
 * CONNECTED, CONNECTING or FAILED → DISCONNECTED at once (kmslite never shows DISCONNECTING). A store that is
 * already DISCONNECTED is refused (CustomKeyStoreInvalidStateException, API reference). Its keys become
 * Unavailable when next looked at.
 */
export function disconnectCustomKeyStore(input: DisconnectCustomKeyStoreInput, context: OperationContext) {
  const record = findCustomKeyStore(context, input.CustomKeyStoreId);
  if (record.connectionState === 'DISCONNECTED' || record.connectionState === 'DISCONNECTING') {
    throw invalidState(`Custom key store ${record.id} cannot be disconnected because its connection state is ${record.connectionState}.`);
  }
  disconnect(record);
  context.store.tracker?.customKeyStoresChanged(context.store);
  return {};
}
