import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
<<<<<<< HEAD
import { checkNewTags, sortedTags, type Tag } from '../kms/tags.js';
import { checkPolicyDocument } from '../kms/policy.js';
import { buildKey } from '../kms/newKey.js';
import { checkLockout, compileNewKeyPolicy, keyPolicyStored } from '../kms/authorize.js';
import { isMultiRegionPrimary, notPrimaryError, refreshConfigurations, setOf } from '../kms/multiRegion.js';
import { partitionFor } from '../util/arn.js';
import { ownRotation, type KeyMetadata } from '../store/records.js';
=======
import { sortedTags } from '../kms/tags.js';
import { createReplica, type ReplicaRequest } from '../kms/replicas.js';
import type { KeyMetadata } from '../store/records.js';
>>>>>>> adapters

export interface ReplicateKeyInput extends ReplicaRequest {
  KeyId: string;
}

/**
 * ReplicateKey: the key (key id or key ARN, in the caller's Region), then createReplica (src/kms/replicas.ts), which
 * says the order of the checks and what the replica shares with the primary.
 * Response: ReplicaKeyMetadata, ReplicaPolicy, ReplicaTags (sorted by key; no member at all when the replica has no
 * tags: AWS-recorded 2025-11 for a request without Tags).
 */
export function replicateKey(input: ReplicateKeyInput, context: OperationContext) {
  const primary = resolveKey(context, input.KeyId);
<<<<<<< HEAD
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
=======
  const replica = createReplica(context, primary, input);
>>>>>>> adapters
  const metadata = replica.metadata;
  return {
    // A snapshot: the record itself moves on (Creating → Enabled) at the next look-up.
    ReplicaKeyMetadata: { ...metadata, MultiRegionConfiguration: structuredCloneConfiguration(metadata.MultiRegionConfiguration!) },
    ReplicaPolicy: replica.policy,
    ReplicaTags: replica.tags.size > 0 ? sortedTags(replica.tags) : undefined,
  };
}

/** A copy of the configuration (plain strings only; the metadata's Dates stay the record's own objects, never mutated). */
function structuredCloneConfiguration(configuration: NonNullable<KeyMetadata['MultiRegionConfiguration']>) {
  return {
    MultiRegionKeyType: configuration.MultiRegionKeyType,
    PrimaryKey: { ...configuration.PrimaryKey },
    ReplicaKeys: configuration.ReplicaKeys.map((replica) => ({ ...replica })),
  };
}
