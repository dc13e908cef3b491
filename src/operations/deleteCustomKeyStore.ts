import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { findCustomKeyStore, invalidState } from '../kms/customKeyStores.js';
import { liveKey } from '../kms/resolveKey.js';

export interface DeleteCustomKeyStoreInput {
  CustomKeyStoreId: string;
}

/**
 * Deletes a DISCONNECTED custom key store that has no KMS keys left (keys pending deletion still count until
 * their deletion date passes: API reference DeleteCustomKeyStore, "schedule deletion of all KMS keys ... and
 * wait for those keys to be deleted").
 */
export function deleteCustomKeyStore(input: DeleteCustomKeyStoreInput, context: OperationContext) {
  const store = context.store;
  const record = findCustomKeyStore(context, input.CustomKeyStoreId);
  if (record.connectionState !== 'DISCONNECTED') {
    throw invalidState(`Custom key store ${record.id} must be disconnected before it can be deleted. Its connection state is ${record.connectionState}.`);
  }
  for (const keyId of [...store.keys.keys()]) {
    const key = liveKey(context, store, keyId);
    if (key?.metadata.CustomKeyStoreId === record.id) {
      throw new KmsError(
        'CustomKeyStoreHasCMKsException',
        `Custom key store ${record.id} cannot be deleted because it contains KMS keys. Schedule their deletion and wait until they are deleted.`,
      );
    }
  }
  store.customKeyStores.delete(record.id);
  context.store.tracker?.customKeyStoresChanged(context.store);
  return {};
}
