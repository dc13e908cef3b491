/**
 * Where a request meets access control (docs/access-control.md). The evaluator itself is src/authz/ (pure
 * functions); this file gathers the facts of one request (principal, action, resource, condition keys), asks it,
 * and acts on the answer: `enforce` refuses with AWS's AccessDeniedException, `audit` records and goes on.
 *
 * With `--access-control off` the pipeline leaves `context.authz` undefined and every function here returns at
 * its first line: that test is the whole cost of access control for today's users.
 */
import { KmsError } from '../protocol/errors.js';
import {
  authorize,
  authorizeGrantThroughGrant,
  authorizeRetireGrant,
  compilePolicy,
  passesLockoutCheck,
  PolicyDocumentError,
  type AuthzGrant,
  type AuthzRequest,
  type AuthzResource,
  type CompiledPolicy,
  type Decision,
} from '../authz/index.js';
import type { GrantRecord, KeyRecord } from '../store/records.js';
import type { OperationContext, RequestAuthz } from './context.js';
import { keyRequestKeys, requestKeysWithoutKey } from './authzRequestKeys.js';

/** What one key needs for evaluation and never changes per request: its compiled policy (per policy text). */
interface KeyAuthzCache {
  policySource: string;
  policy: CompiledPolicy;
  accountId: string;
  region: string;
}

/**
 * Compiled key policies, keyed by the key record and rebuilt when the policy text changes (PutKeyPolicy, a
 * restore): policies compile once, never per request. A WeakMap beside the record keeps the store and its
 * persistence unaware of access control.
 */
const keyCache = new WeakMap<KeyRecord, KeyAuthzCache>();

/** A stored policy the evaluator cannot read (stored in `off` mode, or seeded) allows nothing: fail closed. */
let emptyPolicy: CompiledPolicy | undefined;

function compiledKeyPolicy(key: KeyRecord, onUnreadable?: (key: KeyRecord, problem: string) => void): KeyAuthzCache {
  const cached = keyCache.get(key);
  if (cached && cached.policySource === key.policy) return cached;
  let policy: CompiledPolicy;
  try {
    policy = compilePolicy(key.policy, 'key');
  } catch (error) {
    onUnreadable?.(key, error instanceof PolicyDocumentError ? error.detail : (error as Error).message);
    emptyPolicy ??= { statements: [], version: '2012-10-17' };
    policy = emptyPolicy;
  }
  const parts = key.metadata.Arn.split(':');
  const entry: KeyAuthzCache = { policySource: key.policy, policy, region: parts[3]!, accountId: parts[4]! };
  keyCache.set(key, entry);
  return entry;
}

/** Puts a policy already compiled (CreateKey, PutKeyPolicy, ReplicateKey checked it) in the key's cache. */
function rememberPolicy(key: KeyRecord, policy: CompiledPolicy): void {
  const parts = key.metadata.Arn.split(':');
  keyCache.set(key, { policySource: key.policy, policy, region: parts[3]!, accountId: parts[4]! });
}

const NO_GRANTS: readonly AuthzGrant[] = [];

function authzGrant(grant: GrantRecord): AuthzGrant {
  return {
    grantId: grant.GrantId,
    ...(grant.Name !== undefined ? { name: grant.Name } : {}),
    granteePrincipal: grant.GranteePrincipal,
    ...(grant.RetiringPrincipal !== undefined ? { retiringPrincipal: grant.RetiringPrincipal } : {}),
    issuingAccount: grant.IssuingAccount.split(':')[4] ?? grant.IssuingAccount,
    operations: grant.Operations,
    ...(grant.Constraints !== undefined ? { constraints: grant.Constraints } : {}),
  };
}

/**
 * The key as a resource. Grants, tags and aliases are computed only if the evaluator reads them (most policies
 * never do); a class, because an object literal with getters costs a microsecond per request to build.
 */
class KeyResource {
  readonly kind = 'key' as const;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly keyPolicy: CompiledPolicy;

  constructor(
    private readonly key: KeyRecord,
    cache: KeyAuthzCache,
  ) {
    this.arn = key.metadata.Arn;
    this.accountId = cache.accountId;
    this.region = cache.region;
    this.keyPolicy = cache.policy;
  }

  get grants(): readonly AuthzGrant[] {
    return this.key.grants.size === 0 ? NO_GRANTS : [...this.key.grants.values()].map(authzGrant);
  }

  get tags(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.key.tags);
  }

  get aliases(): readonly string[] {
    return [...this.key.aliasNames];
  }
}

export function keyResource(key: KeyRecord, authz?: RequestAuthz): Extract<AuthzResource, { kind: 'key' }> {
  return new KeyResource(key, compiledKeyPolicy(key, authz?.onUnreadablePolicy));
}

/**
 * The check for an operation on a key (resolveKey calls it between finding the key and its key-state check).
 * `action` defaults to the request's operation; ReEncrypt's halves and alias operations name theirs.
 * `keyIdInput`: what the request named the key by (kms:RequestAlias).
 */
export function authorizeKey(context: OperationContext, key: KeyRecord, action: string = context.operation, keyIdInput?: string): void {
  const authz = context.authz;
  if (!authz) return;
  const request: AuthzRequest = {
    principal: authz.principal,
    action: `kms:${action}`,
    resource: keyResource(key, authz),
    environment: authz.environment,
    requestKeys: keyRequestKeys(context, authz, action, key, keyIdInput),
  };
  const encryptionContext = encryptionContextFor(context.operation, action, authz.input);
  if (encryptionContext) request.encryptionContext = encryptionContext;
  // CreateGrant has its own entry point: a grant may allow it only if the new grant does not widen it (research §1.12).
  const decision = action === 'CreateGrant' ? authorizeGrantThroughGrant(request, newGrantOf(authz.input)) : authorize(request);
  act(authz, request.action, key.metadata.Arn, decision);
}

/** RetireGrant's own rules, once the grant is known (retireGrant.ts). */
export function authorizeRetire(context: OperationContext, key: KeyRecord, grant: GrantRecord): void {
  const authz = context.authz;
  if (!authz) return;
  const request: AuthzRequest = {
    principal: authz.principal,
    action: 'kms:RetireGrant',
    resource: keyResource(key, authz),
    environment: authz.environment,
    requestKeys: keyRequestKeys(context, authz, 'RetireGrant', key, undefined),
  };
  act(authz, request.action, key.metadata.Arn, authorizeRetireGrant(request, authzGrant(grant)));
}

/** Actions with no key resource (the table in the pipeline) and the alias half of alias operations. */
export function authorizeWithoutKey(context: OperationContext, action: string, aliasArn?: string, requestedRegion?: string): void {
  const authz = context.authz;
  if (!authz) return;
  const resource: AuthzResource = aliasArn ? { kind: 'alias', arn: aliasArn, accountId: aliasArn.split(':')[4]! } : { kind: 'none' };
  const request: AuthzRequest = {
    principal: authz.principal,
    action: `kms:${action}`,
    resource,
    environment: requestedRegion ? { ...authz.environment, region: requestedRegion } : authz.environment,
    requestKeys: requestKeysWithoutKey(context, authz, action),
  };
  act(authz, request.action, aliasArn ?? '*', authorize(request));
}

function newGrantOf(input: Record<string, unknown>): Pick<AuthzGrant, 'operations' | 'constraints'> {
  const { Operations, Constraints } = input as { Operations?: string[]; Constraints?: AuthzGrant['constraints'] };
  return Constraints ? { operations: Operations ?? [], constraints: Constraints } : { operations: Operations ?? [] };
}

/** The encryption context a grant constraint is compared with, per operation (ReEncrypt: per half). */
function encryptionContextFor(operation: string, action: string, input: Record<string, unknown>): Readonly<Record<string, string>> | undefined {
  if (action === 'ReEncryptFrom') return input.SourceEncryptionContext as Record<string, string> | undefined;
  if (action === 'ReEncryptTo') return input.DestinationEncryptionContext as Record<string, string> | undefined;
  // CreateGrant: the new grant's constraint pairs (as kms:EncryptionContext:* of CreateGrant, conditions-kms.html).
  if (operation === 'CreateGrant') {
    const constraints = input.Constraints as AuthzGrant['constraints'];
    return constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset;
  }
  return input.EncryptionContext as Record<string, string> | undefined;
}

/** Records the decision and, in `enforce`, refuses. */
function act(authz: RequestAuthz, action: string, resource: string, decision: Decision): void {
  authz.decisions.push({ action, resource, decision });
  authz.onDecision?.(authz, action, resource, decision);
  if (!decision.allowed && authz.mode === 'enforce') throw accessDenied(decision.message ?? `User: ${authz.principal.arn} is not authorized to perform: ${action} on resource: ${resource}`);
}

/** AWS's AccessDeniedException: HTTP 400, member `Message` (a real KMS wire body, research §1.13). */
export function accessDenied(message: string): KmsError {
  return new KmsError('AccessDeniedException', message, { messageMember: 'Message' });
}

// ---- Policy documents sent with CreateKey / PutKeyPolicy / ReplicateKey ----

/**
 * When a mode is on: the document as the evaluator reads it (MalformedPolicyDocumentException with its text),
 * compiled. In `off` the caller keeps today's checks (policy.ts) and this returns undefined.
 */
export function compileNewKeyPolicy(context: OperationContext, document: string): CompiledPolicy | undefined {
  if (!context.authz) return undefined;
  try {
    return compilePolicy(document, 'key');
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw new KmsError(error.code, error.awsMessage);
    throw error;
  }
}

export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

/**
 * The lockout safety check (CreateKey, PutKeyPolicy, ReplicateKey with a Policy): may the caller still call
 * PutKeyPolicy on `key` under `policy`? `enforce` refuses with MalformedPolicyDocumentException; `audit` records.
 * The key record may be new (not yet in the store); its policy field is not read.
 */
export function checkLockout(context: OperationContext, key: KeyRecord, policy: CompiledPolicy, bypass: boolean | undefined): void {
  const authz = context.authz;
  if (!authz || bypass === true) return;
  const current = keyResource(key, authz);
  const resource = { kind: 'key' as const, arn: current.arn, accountId: current.accountId, region: current.region, keyPolicy: policy, grants: NO_GRANTS, tags: current.tags, aliases: current.aliases };
  const request = { principal: authz.principal, resource, environment: authz.environment, requestKeys: keyRequestKeys(context, authz, 'PutKeyPolicy', key, undefined) };
  if (passesLockoutCheck(request, policy)) return;
  const decision: Decision = { allowed: false, decision: 'ImplicitDeny', statements: [], message: LOCKOUT_MESSAGE };
  authz.decisions.push({ action: 'kms:PutKeyPolicy (lockout safety check)', resource: key.metadata.Arn, decision });
  authz.onDecision?.(authz, 'kms:PutKeyPolicy (lockout safety check)', key.metadata.Arn, decision);
  if (authz.mode === 'enforce') throw new KmsError('MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
}

/** After a policy is stored: the compiled form goes in the cache, so the next request does not compile it again. */
export function keyPolicyStored(context: OperationContext, key: KeyRecord, policy: CompiledPolicy | undefined): void {
  if (context.authz && policy) rememberPolicy(key, policy);
}

// ---- Actions without a key resource ----

/**
 * Operations checked against identity policies only, resource `*`, before they run (API reference "Required
 * permissions"; research §1.4). CreateKey and ReplicateKey with Tags also need kms:TagResource; ReplicateKey
 * needs kms:CreateKey besides kms:ReplicateKey on the primary key.
 */
const ACTIONS_WITHOUT_KEY: Readonly<Record<string, (input: Record<string, unknown>) => string[]>> = {
  CreateKey: (input) => (hasTags(input) ? ['CreateKey', 'TagResource'] : ['CreateKey']),
  ReplicateKey: (input) => (hasTags(input) ? ['CreateKey', 'TagResource'] : ['CreateKey']),
  ListKeys: () => ['ListKeys'],
  ListAliases: () => ['ListAliases'],
  GenerateRandom: () => ['GenerateRandom'],
  ListRetirableGrants: () => ['ListRetirableGrants'],
  CreateCustomKeyStore: () => ['CreateCustomKeyStore'],
  DeleteCustomKeyStore: () => ['DeleteCustomKeyStore'],
  DescribeCustomKeyStores: () => ['DescribeCustomKeyStores'],
  ConnectCustomKeyStore: () => ['ConnectCustomKeyStore'],
  DisconnectCustomKeyStore: () => ['DisconnectCustomKeyStore'],
  UpdateCustomKeyStore: () => ['UpdateCustomKeyStore'],
};

function hasTags(input: Record<string, unknown>): boolean {
  return Array.isArray(input.Tags) && input.Tags.length > 0;
}

/** The pipeline calls this once per request with access control on, before the operation. */
export function authorizeOperationWithoutKey(context: OperationContext): void {
  const authz = context.authz!;
  const actions = ACTIONS_WITHOUT_KEY[context.operation];
  if (!actions) return;
  // ReplicateKey needs kms:CreateKey (and kms:TagResource) "in an IAM policy in the replica Region" (API_ReplicateKey,
  // Required permissions): for those checks aws:RequestedRegion is the replica's Region, not the caller's.
  const replicaRegion = context.operation === 'ReplicateKey' && typeof authz.input.ReplicaRegion === 'string' ? authz.input.ReplicaRegion : undefined;
  // The evaluator words kms:TagResource without a resource as AWS does (no "on resource:", LeanerCloud/CUDly#1670).
  for (const action of actions(authz.input)) authorizeWithoutKey(context, action, undefined, replicaRegion);
}

/** The operations that have no key resource at all (simulate uses it). */
export function hasNoKeyResource(operation: string): boolean {
  return operation in ACTIONS_WITHOUT_KEY && operation !== 'ReplicateKey';
}
