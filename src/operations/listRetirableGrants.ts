import type { OperationContext } from '../kms/context.js';
import { grantPage } from '../kms/grants.js';
import { retirableGrants } from '../kms/grantListing.js';

export interface ListRetirableGrantsInput {
  RetiringPrincipal: string;
  Limit?: number;
  Marker?: string;
}

/** ListRetirableGrants: which grants is retirableGrants's (src/kms/grantListing.ts); grantPage makes the page. */
export function listRetirableGrants(input: ListRetirableGrantsInput, context: OperationContext) {
  return grantPage(retirableGrants(context, input.RetiringPrincipal), input.Marker, input.Limit);
}
