import { RegionStore } from './regionStore.js';

/** Every account×region store of one kmslite process, created on first use. */
export class StoreBundle {
  private readonly stores = new Map<string, RegionStore>();

  get(accountId: string, region: string): RegionStore {
    const id = `${accountId}/${region}`;
    let store = this.stores.get(id);
    if (!store) {
      store = new RegionStore(accountId, region);
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
