import type { AliasRecord, KeyMaterialRecord, KeyRecord, MultiRegionMemberStore } from './records.js';
import { aliasArn, keyArn, partitionFor } from '../util/arn.js';

/**
 * The keys and aliases of one (account, region). Knows nothing of HTTP or of KMS error texts.
 *
 * Listing order is creation order. `keyOrder` / `aliasOrder` are append-only with lazy removal, so a
 * ListKeys page costs O(page) with an index marker, whatever the number of keys.
 */
/**
 * Where a store reports its changes. ChangeTracker implements it when state is persisted; declared here so the
 * store does not depend on the persistence side.
 */
export interface StoreChangeListener {
  keyChanged(store: RegionStore, keyId: string): void;
  /** A key and, for a replicated multi-Region key, every member of its set. */
  keyRecordChanged(store: RegionStore, key: KeyRecord): void;
  aliasChanged(store: RegionStore, aliasName: string): void;
  customKeyStoresChanged(store: RegionStore): void;
}

export class RegionStore implements MultiRegionMemberStore {
  readonly partition: string;
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  /** Custom key stores by id, in creation order (Map order); names are unique per account and Region. */
  readonly customKeyStores = new Map<string, CustomKeyStoreRecord>();
  private readonly keyOrder = new Ordering();
  private readonly aliasOrder = new Ordering();

  constructor(
    readonly accountId: string,
    readonly region: string,
    /** Set when state is persisted: every add and removal is marked for the next write. */
    readonly tracker?: StoreChangeListener,
  ) {
    this.partition = partitionFor(region);
  }

  keyArn(keyId: string): string {
    return keyArn(this.region, this.accountId, keyId);
  }

  aliasArn(aliasName: string): string {
    return aliasArn(this.region, this.accountId, aliasName);
  }

  putKey(record: KeyRecord): void {
    if (!this.keys.has(record.metadata.KeyId)) this.keyOrder.add(record.metadata.KeyId);
    this.keys.set(record.metadata.KeyId, record);
    this.tracker?.keyChanged(this, record.metadata.KeyId);
  }

  markKeyChanged(keyId: string): void {
    this.tracker?.keyChanged(this, keyId);
  }

  /** Removes the key and the aliases that point at it (what happens when its deletion date passes). */
  deleteKey(keyId: string): void {
    const record = this.keys.get(keyId);
    if (!record) return;
    // Its multi-Region set changes too (ReplicaKeys lists, a primary leaving PendingReplicaDeletion).
    this.tracker?.keyRecordChanged(this, record);
    for (const aliasName of record.aliasNames) {
      this.aliases.delete(aliasName);
      this.aliasOrder.remove(aliasName);
      this.tracker?.aliasChanged(this, aliasName);
    }
    this.keys.delete(keyId);
    this.keyOrder.remove(keyId);
    this.tracker?.keyChanged(this, keyId);
  }

  putAlias(alias: AliasRecord): void {
    if (!this.aliases.has(alias.AliasName)) this.aliasOrder.add(alias.AliasName);
    this.aliases.set(alias.AliasName, alias);
    this.tracker?.aliasChanged(this, alias.AliasName);
  }

  deleteAlias(aliasName: string): void {
    const alias = this.aliases.get(aliasName);
    if (!alias) return;
    this.keys.get(alias.TargetKeyId)?.aliasNames.delete(aliasName);
    this.aliases.delete(aliasName);
    this.aliasOrder.remove(aliasName);
    this.tracker?.aliasChanged(this, aliasName);
  }

  /** A page of key ids in creation order, starting after `marker` (an opaque string from a previous page). */
  keyIdsPage(marker: string | undefined, limit: number): Page {
    return this.keyOrder.page(marker, limit);
  }

  aliasNamesPage(marker: string | undefined, limit: number): Page {
    return this.aliasOrder.page(marker, limit);
  }

  /** Whether a marker could have come from this store's listings. */
  isValidKeyMarker(marker: string): boolean {
    return this.keyOrder.isValid(marker);
  }

  isValidAliasMarker(marker: string): boolean {
    return this.aliasOrder.isValid(marker);
  }
}

/** An emulated custom key store (src/kms/customKeyStores.ts has its rules). */
export interface CustomKeyStoreRecord {
  id: string;
  name: string;
  type: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  creationDate: Date;
  /** Increasing per store; DescribeCustomKeyStores markers point at it. */
  sequence: number;
  connectionState: 'CONNECTED' | 'CONNECTING' | 'FAILED' | 'DISCONNECTED' | 'DISCONNECTING';
  connectionErrorCode?: string;
  cloudHsmClusterId?: string;
  trustAnchorCertificate?: string;
  keyStorePassword?: string;
  xks?: {
    uriEndpoint: string;
    uriPath: string;
    connectivity: 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE';
    vpcEndpointServiceName?: string;
    vpcEndpointServiceOwner?: string;
    accessKeyId: string;
    rawSecretAccessKey: string;
  };
  /** The Enabled/Disabled state each of its keys had when the store stopped being connected (key id → state). */
  heldKeyStates: Map<string, 'Enabled' | 'Disabled'>;
}

export interface Page {
  ids: string[];
  nextMarker: string | undefined;
}

/**
 * Insertion order with O(1) add, O(n) remove and O(log n + page) paging: an append-only array with holes,
 * compacted when more than half of it is holes. Every id gets an increasing sequence number when added, and a
 * marker is the sequence number where the next page starts, so paging survives deletions and compactions between
 * calls. A removal finds its id by scanning from the newest end (about 40 µs among 10,000 ids) rather than in an
 * id → position map: that map's table was about 46 bytes a key (0.45 MiB for 10,000 keys), for removals, which
 * are rare (a deletion date passing, DeleteAlias).
 */
class Ordering {
  private ids: (string | undefined)[] = [];
  private sequences: number[] = [];
  private size = 0;
  private nextSequence = 0;

  add(id: string): void {
    this.ids.push(id);
    this.sequences.push(this.nextSequence++);
    this.size++;
  }

  remove(id: string): void {
    const position = this.ids.lastIndexOf(id);
    if (position === -1) return;
    this.ids[position] = undefined;
    this.size--;
    if (this.ids.length > 64 && this.ids.length > 2 * this.size) this.compact();
  }

  page(marker: string | undefined, limit: number): Page {
    let position = marker === undefined ? 0 : this.firstPositionFrom(decodeMarker(marker) ?? this.nextSequence);
    const page: string[] = [];
    for (; position < this.ids.length && page.length < limit; position++) {
      const id = this.ids[position];
      if (id !== undefined) page.push(id);
    }
    while (position < this.ids.length && this.ids[position] === undefined) position++;
    return { ids: page, nextMarker: position < this.ids.length ? encodeMarker(this.sequences[position]!) : undefined };
  }

  /** Whether a marker could have come from this ordering. */
  isValid(marker: string): boolean {
    const sequence = decodeMarker(marker);
    return sequence !== undefined && sequence <= this.nextSequence;
  }

  /** The first position whose sequence number is at least `sequence` (binary search; sequences only grow). */
  private firstPositionFrom(sequence: number): number {
    let low = 0;
    let high = this.sequences.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sequences[middle]! < sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compact(): void {
    const ids: string[] = [];
    const sequences: number[] = [];
    this.ids.forEach((id, position) => {
      if (id === undefined) return;
      ids.push(id);
      sequences.push(this.sequences[position]!);
    });
    this.ids = ids;
    this.sequences = sequences;
  }
}

function encodeMarker(sequence: number): string {
  return Buffer.from(`kmslite:${sequence}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): number | undefined {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (!text.startsWith('kmslite:')) return undefined;
  const sequence = Number(text.slice(8));
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : undefined;
}

export function addMaterial(record: KeyRecord, material: KeyMaterialRecord): void {
  record.materials.push(material);
}

/**
 * The key's material with this KeyMaterialId. A scan, not a map per key: almost every key has one material
 * (a rotation adds one), and a map of one entry cost about 270 bytes a key. The newest match wins.
 */
export function materialById(record: KeyRecord, id: string): KeyMaterialRecord | undefined {
  const materials = record.materials;
  for (let i = materials.length - 1; i >= 0; i--) if (materials[i]!.id === id) return materials[i];
  return undefined;
}
