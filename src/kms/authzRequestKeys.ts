/**
 * The KMS condition keys of one request (AuthzRequest.requestKeys), from its validated input and the key it acts
 * on, as the KMS developer guide lists them ("AWS KMS condition keys", conditions-kms.html; research §1.9).
 * Request keys take the parameter's default when the parameter is absent ("This type of condition works even
 * when the parameter doesn't appear in the request"). Global keys that come from the principal, the resource
 * or the environment (aws:PrincipalArn, aws:ResourceTag/*, kms:ResourceAliases, aws:CurrentTime, ...) are the
 * evaluator's; a principal's declared `Context` overrides are applied by the evaluator over these.
 */
import type { ContextValue } from '../authz/index.js';
import type { KeyRecord } from '../store/records.js';
import { parseArn } from '../util/arn.js';
import type { OperationContext, RequestAuthz } from './context.js';

type Keys = Record<string, ContextValue>;
type Input = Record<string, unknown>;

/** Operations whose EncryptionContext is a request key (kms:EncryptionContext:*, kms:EncryptionContextKeys). */
const TAKES_ENCRYPTION_CONTEXT = new Set([
  'Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
]);

/** Operations with an EncryptionAlgorithm parameter (kms:EncryptionAlgorithm, default SYMMETRIC_DEFAULT). */
const TAKES_ENCRYPTION_ALGORITHM = new Set(['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']);

/** kms:GrantIsForAWSResource is a request key of these (false for every direct call; a principal's Context may say true). */
const GRANT_OPERATIONS = new Set(['CreateGrant', 'ListGrants', 'RevokeGrant']);

/** Condition keys of an operation on an existing key: the key's properties, then the request's own. */
export function keyRequestKeys(context: OperationContext, authz: RequestAuthz, action: string, key: KeyRecord, keyIdInput: string | undefined): Keys {
  const metadata = key.metadata;
  // kms:CallerAccount is the evaluator's (from the principal), like every aws:Principal* key.
  const keys: Keys = {
    'kms:KeySpec': metadata.KeySpec,
    'kms:KeyUsage': metadata.KeyUsage,
    'kms:KeyOrigin': metadata.Origin,
    'kms:MultiRegion': metadata.MultiRegion ? 'true' : 'false',
    // Deprecated names, still honoured by AWS.
    'kms:CustomerMasterKeySpec': metadata.KeySpec,
    'kms:CustomerMasterKeyUsage': metadata.KeyUsage,
  };
  const multiRegionType = metadata.MultiRegionConfiguration?.MultiRegionKeyType;
  if (multiRegionType) keys['kms:MultiRegionKeyType'] = multiRegionType;
  const requestAlias = keyIdInput === undefined ? undefined : aliasNamed(keyIdInput);
  if (requestAlias) keys['kms:RequestAlias'] = requestAlias;
  addOperationKeys(keys, context.operation, action, authz.input, context, key);
  if (authz.attestationKeys) Object.assign(keys, authz.attestationKeys);
  return keys;
}

/** Condition keys of an action without a key resource (CreateKey, ListKeys, the alias half of alias operations...). */
export function requestKeysWithoutKey(context: OperationContext, authz: RequestAuthz, action: string): Keys {
  const keys: Keys = {};
  const input = authz.input;
  if (action === 'CreateKey' && context.operation === 'CreateKey') {
    const keySpec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
    const keyUsage = (input.KeyUsage ?? 'ENCRYPT_DECRYPT') as string;
    keys['kms:KeySpec'] = keys['kms:CustomerMasterKeySpec'] = keySpec;
    keys['kms:KeyUsage'] = keys['kms:CustomerMasterKeyUsage'] = keyUsage;
    keys['kms:KeyOrigin'] = (input.Origin ?? 'AWS_KMS') as string;
    keys['kms:MultiRegion'] = input.MultiRegion === true ? 'true' : 'false';
    if (input.MultiRegion === true) keys['kms:MultiRegionKeyType'] = 'PRIMARY';
    keys['kms:BypassPolicyLockoutSafetyCheck'] = input.BypassPolicyLockoutSafetyCheck === true ? 'true' : 'false';
  }
  if (action === 'CreateKey' && context.operation === 'ReplicateKey') {
    keys['kms:ReplicaRegion'] = input.ReplicaRegion as string;
    keys['kms:MultiRegion'] = 'true';
    keys['kms:MultiRegionKeyType'] = 'REPLICA';
  }
  if (action === 'CreateKey' || action === 'TagResource') addTagKeys(keys, input);
  if (authz.attestationKeys) Object.assign(keys, authz.attestationKeys);
  return keys;
}

function addOperationKeys(keys: Keys, operation: string, action: string, input: Input, context: OperationContext, key: KeyRecord): void {
  if (TAKES_ENCRYPTION_CONTEXT.has(action)) addEncryptionContext(keys, input.EncryptionContext);
  if (TAKES_ENCRYPTION_ALGORITHM.has(action)) keys['kms:EncryptionAlgorithm'] = (input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT') as string;
  if (action.startsWith('GenerateDataKeyPair') && typeof input.KeyPairSpec === 'string') keys['kms:DataKeyPairSpec'] = input.KeyPairSpec;
  if (GRANT_OPERATIONS.has(action)) keys['kms:GrantIsForAWSResource'] = 'false';
  switch (action) {
    case 'ReEncryptFrom':
    case 'ReEncryptTo': {
      const from = action === 'ReEncryptFrom';
      addEncryptionContext(keys, from ? input.SourceEncryptionContext : input.DestinationEncryptionContext);
      keys['kms:EncryptionAlgorithm'] = ((from ? input.SourceEncryptionAlgorithm : input.DestinationEncryptionAlgorithm) ?? 'SYMMETRIC_DEFAULT') as string;
      const other = from ? keyIdIn(context, input.DestinationKeyId) : context.authz?.reEncryptSourceKeyId;
      keys['kms:ReEncryptOnSameKey'] = other === key.metadata.KeyId ? 'true' : 'false';
      if (from) context.authz!.reEncryptSourceKeyId = key.metadata.KeyId;
      break;
    }
    case 'Sign':
    case 'Verify':
      if (typeof input.SigningAlgorithm === 'string') keys['kms:SigningAlgorithm'] = input.SigningAlgorithm;
      keys['kms:MessageType'] = (input.MessageType ?? 'RAW') as string;
      break;
    case 'GenerateMac':
    case 'VerifyMac':
      if (typeof input.MacAlgorithm === 'string') keys['kms:MacAlgorithm'] = input.MacAlgorithm;
      break;
    case 'DeriveSharedSecret':
      if (typeof input.KeyAgreementAlgorithm === 'string') keys['kms:KeyAgreementAlgorithm'] = input.KeyAgreementAlgorithm;
      break;
    case 'CreateGrant': {
      const constraints = input.Constraints as { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> } | undefined;
      // The grant's constraint pairs are the request's encryption context (conditions-kms.html, kms:EncryptionContext:).
      addEncryptionContext(keys, constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset);
      if (constraints?.EncryptionContextEquals) keys['kms:GrantConstraintType'] = 'EncryptionContextEquals';
      else if (constraints?.EncryptionContextSubset) keys['kms:GrantConstraintType'] = 'EncryptionContextSubset';
      if (Array.isArray(input.Operations)) keys['kms:GrantOperations'] = input.Operations as string[];
      if (typeof input.GranteePrincipal === 'string') keys['kms:GranteePrincipal'] = input.GranteePrincipal;
      if (typeof input.RetiringPrincipal === 'string') keys['kms:RetiringPrincipal'] = input.RetiringPrincipal;
      break;
    }
    case 'PutKeyPolicy':
      if (operation === 'PutKeyPolicy') keys['kms:BypassPolicyLockoutSafetyCheck'] = input.BypassPolicyLockoutSafetyCheck === true ? 'true' : 'false';
      break;
    case 'ReplicateKey':
      if (typeof input.ReplicaRegion === 'string') keys['kms:ReplicaRegion'] = input.ReplicaRegion;
      break;
    case 'UpdatePrimaryRegion':
      if (typeof input.PrimaryRegion === 'string') keys['kms:PrimaryRegion'] = input.PrimaryRegion;
      break;
    case 'EnableKeyRotation':
      keys['kms:RotationPeriodInDays'] = String(input.RotationPeriodInDays ?? 365);
      break;
    case 'ScheduleKeyDeletion':
      keys['kms:ScheduleKeyDeletionPendingWindowInDays'] = String(input.PendingWindowInDays ?? 30);
      break;
    case 'GetParametersForImport':
      if (typeof input.WrappingAlgorithm === 'string') keys['kms:WrappingAlgorithm'] = input.WrappingAlgorithm;
      if (typeof input.WrappingKeySpec === 'string') keys['kms:WrappingKeySpec'] = input.WrappingKeySpec;
      break;
    case 'ImportKeyMaterial':
      keys['kms:ExpirationModel'] = (input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES') as string;
      if (input.ValidTo instanceof Date) keys['kms:ValidTo'] = String(Math.floor(input.ValidTo.getTime() / 1000));
      break;
    case 'TagResource':
    case 'UntagResource':
      addTagKeys(keys, input);
      break;
  }
}

function addEncryptionContext(keys: Keys, encryptionContext: unknown): void {
  if (!encryptionContext || typeof encryptionContext !== 'object') return;
  const names = Object.keys(encryptionContext);
  if (names.length === 0) return;
  for (const name of names) keys[`kms:EncryptionContext:${name}`] = (encryptionContext as Record<string, string>)[name]!;
  keys['kms:EncryptionContextKeys'] = names;
}

/** aws:RequestTag/<k> and aws:TagKeys from `Tags` (CreateKey, ReplicateKey, TagResource) or `TagKeys` (UntagResource). */
function addTagKeys(keys: Keys, input: Input): void {
  if (Array.isArray(input.Tags) && input.Tags.length > 0) {
    const tags = input.Tags as { TagKey: string; TagValue: string }[];
    for (const tag of tags) keys[`aws:RequestTag/${tag.TagKey}`] = tag.TagValue;
    keys['aws:TagKeys'] = tags.map((tag) => tag.TagKey);
  } else if (Array.isArray(input.TagKeys)) {
    keys['aws:TagKeys'] = input.TagKeys as string[];
  }
}

/** kms:RequestAlias: the alias name when the request named the key by alias name or alias ARN. */
function aliasNamed(keyIdInput: string): string | undefined {
  if (keyIdInput.startsWith('alias/')) return keyIdInput;
  if (!keyIdInput.startsWith('arn:')) return undefined;
  const resource = parseArn(keyIdInput)?.resource;
  return resource?.startsWith('alias/') ? resource : undefined;
}

/** The key id a KeyId input names in the caller's store, without resolving it (kms:ReEncryptOnSameKey). */
function keyIdIn(context: OperationContext, keyIdInput: unknown): string | undefined {
  if (typeof keyIdInput !== 'string') return undefined;
  const alias = aliasNamed(keyIdInput);
  if (alias) return context.store.aliases.get(alias)?.TargetKeyId;
  if (keyIdInput.startsWith('arn:')) return parseArn(keyIdInput)?.resource.replace(/^key\//, '');
  return keyIdInput;
}
