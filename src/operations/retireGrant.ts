import { errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { authorizeRetire } from '../kms/authorize.js';
import { decodeGrantToken, findGrant, grantNotFound, invalidGrantToken, keyOfToken } from '../kms/grants.js';

export interface RetireGrantInput {
  GrantToken?: string;
  KeyId?: string;
  GrantId?: string;
  DryRun?: boolean;
}

/**
 * Deletes a grant named by its grant token alone (the token names its key), or by KeyId (key id or key ARN)
 * and GrantId. With a token, KeyId and GrantId are not needed; when given they must name the same grant.
 */
export function retireGrant(input: RetireGrantInput, context: OperationContext) {
  let key;
  let grantId: string;
  if (input.GrantToken !== undefined) {
    const fields = decodeGrantToken(input.GrantToken);
    if (!fields || fields.region !== context.region) throw invalidGrantToken();
    key = keyOfToken(context, fields);
    if (input.KeyId !== undefined && resolveKey(context, input.KeyId, { skipStateCheck: true, action: false }) !== key) throw invalidGrantToken();
    if (input.GrantId !== undefined && input.GrantId !== fields.grantId) throw invalidGrantToken();
    grantId = fields.grantId;
    if (!key.grants.has(grantId)) throw grantNotFound(grantId);
  } else {
    if (input.KeyId === undefined || input.GrantId === undefined) {
      throw errors.validation('Grant token OR (grant ID, key ID) must be specified');
    }
    // RetireGrant is authorized by the grant's own rules (authorizeRetire below), not as a key operation.
    key = resolveKey(context, input.KeyId, { skipStateCheck: true, action: false });
    grantId = findGrant(key, input.GrantId).GrantId;
  }
  if (context.authz) authorizeRetire(context, key, key.grants.get(grantId)!);
  if (input.DryRun) throw errors.dryRun();
  key.grants.delete(grantId);
  return {};
}
