/**
 * The records of the stores ⇄ plain JSON, for the data directory (src/store/filePersistence.ts).
 *
 * Record values are encoded generically: Date, Buffer, Map and Set become tagged objects ({"$date": ISO},
 * {"$base64": …}, {"$map": [[k, v]…]}, {"$set": […]}) and come back as themselves, so a field added to a record
 * is persisted without touching this file. What is derived is not stored and is rebuilt on load: a key's
 * `materialsById` and `aliasNames`, and the object identity of a multi-Region set (its members share one set,
 * and, for material AWS KMS generated, one materials array, one materialsById map and one rotation object).
 *
 * Docs written by an older kmslite are migrated here, by format version (docs/persistence.md).
 */
import type { AliasRecord, KeyRecord } from './records.js';
import type { CustomKeyStoreRecord } from './regionStore.js';
import type { StoreBundle } from './bundle.js';
import type { TakenChanges } from './changeTracker.js';

/** Bump when a stored shape changes incompatibly, and add the migration from the previous version to MIGRATIONS. */
export const DATA_FORMAT_VERSION = 1;

/** version → function turning a state document of that version into one of version + 1. */
const MIGRATIONS: Record<number, (document: StateDocument) => StateDocument> = {};

/** The whole state: kmslite-state.json. */
export interface StateDocument {
  format: 'kmslite-state';
  version: number;
  /** The journal that continues this snapshot has the same generation. */
  generation: number;
  savedAt: string;
  clockOffsetMs: number;
  stores: StoreDocument[];
}

export interface StoreDocument {
  accountId: string;
  region: string;
  /** In listing (creation) order. */
  keys: KeyDocument[];
  aliases: unknown[];
  customKeyStores: unknown[];
}

export type KeyDocument = Record<string, unknown> & { multiRegion?: { primaryRegion: string; regions: string[] } };

/** One journal line: the records that changed, as they were when written (null: deleted). */
export interface JournalBatch {
  clockOffsetMs?: number;
  stores?: StoreChangesDocument[];
}

export interface StoreChangesDocument {
  accountId: string;
  region: string;
  keys: Record<string, KeyDocument | null>;
  aliases: Record<string, unknown>;
  customKeyStores?: unknown[];
}

export class DataFormatError extends Error {}

// ---------------------------------------------------------------- encoding

export function encodeState(stores: StoreBundle, clockOffsetMs: number, generation: number, savedAt: Date): StateDocument {
  return {
    format: 'kmslite-state',
    version: DATA_FORMAT_VERSION,
    generation,
    savedAt: savedAt.toISOString(),
    clockOffsetMs,
    stores: stores.all().map((store) => ({
      accountId: store.accountId,
      region: store.region,
      keys: [...store.keys.values()].map(encodeKey),
      aliases: [...store.aliases.values()].map(encodeValue),
      customKeyStores: [...store.customKeyStores.values()].map(encodeValue),
    })),
  };
}

/** The changed records as they are now. */
export function encodeChanges(changes: TakenChanges, clockOffsetMs: number): JournalBatch {
  const batch: JournalBatch = {};
  if (changes.clock) batch.clockOffsetMs = clockOffsetMs;
  if (changes.stores.length > 0) {
    batch.stores = changes.stores.map(({ store, keyIds, aliasNames, customKeyStores }) => {
      const keys: Record<string, KeyDocument | null> = {};
      for (const keyId of keyIds) {
        const key = store.keys.get(keyId);
        keys[keyId] = key ? encodeKey(key) : null;
      }
      const aliases: Record<string, unknown> = {};
      for (const aliasName of aliasNames) {
        const alias = store.aliases.get(aliasName);
        aliases[aliasName] = alias ? encodeValue(alias) : null;
      }
      return {
        accountId: store.accountId,
        region: store.region,
        keys,
        aliases,
        ...(customKeyStores ? { customKeyStores: [...store.customKeyStores.values()].map(encodeValue) } : {}),
      };
    });
  }
  return batch;
}

function encodeKey(key: KeyRecord): KeyDocument {
  const { materialsById: _byId, aliasNames: _aliases, multiRegionSet, ...stored } = key;
  const document = encodeValue(stored) as KeyDocument;
  if (multiRegionSet) document.multiRegion = { primaryRegion: multiRegionSet.primaryRegion, regions: [...multiRegionSet.members.keys()] };
  return document;
}

export function encodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [k, encodeValue(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    if (member !== undefined) result[name] = encodeValue(member);
  }
  return result;
}

// ---------------------------------------------------------------- decoding

export function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const object = value as Record<string, unknown>;
  if ('$date' in object) {
    const date = new Date(String(object.$date));
    if (Number.isNaN(date.getTime())) throw new DataFormatError(`invalid date ${JSON.stringify(object.$date)}`);
    return date;
  }
  if ('$base64' in object) return Buffer.from(String(object.$base64), 'base64');
  if ('$map' in object) {
    if (!Array.isArray(object.$map)) throw new DataFormatError('invalid map');
    return new Map((object.$map as [unknown, unknown][]).map(([k, v]) => [k, decodeValue(v)]));
  }
  if ('$set' in object) {
    if (!Array.isArray(object.$set)) throw new DataFormatError('invalid set');
    return new Set(object.$set.map(decodeValue));
  }
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(object)) result[name] = decodeValue(member);
  return result;
}

/** Checks the envelope of a state document and migrates it to the current version. */
export function checkStateDocument(document: unknown): StateDocument {
  if (typeof document !== 'object' || document === null || (document as StateDocument).format !== 'kmslite-state') {
    throw new DataFormatError('it is not a kmslite state file (no "format": "kmslite-state")');
  }
  let state = document as StateDocument;
  if (!Number.isInteger(state.version) || state.version < 1) throw new DataFormatError(`unknown format version ${JSON.stringify(state.version)}`);
  if (state.version > DATA_FORMAT_VERSION) {
    throw new DataFormatError(`format version ${state.version} is newer than this kmslite reads (${DATA_FORMAT_VERSION}); use the kmslite that wrote it, or a newer one`);
  }
  while (state.version < DATA_FORMAT_VERSION) {
    const migrate = MIGRATIONS[state.version];
    if (!migrate) throw new DataFormatError(`no migration from format version ${state.version}`);
    state = migrate(state);
  }
  if (!Number.isInteger(state.generation) || typeof state.clockOffsetMs !== 'number' || !Array.isArray(state.stores)) {
    throw new DataFormatError('missing generation, clockOffsetMs or stores');
  }
  return state;
}

/** Puts a state document's records into empty stores. */
export function restoreState(document: StateDocument, stores: StoreBundle): void {
  for (const storeDocument of document.stores) {
    const where = `store ${storeDocument.accountId}/${storeDocument.region}`;
    if (typeof storeDocument.accountId !== 'string' || typeof storeDocument.region !== 'string') throw new DataFormatError(`${where}: no account or region`);
    const store = stores.get(storeDocument.accountId, storeDocument.region);
    for (const keyDocument of arrayOf(storeDocument.keys, `${where} keys`)) store.putKey(decodeKey(keyDocument, where));
    for (const aliasDocument of arrayOf(storeDocument.aliases, `${where} aliases`)) store.putAlias(decodeAlias(aliasDocument, where));
    for (const storeRecord of arrayOf(storeDocument.customKeyStores, `${where} custom key stores`)) {
      const record = decodeCustomKeyStore(storeRecord, where);
      store.customKeyStores.set(record.id, record);
    }
  }
}

/** Applies one journal batch on top of restored state. */
export function applyJournalBatch(batch: JournalBatch, stores: StoreBundle, setClockOffset: (offsetMs: number) => void): void {
  if (typeof batch.clockOffsetMs === 'number') setClockOffset(batch.clockOffsetMs);
  for (const changes of batch.stores ?? []) {
    const where = `store ${changes.accountId}/${changes.region}`;
    const store = stores.get(changes.accountId, changes.region);
    for (const [keyId, keyDocument] of Object.entries(changes.keys ?? {})) {
      if (keyDocument === null) store.deleteKey(keyId);
      else store.putKey(decodeKey(keyDocument, where));
    }
    for (const [aliasName, aliasDocument] of Object.entries(changes.aliases ?? {})) {
      if (aliasDocument === null) store.deleteAlias(aliasName);
      else store.putAlias(decodeAlias(aliasDocument, where));
    }
    if (changes.customKeyStores) {
      store.customKeyStores.clear();
      for (const storeRecord of changes.customKeyStores) {
        const record = decodeCustomKeyStore(storeRecord, where);
        store.customKeyStores.set(record.id, record);
      }
    }
  }
}

/**
 * What is derived rather than stored, rebuilt once every record is in: aliasNames from the aliases (an alias
 * whose key is gone goes too) and multi-Region sets.
 */
export function rebuildDerivedState(stores: StoreBundle): void {
  for (const store of stores.all()) {
    for (const alias of [...store.aliases.values()]) {
      const key = store.keys.get(alias.TargetKeyId);
      if (key) key.aliasNames.add(alias.AliasName);
      else store.deleteAlias(alias.AliasName);
    }
  }
  rebuildMultiRegionSets(stores);
}

function rebuildMultiRegionSets(stores: StoreBundle): void {
  const sets = new Map<string, { primaryRegion: string; regions: string[] }>();
  for (const store of stores.all()) {
    for (const key of store.keys.values()) {
      const multiRegion = (key as KeyRecord & { multiRegion?: KeyDocument['multiRegion'] }).multiRegion;
      if (!multiRegion) continue;
      delete (key as { multiRegion?: unknown }).multiRegion;
      sets.set(`${store.accountId}/${key.metadata.KeyId}`, multiRegion);
    }
  }
  for (const [id, { primaryRegion, regions }] of sets) {
    const [accountId, keyId] = id.split('/') as [string, string];
    const members = new Map<string, { key: KeyRecord; store: ReturnType<StoreBundle['get']> }>();
    for (const region of regions) {
      const store = stores.find(accountId, region);
      const key = store?.keys.get(keyId);
      if (store && key) members.set(region, { key, store });
    }
    const primary = members.get(primaryRegion) ?? members.values().next().value;
    if (!primary) continue;
    const set = { primaryRegion, members };
    for (const member of members.values()) {
      member.key.multiRegionSet = set;
      if (member !== primary && member.key.metadata.Origin !== 'EXTERNAL') {
        member.key.materials = primary.key.materials;
        member.key.materialsById = primary.key.materialsById;
        member.key.rotation = primary.key.rotation;
      }
    }
  }
}

function decodeKey(document: unknown, where: string): KeyRecord {
  if (typeof document !== 'object' || document === null) throw new DataFormatError(`${where}: a key that is not an object`);
  const { multiRegion, ...stored } = document as KeyDocument;
  const key = decodeValue(stored) as KeyRecord;
  const keyId = key.metadata?.KeyId;
  const label = `${where} key ${String(keyId)}`;
  if (typeof keyId !== 'string' || typeof key.metadata.Arn !== 'string') throw new DataFormatError(`${label}: metadata without KeyId or Arn`);
  if (!(key.metadata.CreationDate instanceof Date)) throw new DataFormatError(`${label}: no CreationDate`);
  if (!Array.isArray(key.materials) || key.materials.some((material) => typeof material?.id !== 'string' || !Buffer.isBuffer(material.bytes))) {
    throw new DataFormatError(`${label}: invalid key materials`);
  }
  if (typeof key.policy !== 'string' || !(key.tags instanceof Map) || !(key.grants instanceof Map) || typeof key.rotation !== 'object') {
    throw new DataFormatError(`${label}: invalid policy, tags, grants or rotation`);
  }
  key.materialsById = new Map(key.materials.map((material) => [material.id, material]));
  key.aliasNames = new Set();
  if (multiRegion) (key as KeyRecord & { multiRegion?: unknown }).multiRegion = multiRegion;
  return key;
}

function decodeAlias(document: unknown, where: string): AliasRecord {
  const alias = decodeValue(document) as AliasRecord;
  if (typeof alias?.AliasName !== 'string' || typeof alias.TargetKeyId !== 'string' || typeof alias.AliasArn !== 'string') {
    throw new DataFormatError(`${where}: invalid alias ${JSON.stringify(document).slice(0, 120)}`);
  }
  return alias;
}

function decodeCustomKeyStore(document: unknown, where: string): CustomKeyStoreRecord {
  const record = decodeValue(document) as CustomKeyStoreRecord;
  if (typeof record?.id !== 'string' || typeof record.name !== 'string' || !(record.heldKeyStates instanceof Map)) {
    throw new DataFormatError(`${where}: invalid custom key store ${JSON.stringify(document).slice(0, 120)}`);
  }
  return record;
}

function arrayOf(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new DataFormatError(`${where}: not a list`);
  return value;
}
