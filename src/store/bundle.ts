import { RegionStore } from './regionStore.js';
import type { ChangeTracker } from './changeTracker.js';

/** Every account×region store of one kmslite process, created on first use. */
export class StoreBundle {
  private readonly stores = new Map<string, RegionStore>();

  /** `tracker`: set when state is persisted; every store marks its changes there. */
  constructor(readonly tracker?: ChangeTracker) {}

  get(accountId: string, region: string): RegionStore {
    const id = `${accountId}/${region}`;
    let store = this.stores.get(id);
    if (!store) {
      store = new RegionStore(accountId, region, this.tracker);
      this.stores.set(id, store);
    }
    return store;
  }

  /** Only stores that exist already; never creates one. */
  find(accountId: string, region: string): RegionStore | undefined {
    return this.stores.get(`${accountId}/${region}`);
  }

  all(): RegionStore[] {
    return [...this.stores.values()];
  }

  clear(): void {
    this.stores.clear();
  }
}
