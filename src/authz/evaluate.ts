/**
 * The decision for one request (research §5.3), following the KMS Developer Guide's policy-evaluation.html
 * flow: explicit Deny anywhere → denied; the key policy allows the caller → allowed; the key policy allows the
 * caller's account and an IAM policy allows → allowed; a grant allows → allowed; otherwise denied.
 * Cross-account: the key policy (naming the account or the caller) AND the caller's IAM policy, or a grant
 * (control-access.html, key-policy-modifying-external-accounts.html). Resources that are not keys (CreateKey,
 * ListKeys, the alias half of alias operations): IAM only, the root user allowed implicitly
 * (reference_policies_evaluation-logic_policy-eval-denyallow.html).
 */
import { contextLookup } from './context.js';
import { grantAllows } from './grants.js';
import { denialMessage } from './messages.js';
import type { Policy, PrincipalSet, Statement } from './policy.js';
import type { AuthzRequest, DecidingStatement, Decision, Principal } from './types.js';
import type { KeyLookup } from './variables.js';

export type PrincipalMatch = 'direct' | 'account';

/** Which way a key-policy Principal names the caller: itself ("*", its user, role or session ARN) or its account. */
export function principalMatch(set: PrincipalSet, p: Principal): PrincipalMatch | undefined {
  if (set.any) return 'direct';
  if (p.kind !== 'Root' && set.arns.has(p.arn)) return 'direct';
  if (p.roleArn !== undefined && set.arns.has(p.roleArn)) return 'direct';
  if (set.accounts.has(p.accountId)) return 'account';
  return undefined;
}

/**
 * NotPrincipal excludes the caller only when it lists every identity the request carries: the account, and
 * the user ARN, or the role ARN and the session ARN (reference_policies_elements_notprincipal.html lists all
 * three for a session; the conservative reading — kmslite's choice, unconfirmed).
 */
export function excludedByNotPrincipal(set: PrincipalSet, p: Principal): boolean {
  if (set.any) return true;
  if (!set.accounts.has(p.accountId)) return false;
  if (p.kind === 'Root') return true;
  if (p.kind === 'IAMUser') return set.arns.has(p.arn);
  return set.arns.has(p.arn) && p.roleArn !== undefined && set.arns.has(p.roleArn);
}

/** Action, resource and conditions (the principal is checked by the caller for key policies). */
export function statementApplies(st: Statement, lowerAction: string, resourceArn: string, lookup: KeyLookup): boolean {
  if (!st.action || !st.resource) return false;
  if (st.action(lowerAction) === st.notAction) return false;
  if (st.resource(resourceArn, lookup) === st.notResource) return false;
  for (const condition of st.conditions) if (!condition.test(lookup)) return false;
  return true;
}

function keyStatementPrincipal(st: Statement, p: Principal): PrincipalMatch | undefined {
  if (!st.principal) return undefined;
  if (st.notPrincipal) return excludedByNotPrincipal(st.principal, p) ? undefined : 'direct';
  // An account match counts for Deny too: naming the account covers every principal of that account.
  return principalMatch(st.principal, p);
}

const decidingCache = new WeakMap<Statement, Map<string, DecidingStatement>>();

/** The explanation entry of a statement, made once per (statement, source) and frozen: requests share it. */
function deciding(source: string, st: Statement): DecidingStatement {
  let bySource = decidingCache.get(st);
  if (!bySource) decidingCache.set(st, (bySource = new Map()));
  let entry = bySource.get(source);
  if (!entry) {
    entry = Object.freeze(st.sid === undefined ? { source, index: st.index } : { source, sid: st.sid, index: st.index });
    bySource.set(source, entry);
  }
  return entry;
}

const identitySources = new Map<string, string>();

function identitySource(name: string): string {
  let source = identitySources.get(name);
  if (source === undefined) {
    source = `identity:${name}`;
    if (identitySources.size < 10_000) identitySources.set(name, source);
  }
  return source;
}

const ROOT_ALLOW: DecidingStatement = Object.freeze({ source: 'root' });

interface IdentityResult {
  deny?: DecidingStatement;
  allow?: DecidingStatement;
}

/** The caller's identity policies for one action on one resource ARN. Root: IAM allows implicitly. */
export function evaluateIdentity(request: Omit<AuthzRequest, 'action'>, lowerAction: string, resourceArn: string): IdentityResult {
  const p = request.principal;
  let lookup: KeyLookup | undefined;
  let allow: DecidingStatement | undefined;
  for (const named of p.policies) {
    for (const st of (named.policy as Policy).statements) {
      if (st.effect === 'Allow' && allow) continue;
      lookup ??= contextLookup(request, true);
      if (!statementApplies(st, lowerAction, resourceArn, lookup)) continue;
      const source = identitySource(named.name);
      if (st.effect === 'Deny') return { deny: deciding(source, st) };
      allow = deciding(source, st);
    }
  }
  if (!allow && p.kind === 'Root') allow = ROOT_ALLOW;
  return { allow };
}

interface KeyPolicyResult {
  deny?: DecidingStatement;
  direct?: DecidingStatement;
  account?: DecidingStatement;
}

function evaluateKeyPolicy(request: Omit<AuthzRequest, 'action'>, policy: Policy, lowerAction: string, keyArn: string): KeyPolicyResult {
  const p = request.principal;
  let lookup: KeyLookup | undefined;
  const result: KeyPolicyResult = {};
  for (const st of policy.statements) {
    const match = keyStatementPrincipal(st, p);
    if (!match) continue;
    if (st.effect === 'Allow' && (result.direct || (match === 'account' && result.account))) continue;
    lookup ??= contextLookup(request, false);
    if (!statementApplies(st, lowerAction, keyArn, lookup)) continue;
    if (st.effect === 'Deny') return { deny: deciding('key-policy', st) };
    if (match === 'direct') result.direct = deciding('key-policy', st);
    else result.account = deciding('key-policy', st);
  }
  return result;
}

export interface EvaluateOptions {
  /** Use the key's grants (false for the lockout check and for CreateGrant, which has its own grant rules). */
  grants: boolean;
  /** Evaluate this key policy instead of the key's (the lockout check). */
  keyPolicy?: Policy;
}

function deny(request: AuthzRequest, decision: Decision['decision'], side: 'resource' | 'identity', statements: DecidingStatement[]): Decision {
  const explicit = decision === 'ExplicitDeny';
  return {
    allowed: false,
    decision,
    ...(explicit ? { deniedBy: side } : { missing: side }),
    statements,
    message: denialMessage(request, explicit ? 'deny' : 'no-allow', side),
  };
}

export function evaluate(request: AuthzRequest, options: EvaluateOptions): Decision {
  const lowerAction = request.action.toLowerCase();
  const resource = request.resource;
  const p = request.principal;
  if (resource.kind !== 'key') {
    const resourceArn = resource.kind === 'none' ? '*' : resource.arn;
    const identity = evaluateIdentity(request, lowerAction, resourceArn);
    if (identity.deny) return deny(request, 'ExplicitDeny', 'identity', [identity.deny]);
    if (identity.allow) return { allowed: true, decision: 'Allow', statements: [identity.allow] };
    return deny(request, 'ImplicitDeny', 'identity', []);
  }
  const keyPolicy = options.keyPolicy ?? (resource.keyPolicy as Policy);
  const kp = evaluateKeyPolicy(request, keyPolicy, lowerAction, resource.arn);
  if (kp.deny) return deny(request, 'ExplicitDeny', 'resource', [kp.deny]);
  const identity = evaluateIdentity(request, lowerAction, resource.arn);
  if (identity.deny) return deny(request, 'ExplicitDeny', 'identity', [identity.deny]);
  const sameAccount = p.accountId === resource.accountId;
  if (sameAccount && kp.direct) return { allowed: true, decision: 'Allow', statements: [kp.direct] };
  const keySide = kp.direct ?? kp.account;
  if (keySide && identity.allow) return { allowed: true, decision: 'Allow', statements: [keySide, identity.allow] };
  if (options.grants) {
    const grant = resource.grants.find((g) => grantAllows(g, request, identity.allow !== undefined));
    if (grant) return { allowed: true, decision: 'Allow', statements: [{ source: `grant:${grant.grantId}` }] };
  }
  return keySide ? deny(request, 'ImplicitDeny', 'identity', [keySide]) : deny(request, 'ImplicitDeny', 'resource', []);
}

