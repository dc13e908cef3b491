import { KmsError } from '../protocol/errors.js';
import type { KeyRecord, MultiRegionSet } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';

/**
 * Multi-Region keys: a primary and its replicas (same key id, one per Region of the account) share one
 * `MultiRegionSet`, created by the first ReplicateKey. A primary that was never replicated has none and
 * behaves as any key.
 *
 * Shared properties (developer guide "Multi-Region keys": key id, key spec, key usage, origin, key material,
 * automatic rotation status): for keys whose material AWS KMS generated, every record of the set holds the
 * SAME `materials` array and `rotation` object, so a rotation anywhere (on-demand, or
 * automatic, applied lazily through the primary) is at once the current material of every Region, and a
 * ciphertext, signature or MAC made in one Region verifies in every other. EXTERNAL keys share nothing: each
 * replica is PendingImport and gets the same material imported separately, as in AWS.
 * Independent properties (policy, tags, aliases, description, enabled state, deletion) stay per record.
 *
 * Time, lazily (keyLifecycle.applyElapsedTime → settleMultiRegionSet, whichever Region is looked at; both live in
 * keyLifecycle.ts with the rest of what time does to keys, so this file needs nothing from it):
 * - a replica is `Creating` in the ReplicateKey response and becomes Enabled (PendingImport for EXTERNAL
 *   keys) at the first look-up of any key of the set after it (AWS: about a minute);
 * - replicas whose deletion date passed are deleted and leave every ReplicaKeys list;
 * - a primary in PendingReplicaDeletion becomes PendingDeletion when its last replica is deleted, with
 *   DeletionDate = that moment + PendingDeletionWindowInDays (API reference ScheduleKeyDeletion, KeyMetadata).
 */

/** Recorded for a replica; used for every key that is not a multi-Region primary (unconfirmed for single-Region keys). */
export function notPrimaryError(key: KeyRecord): KmsError {
  return new KmsError('UnsupportedOperationException', `${key.metadata.Arn} is not a multi-region primary key.`);
}

/**
 * Rotation settings are shared by a multi-Region key and its replicas, and only the primary controls them
 * (developer guide "Multi-Region keys"). On a replica: UnsupportedOperationException with the text AWS records
 * for ReplicateKey on a replica (unconfirmed for rotation operations).
 */
export function assertNotReplica(key: KeyRecord): void {
  if (key.metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA') throw notPrimaryError(key);
}

export function isMultiRegionPrimary(key: KeyRecord): boolean {
  return key.metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY';
}

/** Whether the key is a primary with at least one replica (ScheduleKeyDeletion → PendingReplicaDeletion). */
export function hasReplicas(key: KeyRecord): boolean {
  return isMultiRegionPrimary(key) && (key.multiRegionSet?.members.size ?? 1) > 1;
}

/** The primary's set, created on its first replication. */
export function setOf(primary: KeyRecord, store: RegionStore): MultiRegionSet {
  if (!primary.multiRegionSet) {
    primary.multiRegionSet = { primaryRegion: store.region, members: new Map([[store.region, { key: primary, store }]]) };
  }
  return primary.multiRegionSet;
}

/** Rewrites every member's MultiRegionConfiguration from the set (PrimaryKey; ReplicaKeys in replication order). */
export function refreshConfigurations(set: MultiRegionSet): void {
  const primary = set.members.get(set.primaryRegion)!;
  const primaryRef = { Arn: primary.key.metadata.Arn, Region: set.primaryRegion };
  const replicas = [...set.members.entries()].filter(([region]) => region !== set.primaryRegion);
  for (const [region, member] of set.members) {
    member.key.metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: region === set.primaryRegion ? 'PRIMARY' : 'REPLICA',
      PrimaryKey: { ...primaryRef },
      ReplicaKeys: replicas.map(([replicaRegion, replica]) => ({ Arn: replica.key.metadata.Arn, Region: replicaRegion })),
    };
  }
}

/** A new symmetric material became current (rotation): every Region shows it (not a replica still Creating). */
export function syncCurrentMaterial(key: KeyRecord, materialId: string): void {
  for (const member of key.multiRegionSet?.members.values() ?? []) {
    if (member.key.materials === key.materials && member.key.metadata.KeyState !== 'Creating') {
      member.key.metadata.CurrentKeyMaterialId = materialId;
    }
  }
}
