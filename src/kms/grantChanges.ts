/**
 * The grant operations' rules: CreateGrant's (the key, never an alias; the grant's shape for the key; idempotence
 * by Name; the per-key limit; the new grant record with its token), RetireGrant's (a grant named by token or by key
 * and grant id, retired under the grant's own rules) and RevokeGrant's.
 */
import { KmsError, errors } from '../protocol/errors.js';
import { parseArn } from '../util/arn.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { ownGrants, type KeyRecord } from '../store/records.js';
import { authorizeRetire } from './authorize.js';
import {
  MAX_GRANTS_PER_KEY,
  checkGrantForKey,
  checkGrantRequestShape,
  checkGrantTokens,
  decodeGrantToken,
  encodeGrantToken,
  findGrant,
  grantNotFound,
  invalidGrantToken,
  keyOfToken,
  newGrantId,
  newGrantRecord,
  sameGrantParameters,
  type GrantConstraints,
} from './grants.js';

/** What CreateGrant asks for (its wire members). */
export interface GrantRequest {
  KeyId: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  Operations: string[];
  Constraints?: GrantConstraints;
  GrantTokens?: string[];
  Name?: string;
  DryRun?: boolean;
}

/**
 * Creates (or, by Name, finds) a grant. KeyId is a key id or key ARN (another account's key by ARN). A Name makes the call idempotent:
 * the same Name and parameters on the same key return the existing GrantId, with a new token each time.
 */
export function issueGrant(context: OperationContext, input: GrantRequest): { grantId: string; token: string } {
  checkGrantTokens(input);
  // AWS-observed (boto/boto#3202): an alias name or alias ARN.
  if (input.KeyId.startsWith('alias/') || parseArn(input.KeyId)?.resource.startsWith('alias/')) {
    throw new KmsError('InvalidArnException', 'Key Aliases are not supported for this operation.');
  }
  checkGrantRequestShape(input.Operations, input.Constraints);
  const key = resolveKey(context, input.KeyId);
  checkGrantForKey(key, input.Operations, input.Constraints);

  const existing =
    input.Name === undefined
      ? undefined
      : [...key.grants.values()].find((grant) => grant.Name === input.Name && sameGrantParameters(grant, input));
  if (!existing && key.grants.size >= MAX_GRANTS_PER_KEY) {
    throw new KmsError('LimitExceededException', `The request was rejected because the number of grants on ${key.metadata.Arn} exceeds the limit of ${MAX_GRANTS_PER_KEY}.`);
  }
  if (input.DryRun) throw errors.dryRun();

  let grant = existing;
  if (!grant) {
    grant = newGrantRecord({
      GrantId: newGrantId(),
      ...(input.Name !== undefined ? { Name: input.Name } : {}),
      CreationDate: context.now,
      GranteePrincipal: input.GranteePrincipal,
      ...(input.RetiringPrincipal !== undefined ? { RetiringPrincipal: input.RetiringPrincipal } : {}),
      IssuingAccount: `arn:${context.store.partition}:iam::${context.accountId}:root`,
      Operations: [...input.Operations],
      ...(input.Constraints !== undefined ? { Constraints: structuredClone(input.Constraints) } : {}),
      KeyArn: key.metadata.Arn,
    });
    ownGrants(key).set(grant.GrantId, grant);
  }
  const token = encodeGrantToken({
    accountId: key.metadata.AWSAccountId,
    region: regionOf(key.metadata.Arn),
    keyId: key.metadata.KeyId,
    grantId: grant.GrantId,
  });
  return { grantId: grant.GrantId, token };
}

function regionOf(arn: string): string {
  return parseArn(arn)!.region;
}

/** What RetireGrant asks for (its wire members). */
export interface GrantRetirement {
  GrantToken?: string;
  KeyId?: string;
  GrantId?: string;
  DryRun?: boolean;
}

/**
 * Deletes a grant named by its grant token alone (the token names its key), or by KeyId (key id or key ARN)
 * and GrantId. With a token, KeyId and GrantId are not needed; when given they must name the same grant.
 */
export function retireGrantOf(context: OperationContext, input: GrantRetirement): void {
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
}

/** RevokeGrant on a resolved key (any key state): the grant must exist; DryRun answers before it is deleted. */
export function revokeGrantOf(key: KeyRecord, grantId: string, dryRun: boolean | undefined): void {
  const grant = findGrant(key, grantId);
  if (dryRun) throw errors.dryRun();
  key.grants.delete(grant.GrantId);
}
