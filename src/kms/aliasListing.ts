/**
 * ListAliases' listing: one key's aliases by name, or every alias of the account and Region with the predefined
 * `alias/aws/*` aliases first, in pages with opaque markers.
 */
import type { AliasRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { liveKey, resolveKey } from './resolveKey.js';
import { aliasListEntry, byCodeUnits, decodeNameMarker, encodeNameMarker, invalidMarker, namePage } from './aliases.js';
import { isPredefinedAwsAlias, PREDEFINED_AWS_ALIAS_NAMES } from './awsManagedKeys.js';

/** What ListAliases asks for (its wire members). */
export interface AliasListingRequest {
  KeyId?: string;
  Limit?: number;
  Marker?: string;
}

/** Model docs: Limit 1..100 (the upper bound is enforced by validation), default 50. */
const DEFAULT_LIMIT = 50;

/** Markers of the per-key listing; the unfiltered listing uses the store's own markers after the predefined aliases. */
const KEY_MARKER_KIND = 'key-aliases';
const PREDEFINED_MARKER_KIND = 'predefined-aliases';

export type AliasEntry = ReturnType<typeof aliasListEntry> | { AliasName: string; AliasArn: string };

/**
 * Every alias of the account and Region, or (KeyId: key id or key ARN, any key state) the aliases of one key sorted
 * by name. The unfiltered listing starts with the predefined `alias/aws/*` aliases in name order, those whose AWS
 * managed key does not exist yet without a TargetKeyId (ListAliases API reference), then the other aliases in
 * creation order. A key whose deletion date passed takes its aliases with it.
 */
export function listAliasPage(context: OperationContext, input: AliasListingRequest): { entries: AliasEntry[]; nextMarker: string | undefined } {
  const limit = input.Limit ?? DEFAULT_LIMIT;
  if (input.KeyId !== undefined) {
    const key = resolveKey(context, input.KeyId, { skipStateCheck: true, action: false });
    const names = [...key.aliasNames].sort(byCodeUnits);
    const page = namePage(KEY_MARKER_KIND, names, input.Marker, limit, (name) => aliasListEntry(context.store.aliases.get(name)!));
    return listed(page.entries, page.nextMarker);
  }

  const store = context.store;
  const entries: AliasEntry[] = [];
  let marker = input.Marker;
  const predefinedFrom = marker === undefined ? PREDEFINED_AWS_ALIAS_NAMES[0] : decodeNameMarker(PREDEFINED_MARKER_KIND, marker);
  if (predefinedFrom !== undefined) {
    const names = PREDEFINED_AWS_ALIAS_NAMES.filter((name) => name >= predefinedFrom);
    for (const name of names.slice(0, limit)) entries.push(predefinedEntry(context, name));
    if (names.length > limit) return listed(entries, encodeNameMarker(PREDEFINED_MARKER_KIND, names[limit]!));
    // The rest of the listing starts at the store's first alias (a marker for its first position).
    const createdPredefined = PREDEFINED_AWS_ALIAS_NAMES.filter((name) => store.aliases.has(name)).length;
    if (store.aliases.size === createdPredefined) return listed(entries, undefined);
    marker = store.aliasNamesPage(undefined, 0).nextMarker;
    if (entries.length === limit) return listed(entries, marker);
  } else if (!store.isValidAliasMarker(marker!)) {
    throw invalidMarker();
  }
  while (entries.length < limit) {
    const page = store.aliasNamesPage(marker, limit - entries.length);
    // Apply elapsed time to the page's keys first: a key deleted now took its aliases along, so read the page again.
    let stale = false;
    for (const name of page.ids) if (!isLive(context, store.aliases.get(name))) stale = true;
    if (stale) continue;
    for (const name of page.ids) {
      const alias = store.aliases.get(name);
      // Predefined aliases were listed first, with or without their key.
      if (alias && !isPredefinedAwsAlias(name)) entries.push(aliasListEntry(alias));
    }
    marker = page.nextMarker;
    if (marker === undefined) break;
  }
  return listed(entries, marker);
}

/** A predefined alias: with its AWS managed key once that exists, else only its name and ARN. */
function predefinedEntry(context: OperationContext, aliasName: string): AliasEntry {
  const alias = context.store.aliases.get(aliasName);
  return alias ? aliasListEntry(alias) : { AliasName: aliasName, AliasArn: context.store.aliasArn(aliasName) };
}

/** False only when the alias's key was deleted just now (with the alias); a page is never re-read otherwise. */
function isLive(context: OperationContext, alias: AliasRecord | undefined): boolean {
  return alias === undefined || liveKey(context, context.store, alias.TargetKeyId) !== undefined;
}

function listed(entries: AliasEntry[], nextMarker: string | undefined) {
  return { entries, nextMarker };
}
