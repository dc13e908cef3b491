import type { OperationContext } from '../kms/context.js';
import { grantPage } from '../kms/grants.js';
import { grantsOfKey } from '../kms/grantListing.js';

export interface ListGrantsInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
  GrantId?: string;
  GranteePrincipal?: string;
}

/** ListGrants: which grants is grantsOfKey's (src/kms/grantListing.ts); grantPage makes the page. */
export function listGrants(input: ListGrantsInput, context: OperationContext) {
  return grantPage(grantsOfKey(context, input), input.Marker, input.Limit);
}
