import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { grantPage, invalidGrantId, isWellFormedGrantId } from '../kms/grants.js';

export interface ListGrantsInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
  GrantId?: string;
  GranteePrincipal?: string;
}

/**
 * The grants of one key (key id or key ARN, any key state; another account's key by ARN) in creation order,
 * optionally only the grant `GrantId` and/or the grants of one grantee principal.
 */
export function listGrants(input: ListGrantsInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  if (input.GrantId !== undefined && !isWellFormedGrantId(input.GrantId)) throw invalidGrantId(input.GrantId);
  const grants = [...key.grants.values()].filter(
    (grant) =>
      (input.GrantId === undefined || grant.GrantId === input.GrantId) &&
      (input.GranteePrincipal === undefined || grant.GranteePrincipal === input.GranteePrincipal),
  );
  return grantPage(grants, input.Marker, input.Limit);
}
