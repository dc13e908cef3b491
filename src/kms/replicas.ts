/**
 * Changes to a multi-Region key's set: ReplicateKey's new replica and UpdatePrimaryRegion's move of the primary.
 */
import { KmsError, errors } from '../protocol/errors.js';
import { ownRotation, type KeyRecord } from '../store/records.js';
import { keyArn, partitionFor } from '../util/arn.js';
import type { OperationContext } from './context.js';
import { checkNewTags, type Tag } from './tags.js';
import { checkPolicyDocument } from './policy.js';
import { buildKey } from './newKey.js';
import { authorizeKey, checkLockout, compileNewKeyPolicy, keyPolicyStored } from './authorize.js';
import { assertKeyState } from './keyStates.js';
import { isMultiRegionPrimary, notPrimaryError, refreshConfigurations, setOf } from './multiRegion.js';

/** What ReplicateKey asks for, besides the primary key (its wire members). */
export interface ReplicaRequest {
  ReplicaRegion: string;
  Policy?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Description?: string;
  Tags?: Tag[];
}

/**
 * Creates a replica of a multi-Region primary key in another Region of the same account and partition.
 * Order of checks: the key (key id or key ARN, in the caller's Region) and its state (key-state table:
 * Disabled, pending (replica) deletion, PendingImport, Creating, Updating refused), that it is a multi-Region
 * primary (AWS-recorded text for a replica; same text for a single-Region key, unconfirmed), the Region
 * (another partition → ValidationException, unconfirmed; the primary's own Region or a Region that already
 * holds a key of the set → AlreadyExistsException, text unconfirmed), then the policy and the tags.
 *
 * The replica: same key id, key spec, usage, origin and key material as the primary (multiRegion.ts shares
 * the material list); its own policy (default key policy unless given), tags and Description ('' unless
 * given: not inherited, AWS-recorded). The response shows it Creating / Enabled false without
 * CurrentKeyMaterialId (AWS-recorded); it is Enabled at the first look-up of the set after this response
 * (AWS: about a minute; kmslite's choice, documented in multiRegion.ts). EXTERNAL keys: the replica has no
 * material and becomes PendingImport.
 * Returns the replica's record, stored in the replica Region's store and joined to the primary's multi-Region set.
 */
export function createReplica(context: OperationContext, primary: KeyRecord, input: ReplicaRequest): KeyRecord {
  if (!primary.metadata.MultiRegion || !isMultiRegionPrimary(primary)) throw notPrimaryError(primary);
  const replicaRegion = input.ReplicaRegion;
  const keyId = primary.metadata.KeyId;
  if (partitionFor(replicaRegion) !== context.store.partition) {
    throw errors.validation(`Replica region ${replicaRegion} is not in the same partition as the primary key.`);
  }
  const replicaStore = context.stores.get(context.accountId, replicaRegion);
  if (replicaRegion === context.region || primary.multiRegionSet?.members.has(replicaRegion) || replicaStore.keys.has(keyId)) {
    throw new KmsError('AlreadyExistsException', `${replicaStore.keyArn(keyId)} already exists.`);
  }
  if (input.Policy !== undefined) checkPolicyDocument(input.Policy);
  const compiledPolicy = input.Policy !== undefined && context.authz ? compileNewKeyPolicy(context, input.Policy) : undefined;
  if (input.Tags) checkNewTags(input.Tags);

  const shared = primary.metadata.Origin !== 'EXTERNAL';
  const replica = buildKey(replicaStore, {
    keyId,
    keySpec: primary.metadata.KeySpec,
    keyUsage: primary.metadata.KeyUsage,
    description: input.Description,
    policy: input.Policy,
    tags: input.Tags,
    materials: [],
    origin: primary.metadata.Origin,
    multiRegion: true,
    creationDate: context.now,
  });
  if (shared) {
    replica.materials = primary.materials;
    // One object for the whole set: the primary takes its own first (a new key shares the frozen default).
    replica.rotation = ownRotation(primary);
  }
  if (compiledPolicy) {
    keyPolicyStored(context, replica, compiledPolicy);
    checkLockout(context, replica, compiledPolicy, input.BypassPolicyLockoutSafetyCheck);
  }
  const metadata = replica.metadata;
  metadata.KeyState = 'Creating';
  metadata.Enabled = false;
  delete metadata.CurrentKeyMaterialId;
  delete metadata.ExpirationModel;

  const set = setOf(primary, context.store);
  set.members.set(replicaRegion, { key: replica, store: replicaStore });
  replica.multiRegionSet = set;
  replicaStore.putKey(replica);
  refreshConfigurations(set);
  return replica;
}

/**
 * Makes the replica in PrimaryRegion the primary key and the current primary (named by KeyId, in the
 * caller's Region: the API reference's "Identifies the current primary key") a replica; every key of the set
 * shows the new MultiRegionConfiguration. Shared properties (material, rotation) are unchanged.
 *
 * Order of checks: the key and its state (key-state table), that it is a multi-Region primary (a replica or a
 * single-Region key → UnsupportedOperationException `<arn> is not a multi-region primary key.`, text as
 * ReplicateKey's recorded one, unconfirmed here), PrimaryRegion naming the key's own Region → no change
 * (unconfirmed), no key of the set in PrimaryRegion → NotFoundException `Key '<arn there>' does not exist`
 * (unconfirmed), the replica's state (both keys must be Enabled when the operation starts: developer guide
 * "Change the primary key"; the same key-state row is applied to it).
 *
 * AWS shows both keys in the transient `Updating` state for a few seconds after the call; kmslite completes
 * the change before answering, so `Updating` is never observed.
 */
export function movePrimaryRegion(context: OperationContext, key: KeyRecord, primaryRegion: string): void {
  if (!key.metadata.MultiRegion || !isMultiRegionPrimary(key)) throw notPrimaryError(key);
  if (primaryRegion === context.region) return;
  const set = key.multiRegionSet;
  const target = set?.members.get(primaryRegion);
  if (!set || !target) {
    throw errors.notFound(`Key '${keyArn(primaryRegion, context.accountId, key.metadata.KeyId)}' does not exist`);
  }
  // kms:UpdatePrimaryRegion is checked on the primary (resolveKey) and on the replica (research §1.4).
  if (context.authz) authorizeKey(context, target.key);
  assertKeyState('UpdatePrimaryRegion', target.key);
  set.primaryRegion = primaryRegion;
  refreshConfigurations(set);
}
