/**
 * CreateKey's rules: the key spec and key usage a request may combine, the origin and custom key store members,
 * the policy and tags checked before anything is made, and the new key's material, id and record.
 */
import { errors } from '../protocol/errors.js';
import type { KeySpec, KeyUsageType, OriginType } from '../model/generated/enums.js';
import { isSm2Region, sm2OutsideChina } from './sm2Regions.js';
import type { OperationContext } from './context.js';
import type { KeyRecord } from '../store/records.js';
import { KEY_SPEC_USAGES } from './keySpecs.js';
import { checkNewTags, type Tag } from './tags.js';
import { checkPolicyDocument } from './policy.js';
import { buildKey } from './newKey.js';
import { checkLockout, compileNewKeyPolicy, keyPolicyStored } from './authorize.js';
import { generateSymmetricKeyMaterial } from '../crypto/symmetric.js';
import { generateHmacKey, generateKeyPair, isAsymmetricSpec, isHmacSpec } from '../crypto/keyPairs.js';
import { newKeyId, newMultiRegionKeyId } from '../util/ids.js';
import { checkCustomKeyStore, checkCustomKeyStoreMembers, placeInCustomKeyStore } from './customKeyStoreKeys.js';
import { customKeyOptions } from './localStackTags.js';

/** What CreateKey asks for (its wire members). */
export interface NewKeyRequest {
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

/** Checks a CreateKey request, makes the key (material, id, record) and stores it. */
export async function createNewKey(context: OperationContext, input: NewKeyRequest): Promise<KeyRecord> {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    // The API reference: specify KeySpec or the deprecated CustomerMasterKeySpec, not both (text unconfirmed).
    throw errors.validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
  }
  const keySpec: KeySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (keySpec === 'SM2' && !isSm2Region(context.region)) {
    throw sm2OutsideChina('CreateKey', input.KeySpec !== undefined ? 'KeySpec' : 'CustomerMasterKeySpec', keySpec);
  }
  if (input.KeyUsage === undefined && keySpec !== 'SYMMETRIC_DEFAULT') {
    throw errors.validation('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const keyUsage: KeyUsageType = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!KEY_SPEC_USAGES[keySpec][keyUsage]) throw errors.validation(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`);

  const origin: OriginType = input.Origin ?? 'AWS_KMS';
  const customKeyStore = checkCustomKeyStoreMembers(input, origin, keySpec, keyUsage);
  if (input.Policy !== undefined) checkPolicyDocument(input.Policy);
  // Access control on: the policy as the evaluator reads it (MalformedPolicyDocumentException with its text).
  const compiledPolicy = input.Policy !== undefined && context.authz ? compileNewKeyPolicy(context, input.Policy) : undefined;
  if (input.Tags) checkNewTags(input.Tags);
  const keyStore = customKeyStore && checkCustomKeyStore(context, customKeyStore, origin, input.XksKeyId);
  // LocalStack's _custom_id_ / _custom_key_material_ tags (localStackTags.ts), checked before anything is made.
  const custom = await customKeyOptions(input.Tags, { keySpec, origin, multiRegion: input.MultiRegion ?? false, customKeyStore: customKeyStore !== undefined }, context.store);

  const material = origin === 'EXTERNAL' ? undefined : (custom.material ?? (await newKeyMaterial(keySpec)));
  const record = buildKey(context.store, {
    keyId: custom.keyId ?? (input.MultiRegion ? newMultiRegionKeyId() : newKeyId()),
    keySpec,
    keyUsage,
    description: input.Description,
    policy: input.Policy,
    tags: custom.tags,
    materials: material ? [material.bytes] : [],
    publicKey: material?.publicKey,
    origin,
    multiRegion: input.MultiRegion ?? false,
    creationDate: context.now,
  });
  if (keyStore) placeInCustomKeyStore(record, keyStore, input.XksKeyId);
  if (compiledPolicy) {
    keyPolicyStored(context, record, compiledPolicy);
    checkLockout(context, record, compiledPolicy, input.BypassPolicyLockoutSafetyCheck);
  }
  context.store.putKey(record);
  return record;
}

async function newKeyMaterial(keySpec: KeySpec): Promise<{ bytes: Buffer; publicKey?: Buffer }> {
  if (keySpec === 'SYMMETRIC_DEFAULT') return { bytes: generateSymmetricKeyMaterial() };
  if (isHmacSpec(keySpec)) return { bytes: generateHmacKey(keySpec) };
  if (isAsymmetricSpec(keySpec)) {
    const pair = await generateKeyPair(keySpec);
    return { bytes: pair.privateKey, publicKey: pair.publicKey };
  }
  throw new Error(`no key material generator for ${keySpec}`);
}
