import { errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { findGrant } from '../kms/grants.js';

export interface RevokeGrantInput {
  KeyId: string;
  GrantId: string;
  DryRun?: boolean;
}

/** Deletes a grant of a key (key id or key ARN, any key state; another account's key by ARN). */
export function revokeGrant(input: RevokeGrantInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const grant = findGrant(key, input.GrantId);
  if (input.DryRun) throw errors.dryRun();
  key.grants.delete(grant.GrantId);
  return {};
}
