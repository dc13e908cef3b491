/**
 * The records of the stores ⇄ plain JSON, for the data directory (src/store/filePersistence.ts).
 *
 * Record values are encoded generically: Date, Buffer, Map and Set become tagged objects ({"$date": ISO},
 * {"$base64": …}, {"$map": [[k, v]…]}, {"$set": […]}) and come back as themselves, so a field added to a record
 * is persisted without touching this file. What is derived is not stored and is rebuilt on load: a key's
 * `aliasNames`, and the object identity of a multi-Region set (its members share one set,
 * and, for material AWS KMS generated, one materials array and one rotation object).
 *
 * Decoded records are checked (src/store/recordChecks.ts): a value kmslite would never write is damage.
 *
 * Docs written by an older kmslite are migrated here, by format version (docs/persistence.md).
 *
 * Longer than 300 lines because encoding, decoding and migrating the one format are meant to be read together;
 * the checks of decoded records are apart, in recordChecks.ts.
 */
import { CompactKeyMaterial, noAliasNames, noGrants, noTags, ownAliasNames, plainMaterial, type AliasRecord, type KeyRecord } from './records.js';
import { DataFormatError, checkAliasRecord, checkCustomKeyStoreRecord, checkKeyRecord } from './recordChecks.js';
import type { CustomKeyStoreRecord } from './regionStore.js';
import type { StoreBundle } from './bundle.js';
import type { TakenChanges } from './changeTracker.js';

export { DataFormatError };

/** Bump when a stored shape changes incompatibly, and add the migration from the previous version to MIGRATIONS. */
export const DATA_FORMAT_VERSION = 2;

/**
 * version → function turning a state document of that version into one of version + 1.
 *
 * 1 → 2: version 2 added the state file's checksum (checked before this runs; a version 1 file has none), the
 * journal's id and sequence numbers, and `journal` here. A version 1 state file names no journal id: `id: null`
 * says its journal is a version 1 journal, read by version 1's rules (src/store/filePersistence.ts).
 */
const MIGRATIONS: Record<number, (document: StateDocument) => StateDocument> = {
  1: (document) => ({ ...document, version: 2, journal: { id: null, firstSequence: 1, previousId: null } }),
};

/** The whole state: kmslite-state.json. */
export interface StateDocument {
  format: 'kmslite-state';
  version: number;
  /** The journal that continues this snapshot has the same generation. */
  generation: number;
  savedAt: string;
  clockOffsetMs: number;
  /** Where the journal continues this snapshot (src/store/sequencedLog.ts). */
  journal: JournalReference;
  stores: StoreDocument[];
}

export interface JournalReference {
  /** The id in the header of the journal that continues this snapshot; null: migrated from version 1 (see MIGRATIONS). */
  id: string | null;
  /** The sequence number of that journal's first change: everything before it is in this snapshot. */
  firstSequence: number;
  /**
   * The id of the journal this snapshot folded in (null for the first snapshot of a directory): a crash between
   * writing this file and the new journal leaves that journal behind, and it is recognised by this id.
   */
  previousId: string | null;
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
  /** Set when it is written (src/store/sequencedLog.ts). */
  sequence?: number;
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

// ---------------------------------------------------------------- encoding

/** `journal` is left out only where the document is compared rather than written (tests). */
export function encodeState(
  stores: StoreBundle,
  clockOffsetMs: number,
  generation: number,
  savedAt: Date,
  journal: JournalReference = { id: null, firstSequence: 1, previousId: null },
): StateDocument {
  return {
    format: 'kmslite-state',
    version: DATA_FORMAT_VERSION,
    generation,
    savedAt: savedAt.toISOString(),
    clockOffsetMs,
    journal,
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
  const { aliasNames: _aliases, multiRegionSet, ...stored } = key;
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
  // Its bytes are a getter, which Object.entries does not see: written as the plain record it stands for.
  if (value instanceof CompactKeyMaterial) return encodeValue(plainMaterial(value));
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    if (member !== undefined) result[name] = encodeValue(member);
  }
  return result;
}

// ---------------------------------------------------------------- decoding

/** The tagged forms are decoded strictly: only what encodeValue writes (a date it would print, canonical base64). */
export function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const object = value as Record<string, unknown>;
  const tagged = '$date' in object || '$base64' in object || '$map' in object || '$set' in object;
  if (tagged && Object.keys(object).length !== 1) throw new DataFormatError(`a tagged value with other members (${Object.keys(object).join(', ')})`);
  if ('$date' in object) {
    const date = typeof object.$date === 'string' ? new Date(object.$date) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString() !== object.$date) throw new DataFormatError(`invalid date ${JSON.stringify(object.$date)?.slice(0, 40)}`);
    return date;
  }
  if ('$base64' in object) {
    const bytes = typeof object.$base64 === 'string' ? Buffer.from(object.$base64, 'base64') : undefined;
    // Buffer.from skips characters that are not base64: re-encoding tells a changed character. The value is never quoted (key material).
    if (!bytes || bytes.toString('base64') !== object.$base64) throw new DataFormatError('invalid base64 (a character that is not base64, or not in canonical form)');
    return bytes;
  }
  if ('$map' in object) {
    if (!Array.isArray(object.$map) || !object.$map.every((entry) => Array.isArray(entry) && entry.length === 2)) throw new DataFormatError('invalid map');
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
  const journal = state.journal as Partial<JournalReference> | undefined;
  if (!Number.isSafeInteger(state.generation) || state.generation < 1 || !Number.isSafeInteger(state.clockOffsetMs) || typeof state.savedAt !== 'string' || !Array.isArray(state.stores)) {
    throw new DataFormatError('missing or invalid generation, savedAt, clockOffsetMs or stores');
  }
  if (
    typeof journal !== 'object' ||
    journal === null ||
    !(journal.id === null || typeof journal.id === 'string') ||
    !(journal.previousId === null || typeof journal.previousId === 'string') ||
    !Number.isSafeInteger(journal.firstSequence) ||
    journal.firstSequence! < 1
  ) {
    throw new DataFormatError('missing or invalid journal (id, firstSequence, previousId)');
  }
  return state;
}

/** Puts a state document's records into empty stores. */
export function restoreState(document: StateDocument, stores: StoreBundle): void {
  document.stores.forEach((storeDocument, storeIndex) => {
    const where = `stores[${storeIndex}] (${String(storeDocument?.accountId)}/${String(storeDocument?.region)})`;
    if (!isAccountAndRegion(storeDocument)) throw new DataFormatError(`${where}: no account or region`);
    const store = stores.get(storeDocument.accountId, storeDocument.region);
    arrayOf(storeDocument.keys, `${where} keys`).forEach((keyDocument, index) => store.putKey(decodeKey(keyDocument, `${where} keys[${index}]`)));
    arrayOf(storeDocument.aliases, `${where} aliases`).forEach((aliasDocument, index) => store.putAlias(decodeAlias(aliasDocument, `${where} aliases[${index}]`)));
    arrayOf(storeDocument.customKeyStores, `${where} customKeyStores`).forEach((storeRecord, index) => {
      const record = decodeCustomKeyStore(storeRecord, `${where} customKeyStores[${index}]`);
      store.customKeyStores.set(record.id, record);
    });
  });
}

function isAccountAndRegion(value: unknown): value is { accountId: string; region: string } {
  const store = value as { accountId?: unknown; region?: unknown } | null;
  return typeof store === 'object' && store !== null && typeof store.accountId === 'string' && /^[0-9]{12}$/.test(store.accountId) && typeof store.region === 'string' && store.region.length > 0;
}

/** Applies one journal batch on top of restored state. */
export function applyJournalBatch(batch: JournalBatch, stores: StoreBundle, setClockOffset: (offsetMs: number) => void): void {
  if (batch.clockOffsetMs !== undefined && !Number.isSafeInteger(batch.clockOffsetMs)) throw new DataFormatError(`clockOffsetMs ${JSON.stringify(batch.clockOffsetMs)?.slice(0, 40)} is not a number of milliseconds`);
  const changed = batch.stores === undefined ? [] : arrayOf(batch.stores, 'stores');
  // Everything is decoded and checked before anything is applied.
  const decoded = changed.map((changes, storeIndex) => {
    const where = `stores[${storeIndex}] (${String((changes as StoreChangesDocument)?.accountId)}/${String((changes as StoreChangesDocument)?.region)})`;
    if (!isAccountAndRegion(changes)) throw new DataFormatError(`${where}: no account or region`);
    const { keys, aliases, customKeyStores } = changes as StoreChangesDocument;
    if (!isPlainObject(keys) || !isPlainObject(aliases)) throw new DataFormatError(`${where}: keys or aliases is not an object`);
    return {
      changes: changes as StoreChangesDocument,
      keys: Object.entries(keys).map(([keyId, keyDocument]) => {
        const key = keyDocument === null ? null : decodeKey(keyDocument, `${where} key ${keyId}`);
        if (key && key.metadata.KeyId !== keyId) throw new DataFormatError(`${where} key ${keyId}: the record is key ${key.metadata.KeyId}`);
        return [keyId, key] as const;
      }),
      aliases: Object.entries(aliases).map(([aliasName, aliasDocument]) => {
        const alias = aliasDocument === null ? null : decodeAlias(aliasDocument, `${where} alias ${aliasName}`);
        if (alias && alias.AliasName !== aliasName) throw new DataFormatError(`${where} alias ${aliasName}: the record is alias ${alias.AliasName}`);
        return [aliasName, alias] as const;
      }),
      customKeyStores: customKeyStores === undefined ? undefined : arrayOf(customKeyStores, `${where} customKeyStores`).map((record, index) => decodeCustomKeyStore(record, `${where} customKeyStores[${index}]`)),
    };
  });
  if (batch.clockOffsetMs !== undefined) setClockOffset(batch.clockOffsetMs);
  for (const { changes, keys, aliases, customKeyStores } of decoded) {
    const store = stores.get(changes.accountId, changes.region);
    for (const [keyId, key] of keys) {
      if (key === null) store.deleteKey(keyId);
      else store.putKey(key);
    }
    for (const [aliasName, alias] of aliases) {
      if (alias === null) store.deleteAlias(aliasName);
      else store.putAlias(alias);
    }
    if (customKeyStores) {
      store.customKeyStores.clear();
      for (const record of customKeyStores) store.customKeyStores.set(record.id, record);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is derived rather than stored, rebuilt once every record is in: aliasNames from the aliases (an alias
 * whose key is gone goes too) and multi-Region sets.
 */
export function rebuildDerivedState(stores: StoreBundle): void {
  for (const store of stores.all()) {
    for (const alias of [...store.aliases.values()]) {
      const key = store.keys.get(alias.TargetKeyId);
      if (key) ownAliasNames(key).add(alias.AliasName);
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
        member.key.rotation = primary.key.rotation;
      }
    }
  }
}

function decodeKey(document: unknown, where: string): KeyRecord {
  if (!isPlainObject(document)) throw new DataFormatError(`${where}: a key that is not an object`);
  const { multiRegion, ...stored } = document as KeyDocument;
  const keyId = (stored.metadata as { KeyId?: unknown } | undefined)?.KeyId;
  const label = typeof keyId === 'string' && !where.includes(keyId) ? `${where} (key ${keyId})` : where;
  const key = decodeIn(stored, label) as KeyRecord;
  checkKeyRecord(key, label);
  if (multiRegion !== undefined && !(isPlainObject(multiRegion) && typeof multiRegion.primaryRegion === 'string' && Array.isArray(multiRegion.regions) && multiRegion.regions.every((region) => typeof region === 'string'))) {
    throw new DataFormatError(`${label}: invalid multiRegion`);
  }
  key.aliasNames = noAliasNames();
  // As a new key has them (records.ts): empty collections are the shared ones.
  if (key.tags.size === 0) key.tags = noTags();
  if (key.grants.size === 0) key.grants = noGrants();
  if (multiRegion) (key as KeyRecord & { multiRegion?: unknown }).multiRegion = multiRegion;
  return key;
}

function decodeAlias(document: unknown, where: string): AliasRecord {
  const alias = decodeIn(document, where) as AliasRecord;
  checkAliasRecord(alias, where);
  return alias;
}

function decodeCustomKeyStore(document: unknown, where: string): CustomKeyStoreRecord {
  const record = decodeIn(document, where) as CustomKeyStoreRecord;
  checkCustomKeyStoreRecord(record, where);
  return record;
}

/** decodeValue, with `where` in front of its messages. */
function decodeIn(document: unknown, where: string): unknown {
  try {
    return decodeValue(document);
  } catch (error) {
    if (error instanceof DataFormatError) throw new DataFormatError(`${where}: ${error.message}`);
    throw error;
  }
}

function arrayOf(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new DataFormatError(`${where}: not a list`);
  return value;
}
