import { RegionStore } from '../../src/store/regionStore.js';
import { buildKey } from '../../src/kms/newKey.js';
import { randomUUID, randomBytes } from 'node:crypto';

function addKeys(store: RegionStore, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    store.putKey(buildKey(store, { keyId: id, materials: [randomBytes(32)], creationDate: new Date() }));
    ids.push(id);
  }
  return ids;
}

function listAll(store: RegionStore, limit: number, between?: (page: number) => void): string[] {
  const seen: string[] = [];
  let marker: string | undefined;
  let page = 0;
  do {
    const result = store.keyIdsPage(marker, limit);
    seen.push(...result.ids);
    marker = result.nextMarker;
    between?.(page++);
  } while (marker !== undefined);
  return seen;
}

test('pages list every key once in creation order', () => {
  const store = new RegionStore('111122223333', 'eu-west-2');
  const ids = addKeys(store, 250);
  expect(listAll(store, 7)).toEqual(ids);
});

test('deleting keys between pages (including compactions) never skips or repeats a surviving key', () => {
  const store = new RegionStore('111122223333', 'eu-west-2');
  const ids = addKeys(store, 400);
  const deleted = new Set<string>();
  const seen = listAll(store, 10, (page) => {
    // Delete a block of keys ahead of and behind the cursor after every page: forces compactions.
    for (const id of ids.slice(page * 10 + 15, page * 10 + 30).concat(ids.slice(Math.max(0, page * 10 - 20), page * 10 - 5))) {
      if (!deleted.has(id)) {
        store.deleteKey(id);
        deleted.add(id);
      }
    }
  });
  expect(new Set(seen).size).toBe(seen.length);
  const survivors = ids.filter((id) => !deleted.has(id));
  for (const id of survivors) expect(seen).toContain(id);
});

test('markers from elsewhere are invalid', () => {
  const store = new RegionStore('111122223333', 'eu-west-2');
  addKeys(store, 3);
  expect(store.isValidKeyMarker('garbage')).toBe(false);
  expect(store.isValidKeyMarker(Buffer.from('kmslite:99').toString('base64url'))).toBe(false);
  const { nextMarker } = store.keyIdsPage(undefined, 1);
  expect(store.isValidKeyMarker(nextMarker!)).toBe(true);
});
