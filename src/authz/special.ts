/**
 * The three decisions that need more than authorize(): CreateGrant through a grant, RetireGrant, and the
 * lockout safety check.
 */
import { evaluate, evaluateIdentity } from './evaluate.js';
import { atLeastAsStrict, grantHasOperation, matchesGrantPrincipal } from './grants.js';
import { denialMessage } from './messages.js';
import type { Policy } from './policy.js';
import type { AuthzGrant, AuthzRequest, CompiledPolicy, Decision } from './types.js';

/**
 * create-grant-overview.html: a principal whose kms:CreateGrant comes from a grant "can only create grants with
 * the same or fewer operations" and constraints at least as strict. An account grantee needs an identity Allow
 * for CreateGrant (kmslite's choice, as for every grant to an account).
 */
export function grantThroughGrant(request: AuthzRequest, newGrant: Pick<AuthzGrant, 'operations' | 'constraints'>): Decision {
  const byPolicy = evaluate(request, { grants: false });
  if (byPolicy.allowed || byPolicy.decision === 'ExplicitDeny' || request.resource.kind !== 'key') return byPolicy;
  // Root counts as allowed by IAM (evaluateIdentity's implicit allow).
  const identityAllows = evaluateIdentity(request, 'kms:creategrant', request.resource.arn).allow !== undefined;
  const parent = request.resource.grants.find((grant) => {
    if (!grantHasOperation(grant, 'CreateGrant')) return false;
    const who = matchesGrantPrincipal(grant.granteePrincipal, request.principal);
    if (!who || (who === 'account' && !identityAllows)) return false;
    if (!newGrant.operations.every((op) => grantHasOperation(grant, op))) return false;
    return atLeastAsStrict(grant.constraints, newGrant.constraints);
  });
  if (parent) return { allowed: true, decision: 'Allow', statements: [{ source: `grant:${parent.grantId}` }] };
  return byPolicy;
}

/**
 * grant-manage.html, "Retiring and revoking grants": the retiring principal; the grantee when the grant
 * includes RetireGrant; the account in which the grant was created (its root, and its IAM principals with an
 * identity Allow for kms:RetireGrant); likewise an account named as retiring principal. "The kms:RetireGrant
 * permission is not effective in a key policy"; an identity Deny refuses.
 */
export function retireGrant(request: AuthzRequest, grant: AuthzGrant): Decision {
  const resourceArn = request.resource.kind === 'none' ? '*' : request.resource.arn;
  const identity = evaluateIdentity(request, 'kms:retiregrant', resourceArn);
  if (identity.deny) {
    return { allowed: false, decision: 'ExplicitDeny', deniedBy: 'identity', statements: [identity.deny], message: denialMessage(request, 'deny', 'identity') };
  }
  const p = request.principal;
  const accountOk = (who: 'direct' | 'account' | undefined) => who === 'direct' || (who === 'account' && identity.allow !== undefined);
  if (accountOk(matchesGrantPrincipal(grant.retiringPrincipal, p)) || (grantHasOperation(grant, 'RetireGrant') && accountOk(matchesGrantPrincipal(grant.granteePrincipal, p)))) {
    return { allowed: true, decision: 'Allow', statements: [{ source: `grant:${grant.grantId}` }] };
  }
  if (p.accountId === grant.issuingAccount && identity.allow) return { allowed: true, decision: 'Allow', statements: [identity.allow] };
  return { allowed: false, decision: 'ImplicitDeny', missing: 'identity', statements: [], message: denialMessage(request, 'no-allow', 'identity') };
}

/**
 * CreateKey/PutKeyPolicy API reference (`Policy`): "The key policy must allow the calling principal to make a
 * subsequent PutKeyPolicy request on the KMS key". The caller's IAM policies count (research §1.13,
 * aws-samples/rds-snapshot-export-to-s3-pipeline#8); grants do not.
 */
export function lockoutCheck(request: Omit<AuthzRequest, 'action'>, newPolicy: CompiledPolicy): boolean {
  const p = request.principal;
  const resource =
    request.resource.kind === 'key'
      ? request.resource
      : {
          kind: 'key' as const,
          arn: `arn:${p.partition}:kms:${request.environment.region}:${p.accountId}:key/*`,
          accountId: p.accountId,
          region: request.environment.region,
          keyPolicy: newPolicy,
          grants: [],
          tags: {},
          aliases: [],
        };
  const decision = evaluate({ ...request, resource, action: 'kms:PutKeyPolicy' }, { grants: false, keyPolicy: newPolicy as Policy });
  return decision.allowed;
}
