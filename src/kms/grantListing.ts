/** The grants ListGrants and ListRetirableGrants list, before grants.ts's grantPage cuts them into pages. */
import type { GrantRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { liveKey, resolveKey } from './resolveKey.js';
import { invalidGrantId, isWellFormedGrantId } from './grants.js';

/**
 * The grants of one key (key id or key ARN, any key state; another account's key by ARN) in creation order,
 * optionally only the grant `GrantId` and/or the grants of one grantee principal.
 */
export function grantsOfKey(context: OperationContext, input: { KeyId: string; GrantId?: string; GranteePrincipal?: string }): GrantRecord[] {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  if (input.GrantId !== undefined && !isWellFormedGrantId(input.GrantId)) throw invalidGrantId(input.GrantId);
  const grants = [...key.grants.values()].filter(
    (grant) =>
      (input.GrantId === undefined || grant.GrantId === input.GrantId) &&
      (input.GranteePrincipal === undefined || grant.GranteePrincipal === input.GranteePrincipal),
  );
  return grants;
}

/** Every grant on a key of the caller's account and Region whose RetiringPrincipal is the one given, in creation order. */
export function retirableGrants(context: OperationContext, retiringPrincipal: string): GrantRecord[] {
  const store = context.store;
  const grants: GrantRecord[] = [];
  for (const keyId of [...store.keys.keys()]) {
    const key = liveKey(context, store, keyId);
    if (!key) continue;
    for (const grant of key.grants.values()) if (grant.RetiringPrincipal === retiringPrincipal) grants.push(grant);
  }
  grants.sort((a, b) => a.sequence - b.sequence);
  return grants;
}
