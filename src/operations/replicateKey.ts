import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { sortedTags } from '../kms/tags.js';
import { createReplica, type ReplicaRequest } from '../kms/replicas.js';
import type { KeyMetadata } from '../store/records.js';

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
  const replica = createReplica(context, primary, input);
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
