/**
 * CreateGrant's rules: the key (never an alias), the grant's shape for the key, idempotence by Name, the per-key
 * limit, and the new grant record with its token.
 */
import { KmsError, errors } from '../protocol/errors.js';
import { parseArn } from '../util/arn.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { ownGrants } from '../store/records.js';
import {
  MAX_GRANTS_PER_KEY,
  checkGrantForKey,
  checkGrantRequestShape,
  checkGrantTokens,
  encodeGrantToken,
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
