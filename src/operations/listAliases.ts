import type { OperationContext } from '../kms/context.js';
import { listAliasPage, type AliasEntry, type AliasListingRequest } from '../kms/aliasListing.js';

export type ListAliasesInput = AliasListingRequest;

/** ListAliases: the listing, its order and its markers are listAliasPage's (src/kms/aliasListing.ts). */
export function listAliases(input: ListAliasesInput, context: OperationContext) {
  const page = listAliasPage(context, input);
  return output(page.entries, page.nextMarker);
}

function output(entries: AliasEntry[], nextMarker: string | undefined) {
  return nextMarker === undefined
    ? { Aliases: entries, Truncated: false }
    : { Aliases: entries, NextMarker: nextMarker, Truncated: true };
}
