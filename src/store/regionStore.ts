import type { AliasRecord, KeyMaterialRecord, KeyRecord } from './records.js';
import { aliasArn, keyArn, partitionFor } from '../util/arn.js';

/**
 * The keys and aliases of one (account, region). Knows nothing of HTTP or of KMS error texts.
 *
 * Listing order is creation order. `keyOrder` / `aliasOrder` are append-only with lazy removal, so a
 * ListKeys page costs O(page) with an index marker, whatever the number of keys.
 */
export class RegionStore {
  readonly partition: string;
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  private readonly keyOrder = new Ordering();
  private readonly aliasOrder = new Ordering();

  constructor(
    readonly accountId: string,
    readonly region: string,
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
  }

  /** Removes the key and the aliases that point at it (what happens when its deletion date passes). */
  deleteKey(keyId: string): void {
    const record = this.keys.get(keyId);
    if (!record) return;
    for (const aliasName of record.aliasNames) {
      this.aliases.delete(aliasName);
      this.aliasOrder.remove(aliasName);
    }
    this.keys.delete(keyId);
    this.keyOrder.remove(keyId);
  }

  putAlias(alias: AliasRecord): void {
    if (!this.aliases.has(alias.AliasName)) this.aliasOrder.add(alias.AliasName);
    this.aliases.set(alias.AliasName, alias);
  }

  deleteAlias(aliasName: string): void {
    const alias = this.aliases.get(aliasName);
    if (!alias) return;
    this.keys.get(alias.TargetKeyId)?.aliasNames.delete(aliasName);
    this.aliases.delete(aliasName);
    this.aliasOrder.remove(aliasName);
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
    return this.keyOrder.resolve(marker) !== undefined;
  }

  isValidAliasMarker(marker: string): boolean {
    return this.aliasOrder.resolve(marker) !== undefined;
  }
}

export interface Page {
  ids: string[];
  nextMarker: string | undefined;
}

/**
 * Insertion order with O(1) add/remove and O(page) paging: an append-only array with holes, compacted
 * when more than half of it is holes. Markers name the next id and its position, so a page survives a
 * compaction between calls.
 */
class Ordering {
  private slots: (string | undefined)[] = [];
  private positions = new Map<string, number>();

  add(id: string): void {
    this.positions.set(id, this.slots.length);
    this.slots.push(id);
  }

  remove(id: string): void {
    const position = this.positions.get(id);
    if (position === undefined) return;
    this.slots[position] = undefined;
    this.positions.delete(id);
    if (this.slots.length > 64 && this.slots.length > 2 * this.positions.size) this.compact();
  }

  page(marker: string | undefined, limit: number): Page {
    let start = marker === undefined ? 0 : (this.resolve(marker) ?? this.slots.length);
    const ids: string[] = [];
    for (; start < this.slots.length && ids.length < limit; start++) {
      const id = this.slots[start];
      if (id !== undefined) ids.push(id);
    }
    while (start < this.slots.length && this.slots[start] === undefined) start++;
    const next = this.slots[start];
    return { ids, nextMarker: next === undefined ? undefined : encodeMarker(start, next) };
  }

  /** Position a marker stands for, or undefined when it is not one of ours. */
  resolve(marker: string): number | undefined {
    const decoded = decodeMarker(marker);
    if (!decoded) return undefined;
    if (this.slots[decoded.position] === decoded.id) return decoded.position;
    const moved = this.positions.get(decoded.id);
    if (moved !== undefined) return moved;
    // The id is gone (deleted since): resume at the first live slot at or after its old position.
    return Math.min(decoded.position, this.slots.length);
  }

  private compact(): void {
    this.slots = this.slots.filter((id): id is string => id !== undefined);
    this.positions = new Map(this.slots.map((id, index) => [id!, index]));
  }
}

function encodeMarker(position: number, id: string): string {
  return Buffer.from(`${position}/${id}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): { position: number; id: string } | undefined {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const position = Number(text.slice(0, slash));
  if (!Number.isSafeInteger(position) || position < 0) return undefined;
  return { position, id: text.slice(slash + 1) };
}

export function addMaterial(record: KeyRecord, material: KeyMaterialRecord): void {
  record.materials.push(material);
  record.materialsById.set(material.id, material);
}
