import type { KeyRecord } from './records.js';
import type { RegionStore, StoreChangeListener } from './regionStore.js';

/**
 * What changed in the stores since the last write to disk: the persistence layer writes exactly these
 * records (whole records, as they are at write time) instead of the whole state.
 *
 * Marks come from three places: the RegionStore's own mutators (keys and aliases added or removed), the keys an
 * operation that changes state looked up (resolveKey.liveKey, for every operation not in READ_ONLY_OPERATIONS),
 * and rotations that time brought about on any lookup (new random material must never be lost).
 * A mark is cheap and idempotent; marking too much costs a bigger write, marking too little loses data, so
 * callers mark generously.
 */
export class ChangeTracker implements StoreChangeListener {
  /** Region store id (`account/region`) → the store and the ids of its changed (or deleted) keys and aliases. */
  private pending = new Map<string, PendingStoreChanges>();
  private clockChanged = false;
  /** Increases with every mark: a request compares it before and after its operation to know it must wait for the write. */
  changeCount = 0;

  keyChanged(store: RegionStore, keyId: string): void {
    this.forStore(store).keyIds.add(keyId);
    this.changeCount++;
  }

  /** A key and, for a replicated multi-Region key, every member of its set (they share material, rotation and configuration). */
  keyRecordChanged(store: RegionStore, key: KeyRecord): void {
    this.keyChanged(store, key.metadata.KeyId);
    for (const member of key.multiRegionSet?.members.values() ?? []) member.store.markKeyChanged(member.key.metadata.KeyId);
  }

  aliasChanged(store: RegionStore, aliasName: string): void {
    this.forStore(store).aliasNames.add(aliasName);
    this.changeCount++;
  }

  /** Custom key stores are few per Region: any change rewrites all of the Region's. */
  customKeyStoresChanged(store: RegionStore): void {
    this.forStore(store).customKeyStores = true;
    this.changeCount++;
  }

  clockOffsetChanged(): void {
    this.clockChanged = true;
    this.changeCount++;
  }

  get isEmpty(): boolean {
    return this.pending.size === 0 && !this.clockChanged;
  }

  /** Takes the marks made so far, leaving the tracker empty for the next write. */
  take(): TakenChanges {
    const taken = { stores: [...this.pending.values()], clock: this.clockChanged };
    this.pending = new Map();
    this.clockChanged = false;
    return taken;
  }

  /** Puts marks back after a failed write, so the next write retries them. */
  restore(taken: TakenChanges): void {
    for (const changes of taken.stores) {
      const target = this.forStore(changes.store);
      for (const keyId of changes.keyIds) target.keyIds.add(keyId);
      for (const aliasName of changes.aliasNames) target.aliasNames.add(aliasName);
      target.customKeyStores ||= changes.customKeyStores;
    }
    this.clockChanged ||= taken.clock;
    this.changeCount++;
  }

  private forStore(store: RegionStore): PendingStoreChanges {
    const id = `${store.accountId}/${store.region}`;
    let changes = this.pending.get(id);
    if (!changes) {
      changes = { store, keyIds: new Set(), aliasNames: new Set(), customKeyStores: false };
      this.pending.set(id, changes);
    }
    return changes;
  }
}

export interface PendingStoreChanges {
  store: RegionStore;
  keyIds: Set<string>;
  aliasNames: Set<string>;
  customKeyStores: boolean;
}

export interface TakenChanges {
  stores: PendingStoreChanges[];
  clock: boolean;
}
