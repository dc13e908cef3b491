import { errors } from '../protocol/errors.js';
import { parseArn } from '../util/arn.js';
import { isWellFormedKeyId } from '../util/ids.js';
import type { KeyRecord } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';
import type { OperationContext } from './context.js';
import { assertKeyState } from './keyStates.js';
import { applyElapsedTime } from './keyLifecycle.js';
import { READ_ONLY_OPERATIONS } from './readOnly.js';
import { noteKey } from './usage.js';
import { accessDenied, authorizeKey } from './authorize.js';
import { createAwsManagedKey, isPredefinedAwsAlias, refuseManagementOfAwsManagedKey } from './awsManagedKeys.js';

/**
 * Operations that take an alias name or alias ARN wherever they take a KeyId (the API reference's
 * "To specify a KMS key, use its key ID, key ARN, alias name, or alias ARN").
 */
const ACCEPTS_ALIAS = new Set([
  'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GetPublicKey',
  'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);

/** Operations AWS lets a caller use on a key in another account, by key or alias ARN ("Cross-account use: Yes"). */
const CROSS_ACCOUNT = new Set([
  ...ACCEPTS_ALIAS, 'CreateGrant', 'GetKeyRotationStatus', 'ListGrants', 'RetireGrant', 'RevokeGrant',
]);

export interface ResolveOptions {
  /** Skip the key-state table (DescribeKey and the like accept every state). Default: apply it. */
  skipStateCheck?: boolean;
  /** Resolve for this operation's rules instead of the request's (ReEncrypt's source and destination). */
  operation?: string;
  /**
   * The action access control checks on the key (default: the operation): `ReEncryptFrom`, `ReEncryptTo`; false
   * when the operation authorizes otherwise (ListAliases: IAM only; RetireGrant: the grant's own rules).
   */
  action?: string | false;
}

/**
 * KeyId input (key id, key ARN, alias name, alias ARN) → the key record, with AWS's NotFound texts,
 * cross-Region/cross-account rules and the key-state table applied.
 */
export function resolveKey(context: OperationContext, keyIdInput: string, options: ResolveOptions = {}): KeyRecord {
  const operation = options.operation ?? context.operation;
  const key = findKey(context, keyIdInput, operation);
  noteKey(key, context);
  // Authorization comes before the key state: an AWS managed key is never managed by its account.
  refuseManagementOfAwsManagedKey(operation, key, callerArn(context));
  // Authorized before the key state: a caller without permission does not learn that a key is disabled (kmslite's choice).
  if (context.authz && options.action !== false) authorizeKey(context, key, options.action ?? operation, keyIdInput);
  if (!options.skipStateCheck) assertKeyState(operation, key);
  return key;
}

function findKey(context: OperationContext, input: string, operation: string): KeyRecord {
  const acceptsAlias = ACCEPTS_ALIAS.has(operation);
  if (input.startsWith('arn:')) return findByArn(context, input, operation, acceptsAlias);
  if (input.startsWith('alias/')) {
    if (!acceptsAlias) throw errors.notFound(`Invalid keyId '${input}'`);
    return findByAlias(context, context.store, input);
  }
  return findById(context, context.store, input);
}

function findByArn(context: OperationContext, arn: string, operation: string, acceptsAlias: boolean): KeyRecord {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'kms') throw errors.notFound(`Invalid arn ${arn}`);
  // AWS-recorded: a key ARN naming another Region answers "Invalid arn <that region>".
  if (parsed.region !== context.region) throw errors.notFound(`Invalid arn ${parsed.region}`);
  if (parsed.partition !== context.store.partition) throw errors.notFound(`Invalid arn ${arn}`);
  let store = context.store;
  if (parsed.accountId !== context.accountId) {
    if (!CROSS_ACCOUNT.has(operation)) {
      throw accessDenied(`User: ${callerArn(context)} is not authorized to perform: kms:${operation} on resource: ${arn} because no resource-based policy allows the kms:${operation} action`);
    }
    const foreign = context.stores.find(parsed.accountId, parsed.region);
    if (!foreign) throw errors.notFound(`Key '${arn}' does not exist`);
    store = foreign;
  }
  if (parsed.resource.startsWith('key/')) {
    const keyId = parsed.resource.slice(4);
    if (keyId.startsWith('alias/')) throw errors.notFound(`Invalid keyId ${keyId}`);
    return findById(context, store, keyId);
  }
  if (parsed.resource.startsWith('alias/') && acceptsAlias) return findByAlias(context, store, parsed.resource);
  throw errors.notFound(`Invalid arn ${arn}`);
}

/**
 * A predefined `alias/aws/<service>` alias without its key yet gets its AWS managed key now, in the caller's own
 * account only: AWS documents this for DescribeKey, and AWS services reach the key by the alias through the
 * cryptographic operations too (S3's first SSE-KMS PutObject calls GenerateDataKey), so every operation that takes
 * an alias does it (docs/aws-compatibility.md).
 */
function findByAlias(context: OperationContext, store: RegionStore, aliasName: string): KeyRecord {
  const alias = store.aliases.get(aliasName);
  if (!alias && store === context.store && isPredefinedAwsAlias(aliasName)) return createAwsManagedKey(store, aliasName, context.now);
  const key = alias && liveKey(context, store, alias.TargetKeyId);
  if (!key) throw errors.notFound(`Alias ${store.aliasArn(aliasName)} is not found.`);
  return key;
}

function findById(context: OperationContext, store: RegionStore, keyId: string): KeyRecord {
  const key = liveKey(context, store, keyId);
  if (key) return key;
  // Seeded keys may carry free-form ids (local-kms allows any string), so look up before judging the form.
  if (!isWellFormedKeyId(keyId)) throw errors.notFound(`Invalid keyId '${keyId}'`);
  throw errors.notFound(`Key '${store.keyArn(keyId)}' does not exist`);
}

/**
 * The key as of now: a key whose deletion date has passed is gone; rotations that fell due are done.
 * With persistence on, the key is marked for the next write when the operation changes state, or when time
 * changed it (a rotation's new random material must survive a restart even if only Encrypt saw it; a replica
 * that finished Creating, material that expired, a custom key store's key that became Unavailable).
 */
export function liveKey(context: OperationContext, store: RegionStore, keyId: string): KeyRecord | undefined {
  const key = store.keys.get(keyId);
  if (!key) return undefined;
  if (!store.tracker) return applyElapsedTime(store, key, context.now) ? key : undefined;
  const before = timeSensitiveState(key);
  if (!applyElapsedTime(store, key, context.now)) return undefined;
  if (!READ_ONLY_OPERATIONS.has(context.operation)) {
    context.touchedKeys?.push({ store, key });
    store.tracker.keyRecordChanged(store, key);
  } else if (timeSensitiveState(key) !== before) {
    store.tracker.keyRecordChanged(store, key);
  }
  return key;
}

/** What applyElapsedTime can change, in one comparable string (only computed with persistence on). */
function timeSensitiveState(key: KeyRecord): string {
  const members = key.multiRegionSet ? [...key.multiRegionSet.members.values()].map((member) => member.key) : [key];
  return members
    .map((member) => {
      const metadata = member.metadata;
      const imported = metadata.Origin === 'EXTERNAL' ? member.materials.filter((material) => material.imported?.state === 'IMPORTED').length : 0;
      return `${metadata.KeyState}/${member.materials.length}/${imported}/${member.pendingMaterial ? 1 : 0}/${member.importParameters?.length ?? 0}/${member.rotation.onDemandRotationStartDate ? 1 : 0}`;
    })
    .join(',');
}

/**
 * The caller as AccessDenied texts name it: the declared principal's ARN (the session ARN for roles) with access
 * control on; otherwise the account's root, as every caller is then.
 */
export function callerArn(context: OperationContext): string {
  return context.authz?.principal.arn ?? `arn:${context.store.partition}:iam::${context.accountId}:root`;
}
