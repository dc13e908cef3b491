/**
 * The policy evaluator's public surface: everything outside src/authz/ imports from here and from ./types.js.
 * Pure functions over plain data; no HTTP, no store, no clock of its own.
 */
import { evaluate } from './evaluate.js';
import { grantThroughGrant, lockoutCheck, retireGrant } from './special.js';
import { compile } from './policy.js';
import { principalFromDeclaration as fromDeclaration, rootPrincipal as root } from './principals.js';
import type { AuthzGrant, AuthzRequest, CompiledPolicy, Decision, Principal, PrincipalDeclaration, RequestEnvironment } from './types.js';

export type * from './types.js';

export { PolicyDocumentError } from './errors.js';

/**
 * Parses, validates and compiles a policy document (a JSON string, or an already parsed object from YAML).
 * `key`: a key policy (every statement needs Principal/NotPrincipal). `identity`: an IAM identity policy
 * (no Principal). Throws PolicyDocumentError.
 */
export function compilePolicy(document: string | object, kind: 'key' | 'identity'): CompiledPolicy {
  return compile(document, kind);
}

/**
 * The decision for one action on one resource: explicit Deny, key policy (+ IAM delegation), grants.
 * Two actions have their own entry points because the decision needs more than the request:
 * kms:CreateGrant → authorizeGrantThroughGrant (here grants never allow CreateGrant: they cannot be checked for
 * widening without the new grant), kms:RetireGrant → authorizeRetireGrant (the key policy is not effective).
 * kms:TagResource with resource kind `none` (CreateKey/ReplicateKey with Tags) gets AWS's message without
 * "on resource:".
 */
export function authorize(request: AuthzRequest): Decision {
  const grants = request.action.toLowerCase() !== 'kms:creategrant';
  return evaluate(request, { grants });
}

/**
 * CreateGrant (the whole decision, call it instead of authorize): allowed by the key policy/IAM as usual, or
 * through a grant of the caller that includes CreateGrant, when the new grant does not widen it (operations a
 * subset, constraints at least as strict). An explicit Deny wins. Returns the Decision either way.
 */
export function authorizeGrantThroughGrant(
  request: AuthzRequest,
  newGrant: Pick<AuthzGrant, 'operations' | 'constraints'>,
): Decision {
  return grantThroughGrant(request, newGrant);
}

/** RetireGrant's own rules (retiring principal, grantee with RetireGrant, the issuing account and its IAM). */
export function authorizeRetireGrant(request: AuthzRequest, grant: AuthzGrant): Decision {
  return retireGrant(request, grant);
}

/**
 * The lockout safety check of CreateKey / PutKeyPolicy / ReplicateKey: may the caller still call
 * kms:PutKeyPolicy under the new policy (grants ignored)? Returns true when it may. `resource` should be the key
 * (for CreateKey: the new key's ARN and account); with any other resource kind a key of the caller's account
 * and request Region is assumed.
 */
export function passesLockoutCheck(request: Omit<AuthzRequest, 'action'>, newPolicy: CompiledPolicy): boolean {
  return lockoutCheck(request, newPolicy);
}

/** A declared principal (seed `Principals:` entry or operator API body) → Principal. Throws Error naming the problem. */
export function principalFromDeclaration(declaration: PrincipalDeclaration): Principal {
  return fromDeclaration(declaration);
}

/** An access key no principal names: the root user of its account. */
export function rootPrincipal(accountId: string, partition: string, accessKeyId: string): Principal {
  return root(accountId, partition, accessKeyId);
}

export type { RequestEnvironment };
