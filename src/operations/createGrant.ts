import type { OperationContext } from '../kms/context.js';
import { issueGrant, type GrantRequest } from '../kms/grantChanges.js';

export type CreateGrantInput = GrantRequest;

/** CreateGrant: the checks, idempotence by Name and the grant token are issueGrant's (src/kms/grantChanges.ts). */
export function createGrant(input: CreateGrantInput, context: OperationContext) {
  const issued = issueGrant(context, input);
  return { GrantToken: issued.token, GrantId: issued.grantId };
}
