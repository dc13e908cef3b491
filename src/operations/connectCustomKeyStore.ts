import type { OperationContext } from '../kms/context.js';
import { findCustomKeyStore, invalidState, startConnecting } from '../kms/customKeyStores.js';

export interface ConnectCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/**
 * DISCONNECTED → CONNECTING (→ CONNECTED after the next read; see kms/customKeyStores.ts), or FAILED for the
 * documented unreachable conventions. Connecting a CONNECTING or CONNECTED store changes nothing. A FAILED
 * (or DISCONNECTING) store is refused: AWS requires disconnecting a FAILED store before connecting it again.
 */
export function connectCustomKeyStore(input: ConnectCustomKeyStoreInput, context: OperationContext) {
  const record = findCustomKeyStore(context, input.CustomKeyStoreId);
  if (record.connectionState === 'FAILED' || record.connectionState === 'DISCONNECTING') {
    throw invalidState(
      `Custom key store ${record.id} cannot be connected because its connection state is ${record.connectionState}. Disconnect it first.`,
    );
  }
  if (record.connectionState === 'DISCONNECTED') startConnecting(record);
  context.store.tracker?.customKeyStoresChanged(context.store);
  return {};
}
