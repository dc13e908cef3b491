/**
 * What the audit trail keeps about access control (`--access-control audit|enforce`): the caller's CloudTrail
 * `userIdentity` (IAMUser, AssumedRole with its sessionContext, Root) and the decision of the request, shown by
 * `GET /_kmslite/audit?explain=true` as a `kmslite` member beside the CloudTrail fields (research §5.8).
 */
import type { Decision, DecidingStatement, Principal } from '../authz/index.js';

/** The compact identity an audit record keeps (the access key id is on the record already). */
export interface AuditIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole';
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
  roleArn?: string;
  roleName?: string;
  /** The role's id part of the session's principalId (`AROA...`). */
  roleId?: string;
}

/** One access-control check a request made (kms/context.ts RequestAuthz.decisions). */
export interface RecordedDecision {
  /** `kms:Encrypt`, ... */
  action: string;
  /** Key or alias ARN, or `*`. */
  resource: string;
  decision: Decision;
}

/** What a record keeps: the decisions as made (the explanation is built when the trail is read, off the request path). */
export interface AuditAccess {
  mode: 'audit' | 'enforce';
  decisions: RecordedDecision[];
}

export interface AuditExplanation {
  mode: 'audit' | 'enforce';
  /** The request's decision: its first denial, else Allow. */
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  missing?: 'resource' | 'identity';
  deniedBy?: 'resource' | 'identity';
  statements: DecidingStatement[];
  /** Every check the request made, in order (ReEncrypt's halves, alias and key of alias operations...). */
  checks: { action: string; resource: string; decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' }[];
}

const identities = new WeakMap<Principal, AuditIdentity>();

/** The principal's audit identity, made once per principal. */
export function identityOf(principal: Principal): AuditIdentity {
  let identity = identities.get(principal);
  if (!identity) {
    identity = makeIdentity(principal);
    identities.set(principal, identity);
  }
  return identity;
}

function makeIdentity(principal: Principal): AuditIdentity {
  const identity: AuditIdentity = { type: principal.kind, principalId: principal.userId, arn: principal.arn, accountId: principal.accountId };
  if (principal.userName !== undefined) identity.userName = principal.userName;
  if (principal.kind === 'AssumedRole') {
    if (principal.roleArn !== undefined) identity.roleArn = principal.roleArn;
    if (principal.roleName !== undefined) identity.roleName = principal.roleName;
    identity.roleId = principal.userId.split(':')[0];
  }
  return identity;
}

export function explainDecisions(access: AuditAccess): AuditExplanation {
  const denial = access.decisions.find((recorded) => !recorded.decision.allowed)?.decision;
  const explanation: AuditExplanation = {
    mode: access.mode,
    decision: denial ? denial.decision : 'Allow',
    statements: denial ? denial.statements : access.decisions.flatMap((recorded) => recorded.decision.statements),
    checks: access.decisions.map((recorded) => ({ action: recorded.action, resource: recorded.resource, decision: recorded.decision.decision })),
  };
  if (denial?.missing) explanation.missing = denial.missing;
  if (denial?.deniedBy) explanation.deniedBy = denial.deniedBy;
  return explanation;
}

/** The CloudTrail userIdentity of a verified caller with access control on (KMS CloudTrail examples' shapes). */
export function cloudTrailIdentity(identity: AuditIdentity, accessKeyId: string | undefined): Record<string, unknown> {
  const base: Record<string, unknown> = { type: identity.type, principalId: identity.principalId, arn: identity.arn, accountId: identity.accountId };
  if (accessKeyId !== undefined) base.accessKeyId = accessKeyId;
  if (identity.type === 'IAMUser' && identity.userName !== undefined) base.userName = identity.userName;
  if (identity.type === 'AssumedRole') {
    base.sessionContext = {
      sessionIssuer: { type: 'Role', principalId: identity.roleId, arn: identity.roleArn, accountId: identity.accountId, userName: identity.roleName },
      attributes: { mfaAuthenticated: 'false' },
    };
  }
  return base;
}
