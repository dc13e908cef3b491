import { KmsError, errors } from '../protocol/errors.js';
import type { KeySpec, KeyUsageType, OriginType } from '../model/generated/enums.js';
import type { OperationContext } from './_shared/context.js';
import { KEY_SPEC_USAGES } from './_shared/keySpecs.js';
import { checkNewTags, type Tag } from './_shared/tags.js';
import { checkPolicyDocument } from './_shared/policy.js';
import { buildSymmetricKey } from './_shared/newKey.js';
import { generateSymmetricKeyMaterial } from '../crypto/symmetric.js';
import { newKeyId, newMultiRegionKeyId } from '../util/ids.js';

export interface CreateKeyInput {
  Policy?: string;
  Description?: string;
  KeyUsage?: KeyUsageType;
  CustomerMasterKeySpec?: KeySpec;
  KeySpec?: KeySpec;
  Origin?: OriginType;
  CustomKeyStoreId?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Tags?: Tag[];
  MultiRegion?: boolean;
  XksKeyId?: string;
}

export function createKey(input: CreateKeyInput, context: OperationContext) {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    // The API reference: specify KeySpec or the deprecated CustomerMasterKeySpec, not both (text unconfirmed).
    throw errors.validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
  }
  const keySpec: KeySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const usages = KEY_SPEC_USAGES[keySpec];
  if (input.KeyUsage === undefined && keySpec !== 'SYMMETRIC_DEFAULT') {
    throw errors.validation('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const keyUsage: KeyUsageType = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!usages[keyUsage]) throw errors.validation(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`);

  const origin: OriginType = input.Origin ?? 'AWS_KMS';
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE' || input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) {
    throw new KmsError('UnsupportedOperationException', 'Custom key stores are not supported by kmslite yet.');
  }
  if (input.Policy !== undefined) checkPolicyDocument(input.Policy);
  if (input.Tags) checkNewTags(input.Tags);
  if (keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported by kmslite yet.`);
  }

  const record = buildSymmetricKey(context.store, {
    keyId: input.MultiRegion ? newMultiRegionKeyId() : newKeyId(),
    description: input.Description,
    policy: input.Policy,
    tags: input.Tags,
    materials: origin === 'EXTERNAL' ? [] : [generateSymmetricKeyMaterial()],
    origin,
    multiRegion: input.MultiRegion ?? false,
    creationDate: context.now,
  });
  context.store.putKey(record);
  return { KeyMetadata: record.metadata };
}
