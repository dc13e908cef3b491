/**
 * The policy evaluator's public surface: everything outside src/authz/ imports from here and from ./types.js.
 * Pure functions over plain data; no HTTP, no store, no clock of its own.
 */
import type { AuthzGrant, AuthzRequest, CompiledPolicy, Decision, Principal, RequestEnvironment } from './types.js';

export type * from './types.js';

/** A policy document kmslite refuses, with AWS's exception and text (undefined: AWS sends no message). */
export class PolicyDocumentError extends Error {
  constructor(
    readonly code: 'MalformedPolicyDocumentException',
    readonly awsMessage: string | undefined,
    /** For seed and operator-API errors: which statement / element is wrong (never sent on the wire). */
    readonly detail: string,
  ) {
    super(awsMessage ?? detail);
  }
}

/**
 * Parses, validates and compiles a policy document (a JSON string, or an already parsed object from YAML).
 * `key`: a key policy (every statement needs Principal/NotPrincipal). `identity`: an IAM identity policy
 * (no Principal). Throws PolicyDocumentError.
 */
export function compilePolicy(_document: string | object, _kind: 'key' | 'identity'): CompiledPolicy {
  throw new Error('authz: compilePolicy not implemented yet');
}

/** The decision for one action on one resource: explicit Deny, key policy (+ IAM delegation), grants. */
export function authorize(_request: AuthzRequest): Decision {
  throw new Error('authz: authorize not implemented yet');
}

/**
 * CreateGrant allowed only through a grant: the new grant may not widen its parent (operations a subset,
 * constraints at least as strict). Returns the denial, or undefined when the new grant fits some parent grant.
 */
export function authorizeGrantThroughGrant(
  _request: AuthzRequest,
  _newGrant: Pick<AuthzGrant, 'operations' | 'constraints'>,
): Decision {
  throw new Error('authz: authorizeGrantThroughGrant not implemented yet');
}

/** RetireGrant's own rules (retiring principal, grantee with RetireGrant, the issuing account and its IAM). */
export function authorizeRetireGrant(_request: AuthzRequest, _grant: AuthzGrant): Decision {
  throw new Error('authz: authorizeRetireGrant not implemented yet');
}

/**
 * The lockout safety check of CreateKey / PutKeyPolicy / ReplicateKey: may the caller still call
 * kms:PutKeyPolicy under the new policy (grants ignored)? Returns true when it may.
 */
export function passesLockoutCheck(_request: Omit<AuthzRequest, 'action'>, _newPolicy: CompiledPolicy): boolean {
  throw new Error('authz: passesLockoutCheck not implemented yet');
}

/** A declared principal (seed `Principals:` entry or operator API body) → Principal. Throws Error naming the problem. */
export function principalFromDeclaration(_declaration: PrincipalDeclaration): Principal {
  throw new Error('authz: principalFromDeclaration not implemented yet');
}

/** An access key no principal names: the root user of its account. */
export function rootPrincipal(_accountId: string, _partition: string, _accessKeyId: string): Principal {
  throw new Error('authz: rootPrincipal not implemented yet');
}

/** A `Principals:` entry as written in the seed (YAML) or sent to `PUT /_kmslite/principals/<accessKeyId>`. */
export interface PrincipalDeclaration {
  AccessKeyId: string;
  SecretAccessKey?: string;
  Arn: string;
  RoleArn?: string;
  UserId?: string;
  Tags?: Record<string, string>;
  Policies?: { PolicyName: string; PolicyDocument: string | object }[];
  Context?: Record<string, string | string[]>;
}

export type { RequestEnvironment };
