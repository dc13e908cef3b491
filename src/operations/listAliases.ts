import type { AliasRecord } from '../store/records.js';
import type { OperationContext } from './_shared/context.js';
import { liveKey, resolveKey } from './_shared/resolveKey.js';
import { aliasListEntry, byCodeUnits, invalidMarker, namePage } from './_shared/aliases.js';

export interface ListAliasesInput {
  KeyId?: string;
  Limit?: number;
  Marker?: string;
}

/** Model docs: Limit 1..100 (the upper bound is enforced by validation), default 50. */
const DEFAULT_LIMIT = 50;

/** Markers of the per-key listing; the unfiltered listing uses the store's own markers. */
const KEY_MARKER_KIND = 'key-aliases';

type Entry = ReturnType<typeof aliasListEntry>;

/**
 * Every alias of the account and Region in creation order, or (KeyId: key id or key ARN, any key state)
 * the aliases of one key sorted by name. A key whose deletion date passed takes its aliases with it.
 */
export function listAliases(input: ListAliasesInput, context: OperationContext) {
  const limit = input.Limit ?? DEFAULT_LIMIT;
  if (input.KeyId !== undefined) {
    const key = resolveKey(context, input.KeyId, { skipStateCheck: true, action: false });
    const names = [...key.aliasNames].sort(byCodeUnits);
    const page = namePage(KEY_MARKER_KIND, names, input.Marker, limit, (name) => aliasListEntry(context.store.aliases.get(name)!));
    return output(page.entries, page.nextMarker);
  }

  const store = context.store;
  if (input.Marker !== undefined && !store.isValidAliasMarker(input.Marker)) throw invalidMarker();
  const entries: Entry[] = [];
  let marker = input.Marker;
  while (entries.length < limit) {
    const page = store.aliasNamesPage(marker, limit - entries.length);
    // Apply elapsed time to the page's keys first: a key deleted now took its aliases along, so read the page again.
    let stale = false;
    for (const name of page.ids) if (!isLive(context, store.aliases.get(name))) stale = true;
    if (stale) continue;
    for (const name of page.ids) {
      const alias = store.aliases.get(name);
      if (alias) entries.push(aliasListEntry(alias));
    }
    marker = page.nextMarker;
    if (marker === undefined) break;
  }
  return output(entries, marker);
}

/** False only when the alias's key was deleted just now (with the alias); a page is never re-read otherwise. */
function isLive(context: OperationContext, alias: AliasRecord | undefined): boolean {
  return alias === undefined || liveKey(context, context.store, alias.TargetKeyId) !== undefined;
}

function output(entries: Entry[], nextMarker: string | undefined) {
  return nextMarker === undefined
    ? { Aliases: entries, Truncated: false }
    : { Aliases: entries, NextMarker: nextMarker, Truncated: true };
}
