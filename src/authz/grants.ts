/**
 * Grants in evaluation (KMS Developer Guide grants.html, grant-manage.html; API reference GrantConstraints).
 * A grant allows its grantee the listed operations on its key without IAM, within its constraints:
 * EncryptionContextEquals (the request's context is exactly the constraint) or EncryptionContextSubset (the
 * request's context contains every pair); in both, the context KEY compares case-insensitively and the VALUE
 * case-sensitively ("in a grant constraint, the key in each key-value pair is not case sensitive, but the value
 * is case sensitive", API_GrantConstraints). Constraints apply only to the cryptographic operations that take
 * an encryption context with a symmetric key; not to DescribeKey, RetireGrant, Sign, Verify, GetPublicKey,
 * GenerateMac, VerifyMac, DeriveSharedSecret or to asymmetric keys.
 */
import type { AuthzGrant, AuthzRequest, Principal } from './types.js';

type Constraints = NonNullable<AuthzGrant['constraints']>;

/** Lower-cased action names (without `kms:`) whose grants check the constraints. */
const CONSTRAINED_OPERATIONS = new Set([
  'encrypt',
  'decrypt',
  'reencryptfrom',
  'reencryptto',
  'generatedatakey',
  'generatedatakeywithoutplaintext',
  'generatedatakeypair',
  'generatedatakeypairwithoutplaintext',
]);

const ACCOUNT_ROOT = /^arn:[\w-]+:iam::(\d{12}):root$/;

/** The account a grant principal names as an account (`123456789012` or its root ARN), else undefined. */
function accountOf(grantPrincipal: string): string | undefined {
  if (/^\d{12}$/.test(grantPrincipal)) return grantPrincipal;
  return ACCOUNT_ROOT.exec(grantPrincipal)?.[1];
}

/**
 * Does a grant's grantee/retiring principal name the caller? `direct`: its user ARN, session ARN or (for
 * sessions) role ARN; `account`: the caller's account (root qualifies alone, IAM principals need an identity
 * Allow — kmslite's choice, unconfirmed).
 */
export function matchesGrantPrincipal(grantPrincipal: string | undefined, p: Principal): 'direct' | 'account' | undefined {
  if (grantPrincipal === undefined) return undefined;
  if (p.kind !== 'Root' && grantPrincipal === p.arn) return 'direct';
  if (p.roleArn !== undefined && grantPrincipal === p.roleArn) return 'direct';
  if (accountOf(grantPrincipal) === p.accountId) return 'account';
  return undefined;
}

function lowerKeys(context: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(context)) map.set(k.toLowerCase(), v);
  return map;
}

function containsPairs(context: Map<string, string>, pairs: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(pairs)) if (context.get(k.toLowerCase()) !== v) return false;
  return true;
}

/** The request's encryption context satisfies the constraints. */
export function constraintsHold(constraints: Constraints | undefined, context: Readonly<Record<string, string>>): boolean {
  if (!constraints) return true;
  const { EncryptionContextEquals: equals, EncryptionContextSubset: subset } = constraints;
  if (!equals && !subset) return true;
  const ctx = lowerKeys(context);
  if (equals) {
    if (ctx.size !== Object.keys(equals).length || !containsPairs(ctx, equals)) return false;
  }
  if (subset && !containsPairs(ctx, subset)) return false;
  return true;
}

function operationName(action: string): string {
  const lower = action.toLowerCase();
  return lower.startsWith('kms:') ? lower.slice(4) : lower;
}

export function grantHasOperation(grant: Pick<AuthzGrant, 'operations'>, operation: string): boolean {
  const wanted = operation.toLowerCase();
  return grant.operations.some((op) => op.toLowerCase() === wanted);
}

function constraintsApply(request: AuthzRequest, operation: string): boolean {
  if (!CONSTRAINED_OPERATIONS.has(operation)) return false;
  // Asymmetric keys take no encryption context: constraints are not applied (API_GrantConstraints).
  const keySpec = request.requestKeys['kms:KeySpec'];
  return keySpec === undefined || keySpec === 'SYMMETRIC_DEFAULT';
}

/** `identityAllows`: the caller's IAM policies allow the action on the key (or it is root). */
export function grantAllows(grant: AuthzGrant, request: AuthzRequest, identityAllows: boolean): boolean {
  const operation = operationName(request.action);
  if (!grant.operations.some((op) => op.toLowerCase() === operation)) return false;
  const who = matchesGrantPrincipal(grant.granteePrincipal, request.principal);
  if (!who || (who === 'account' && !identityAllows)) return false;
  if (constraintsApply(request, operation) && !constraintsHold(grant.constraints, request.encryptionContext ?? {})) return false;
  return true;
}

/**
 * A grant created through a grant may not widen it (create-grant-overview.html): operations a subset, and
 * constraints at least as strict — the parent's Equals must be repeated exactly; the parent's Subset pairs must
 * all be in the child's Subset or Equals.
 */
export function atLeastAsStrict(parent: Constraints | undefined, child: Constraints | undefined): boolean {
  const pEquals = parent?.EncryptionContextEquals;
  const pSubset = parent?.EncryptionContextSubset;
  const cEquals = child?.EncryptionContextEquals;
  const cSubset = child?.EncryptionContextSubset;
  if (pEquals) {
    if (!cEquals || Object.keys(cEquals).length !== Object.keys(pEquals).length) return false;
    if (!containsPairs(lowerKeys(cEquals), pEquals)) return false;
  }
  if (pSubset) {
    const fromEquals = cEquals ? containsPairs(lowerKeys(cEquals), pSubset) : false;
    const fromSubset = cSubset ? containsPairs(lowerKeys(cSubset), pSubset) : false;
    if (!fromEquals && !fromSubset) return false;
  }
  return true;
}
