import type { OperationContext } from '../kms/context.js';
import { retireGrantOf, type GrantRetirement } from '../kms/grantChanges.js';

export type RetireGrantInput = GrantRetirement;

/** RetireGrant: naming the grant (by token, or KeyId and GrantId) and retiring it are retireGrantOf's (src/kms). */
export function retireGrant(input: RetireGrantInput, context: OperationContext) {
  retireGrantOf(context, input);
  return {};
}
