import type { GrantRecord } from '../store/records.js';
import type { OperationContext } from '../kms/context.js';
import { liveKey } from '../kms/resolveKey.js';
import { grantPage } from '../kms/grants.js';

export interface ListRetirableGrantsInput {
  RetiringPrincipal: string;
  Limit?: number;
  Marker?: string;
}

/** Every grant on a key of the caller's account and Region whose RetiringPrincipal is the one given, in creation order. */
export function listRetirableGrants(input: ListRetirableGrantsInput, context: OperationContext) {
  const store = context.store;
  const grants: GrantRecord[] = [];
  for (const keyId of [...store.keys.keys()]) {
    const key = liveKey(context, store, keyId);
    if (!key) continue;
    for (const grant of key.grants.values()) if (grant.RetiringPrincipal === input.RetiringPrincipal) grants.push(grant);
  }
  grants.sort((a, b) => a.sequence - b.sequence);
  return grantPage(grants, input.Marker, input.Limit);
}
