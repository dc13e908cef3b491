/**
 * CreateKey in a custom key store (API reference CreateKey: Origin, CustomKeyStoreId, XksKeyId). The key's
 * material is generated and kept by kmslite like any AWS_KMS key's; nothing is created in an HSM or behind a
 * proxy, and any XksKeyId is accepted as an existing external key (XksKeyNotFoundException and
 * XksKeyInvalidConfigurationException are never sent).
 */
import { KmsError } from '../protocol/errors.js';
import type { KeySpec, KeyUsageType, OriginType } from '../model/generated/enums.js';
import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { findCustomKeyStore, invalidState, type CustomKeyStoreRecord } from './customKeyStores.js';

const CUSTOM_ORIGINS = new Set<OriginType>(['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']);

/**
 * The request-only checks (before policy and tags): Origin AWS_CLOUDHSM / EXTERNAL_KEY_STORE and
 * CustomKeyStoreId go together; XksKeyId is required with EXTERNAL_KEY_STORE and valid only there; custom key
 * stores hold single-Region symmetric encryption keys only. Returns the store id, or undefined for other keys.
 * Texts unconfirmed.
 */
export function checkCustomKeyStoreMembers(
  input: { CustomKeyStoreId?: string; XksKeyId?: string; MultiRegion?: boolean },
  origin: OriginType,
  keySpec: KeySpec,
  keyUsage: KeyUsageType,
): string | undefined {
  const custom = CUSTOM_ORIGINS.has(origin);
  if (custom && input.CustomKeyStoreId === undefined) {
    throw new KmsError('ValidationException', `CustomKeyStoreId is required when Origin is ${origin}.`);
  }
  if (!custom && input.CustomKeyStoreId !== undefined) {
    throw new KmsError('ValidationException', 'CustomKeyStoreId is valid only when Origin is AWS_CLOUDHSM or EXTERNAL_KEY_STORE.');
  }
  if (origin === 'EXTERNAL_KEY_STORE' && input.XksKeyId === undefined) {
    throw new KmsError('ValidationException', 'XksKeyId is required when Origin is EXTERNAL_KEY_STORE.');
  }
  if (origin !== 'EXTERNAL_KEY_STORE' && input.XksKeyId !== undefined) {
    throw new KmsError('ValidationException', 'XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.');
  }
  if (!custom) return undefined;
  if (keySpec !== 'SYMMETRIC_DEFAULT' || keyUsage !== 'ENCRYPT_DECRYPT') {
    // Developer guide: custom key stores support symmetric encryption KMS keys only.
    throw new KmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported for KMS keys in custom key stores.`);
  }
  if (input.MultiRegion) {
    throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported in custom key stores.');
  }
  return input.CustomKeyStoreId;
}

/** The store must exist, be of the Origin's type, be CONNECTED, and (external) not use the XksKeyId already. */
export function checkCustomKeyStore(
  context: OperationContext,
  id: string,
  origin: OriginType,
  xksKeyId: string | undefined,
): CustomKeyStoreRecord {
  const record = findCustomKeyStore(context, id);
  const expectedType = origin === 'AWS_CLOUDHSM' ? 'AWS_CLOUDHSM' : 'EXTERNAL_KEY_STORE';
  if (record.type !== expectedType) {
    throw new KmsError('ValidationException', `Origin ${origin} is not valid for custom key store ${record.id} of type ${record.type}.`);
  }
  if (record.connectionState !== 'CONNECTED') {
    throw invalidState(`Custom key store ${record.id} is not connected. Its connection state is ${record.connectionState}.`);
  }
  if (xksKeyId !== undefined) {
    for (const key of context.store.keys.values()) {
      if (key.metadata.CustomKeyStoreId === record.id && xksKeyConfiguration(key)?.Id === xksKeyId) {
        throw new KmsError(
          'XksKeyAlreadyInUseException',
          `The external key ${xksKeyId} is already associated with KMS key ${key.metadata.Arn} in custom key store ${record.id}.`,
        );
      }
    }
  }
  return record;
}

/** DescribeKey's CustomKeyStoreId, CloudHsmClusterId or XksKeyConfiguration. */
export function placeInCustomKeyStore(key: KeyRecord, record: CustomKeyStoreRecord, xksKeyId: string | undefined): void {
  const metadata = key.metadata;
  metadata.CustomKeyStoreId = record.id;
  if (record.type === 'AWS_CLOUDHSM') metadata.CloudHsmClusterId = record.cloudHsmClusterId;
  else Object.assign(metadata, { XksKeyConfiguration: { Id: xksKeyId! } });
  // "Present for symmetric encryption keys with AWS_KMS or EXTERNAL origin" (model docs).
  delete metadata.CurrentKeyMaterialId;
}

function xksKeyConfiguration(key: KeyRecord): { Id: string } | undefined {
  return (key.metadata as { XksKeyConfiguration?: { Id: string } }).XksKeyConfiguration;
}
