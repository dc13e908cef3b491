import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { revokeGrantOf } from '../kms/grantChanges.js';

export interface RevokeGrantInput {
  KeyId: string;
  GrantId: string;
  DryRun?: boolean;
}

/** Deletes a grant of a key (key id or key ARN, any key state; another account's key by ARN). */
export function revokeGrant(input: RevokeGrantInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  revokeGrantOf(key, input.GrantId, input.DryRun);
  return {};
}
