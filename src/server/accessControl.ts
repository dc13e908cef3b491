/**
 * `--access-control audit|enforce`: the declared principals (seed `Principals:`, startKmslite({ principals }),
 * PUT /_kmslite/principals/<accessKeyId>) and the per-request set-up the pipeline calls when a mode is on.
 * Principals are configuration, like the credentials table: never persisted, restored to the seeded ones at reset.
 * A principal's SecretAccessKey joins the credentials table, so its signatures are verified; it is never returned
 * or logged. docs/access-control.md describes the model.
 */
import type { Logger } from 'pino';
import {
  principalFromDeclaration,
  rootPrincipal,
  type AccessControlMode,
  type Decision,
  type Principal,
  type PrincipalDeclaration,
} from '../authz/index.js';
import type { CredentialEntry, VerifiedCaller } from './sigv4.js';
import type { OperationContext, RequestAuthz } from '../kms/context.js';
import { authorizeOperationWithoutKey } from '../kms/authorize.js';
import type { StoreBundle } from '../store/bundle.js';
import { partitionFor } from '../util/arn.js';
import type { KeyRecord } from '../store/records.js';

export type { AccessControlMode, PrincipalDeclaration };

interface PrincipalEntry {
  declaration: PrincipalDeclaration;
  principal: Principal;
  source: 'seed' | 'api';
}

/** A declared principal as GET /_kmslite/principals shows it: the declaration without its secret. */
export interface PrincipalView extends Omit<PrincipalDeclaration, 'SecretAccessKey'> {
  HasSecretAccessKey: boolean;
  Source: 'seed' | 'api';
  Type: Principal['kind'];
}

/** Access key → declared principal. Keeps the credentials table in step with the principals' secrets. */
export class PrincipalTable {
  private readonly entries = new Map<string, PrincipalEntry>();
  private seeded: PrincipalEntry[] = [];
  /** The credentials table as configured (--credentials, test:test), before any principal's secret. */
  private readonly baseCredentials: ReadonlyMap<string, CredentialEntry>;

  constructor(private readonly credentials: Map<string, CredentialEntry>) {
    this.baseCredentials = new Map(credentials);
  }

  /**
   * The configured principals (seed and start options). Each declaration comes with where it was written, for
   * the message of the Error thrown when one is wrong (malformed ARN, unreadable policy, duplicated access key).
   */
  setSeeded(declarations: readonly { declaration: PrincipalDeclaration; where: string }[]): void {
    const entries: PrincipalEntry[] = [];
    const seen = new Set<string>();
    for (const { declaration, where } of declarations) {
      if (seen.has(declaration.AccessKeyId)) throw new Error(`${where}: AccessKeyId ${declaration.AccessKeyId} is declared twice (an earlier entry has it too)`);
      seen.add(declaration.AccessKeyId);
      entries.push({ declaration: copyDeclaration(declaration), principal: toPrincipal(declaration, where), source: 'seed' });
    }
    this.seeded = entries;
    this.restoreSeeded();
  }

  /** Back to the configured principals (reset): principals added through the admin API are gone. */
  restoreSeeded(): void {
    this.entries.clear();
    for (const entry of this.seeded) this.entries.set(entry.declaration.AccessKeyId, entry);
    this.syncCredentials();
  }

  /** Adds or replaces one principal (the admin API). Throws an Error naming the problem. */
  put(declaration: PrincipalDeclaration): PrincipalView {
    const entry: PrincipalEntry = { declaration: copyDeclaration(declaration), principal: toPrincipal(declaration, `principal ${declaration.AccessKeyId}`), source: 'api' };
    this.entries.set(declaration.AccessKeyId, entry);
    this.syncCredentials();
    return view(entry);
  }

  get(accessKeyId: string): Principal | undefined {
    return this.entries.get(accessKeyId)?.principal;
  }

  get size(): number {
    return this.entries.size;
  }

  list(): PrincipalView[] {
    return [...this.entries.values()].map(view);
  }

  private syncCredentials(): void {
    this.credentials.clear();
    for (const [accessKeyId, entry] of this.baseCredentials) this.credentials.set(accessKeyId, entry);
    for (const { declaration, principal } of this.entries.values()) {
      if (declaration.SecretAccessKey !== undefined) {
        this.credentials.set(declaration.AccessKeyId, { secretAccessKey: declaration.SecretAccessKey, accountId: principal.accountId });
      }
    }
  }
}

function toPrincipal(declaration: PrincipalDeclaration, where: string): Principal {
  try {
    return principalFromDeclaration(declaration);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

function copyDeclaration(declaration: PrincipalDeclaration): PrincipalDeclaration {
  return structuredClone(declaration);
}

function view(entry: PrincipalEntry): PrincipalView {
  const { SecretAccessKey, ...rest } = entry.declaration;
  return { ...rest, HasSecretAccessKey: SecretAccessKey !== undefined, Source: entry.source, Type: entry.principal.kind };
}

/** kms:RecipientAttestation:ImageSha384 is PCR0 (conditions-nitro-enclaves.html); PCR<n> each register. */
function attestationKeys(pcrs: Map<number, string> | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  if (!pcrs) return keys;
  for (const [index, hex] of pcrs) keys[`kms:RecipientAttestation:PCR${index}`] = hex;
  const image = pcrs.get(0);
  if (image !== undefined) keys['kms:RecipientAttestation:ImageSha384'] = image;
  return keys;
}

/** Undeclared access keys act as their account's root; the Principal objects are kept (bounded) to save work. */
const MAX_ROOT_PRINCIPALS = 1024;

export class AccessControl {
  private readonly roots = new Map<string, Principal>();
  private readonly warnedPolicies = new WeakSet<KeyRecord>();

  constructor(
    readonly mode: Exclude<AccessControlMode, 'off'>,
    readonly principals: PrincipalTable,
    /** `aws:SecureTransport` for plain-HTTP requests (kmslite serves only HTTP). */
    private readonly assumeSecureTransport: boolean,
    private readonly stores: StoreBundle,
    private readonly logger: Logger,
  ) {
    this.debug = logger.isLevelEnabled('debug');
  }

  /** Read once: the request path must not ask the logger per decision. */
  private readonly debug: boolean;

  /** The principal of an access key: declared, or the root user of `accountId`. */
  principalFor(accessKeyId: string, accountId: string, region: string): Principal {
    const declared = this.principals.get(accessKeyId);
    if (declared) return declared;
    const partition = partitionFor(region);
    const cacheKey = `${accessKeyId}\u0000${accountId}\u0000${partition}`;
    let root = this.roots.get(cacheKey);
    if (!root) {
      if (this.roots.size >= MAX_ROOT_PRINCIPALS) this.roots.clear();
      root = rootPrincipal(accountId, partition, accessKeyId);
      this.roots.set(cacheKey, root);
    }
    return root;
  }

  /**
   * Per request, after authentication and validation: who is calling (a declared principal acts in its own
   * account), the request's environment, and the check of actions without a key resource (CreateKey, ListKeys...).
   */
  begin(
    context: OperationContext,
    caller: VerifiedCaller,
    input: Record<string, unknown>,
    sourceIp: string | undefined,
    userAgent: string | undefined,
  ): RequestAuthz | Promise<RequestAuthz> {
    const principal = this.principalFor(caller.accessKeyId, caller.accountId, caller.region);
    if (principal.accountId !== caller.accountId) {
      caller.accountId = principal.accountId;
      context.accountId = principal.accountId;
      context.store = this.stores.get(principal.accountId, caller.region);
    }
    const authz: RequestAuthz = {
      mode: this.mode,
      requestId: context.requestId,
      principal,
      environment: {
        now: context.now,
        region: caller.region,
        secureTransport: this.assumeSecureTransport,
        sourceIp: sourceIp !== undefined && sourceIp.startsWith('::ffff:') ? sourceIp.slice(7) : sourceIp,
        userAgent,
      },
      input,
      decisions: [],
      onDecision: this.onDecision,
      onUnreadablePolicy: this.onUnreadablePolicy,
    };
    context.authz = authz;
    // A Recipient (Nitro Enclaves) brings kms:RecipientAttestation:* keys: the CBOR reader loads on first use.
    const document = (input.Recipient as { AttestationDocument?: Buffer } | undefined)?.AttestationDocument;
    if (document) {
      return import('../crypto/attestation.js').then(({ attestedPcrs }) => {
        authz.attestationKeys = attestationKeys(attestedPcrs(document));
        authorizeOperationWithoutKey(context);
        return authz;
      });
    }
    authorizeOperationWithoutKey(context);
    return authz;
  }

  /** Debug: the deciding statements of every decision; audit mode: one warn line per would-be denial. Never policy text. */
  private readonly onDecision = (authz: RequestAuthz, action: string, resource: string, decision: Decision): void => {
    if (!decision.allowed && authz.mode === 'audit') {
      this.logger.warn({ requestId: authz.requestId, principal: authz.principal.arn, action, resource, decision: decision.decision, missing: decision.missing ?? decision.deniedBy }, 'access control (audit): this request would be denied');
    } else if (this.debug) {
      this.logger.debug({ requestId: authz.requestId, principal: authz.principal.arn, action, resource, decision: decision.decision, statements: decision.statements }, 'access control decision');
    }
  };

  private readonly onUnreadablePolicy = (key: KeyRecord, problem: string): void => {
    if (this.warnedPolicies.has(key)) return;
    this.warnedPolicies.add(key);
    this.logger.warn({ keyArn: key.metadata.Arn, problem }, 'access control: the key policy cannot be evaluated, so it allows nothing');
  };
}
