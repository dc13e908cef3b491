/**
 * The contract between the policy evaluator (src/authz/, pure functions over plain data) and the rest of kmslite
 * (operations, server, config), which gathers the facts of a request and acts on the decision. Nothing here knows
 * HTTP, Express or the store. Design and sources: docs/access-control.md and
 * ../shared/reference/access-control-research.md §5.
 */

/** `--access-control`: off = no evaluation at all; audit = evaluate and record, never refuse; enforce = refuse. */
export type AccessControlMode = 'off' | 'audit' | 'enforce';

/** A condition key's value. Booleans, numbers and dates are passed as strings, as IAM compares them. */
export type ContextValue = string | readonly string[];

/** A policy document parsed, validated and compiled once (when stored or declared), never per request. */
export interface CompiledPolicy {
  /** The statements in document order, compiled to matchers. Opaque outside src/authz/. */
  readonly statements: readonly unknown[];
  /** `Version` of the document ("2012-10-17" substitutes policy variables; "2008-10-17" or absent does not). */
  readonly version: string | undefined;
}

/** An identity-based policy attached to a principal. */
export interface NamedPolicy {
  name: string;
  policy: CompiledPolicy;
}

/** Who is calling, as declared in the seed's `Principals:` (an undeclared access key is its account's root). */
export interface Principal {
  kind: 'Root' | 'IAMUser' | 'AssumedRole';
  accountId: string;
  partition: string;
  accessKeyId: string;
  /** The ARN AccessDenied messages name ("User: <arn> is not ..."): root, user, or the role *session* ARN. */
  arn: string;
  /** `aws:PrincipalArn`: the role ARN for sessions, else `arn`. */
  principalArn: string;
  /** `aws:userid`: the account id (root), `AIDA...` (user) or `AROA...:<session>` (session). */
  userId: string;
  /** `aws:username` (users only). */
  userName?: string;
  /** Sessions: the role's ARN (with its path) and name, and the session name. */
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  /** `aws:PrincipalTag/*`. */
  tags: Readonly<Record<string, string>>;
  /** Identity-based policies (empty for root, which IAM allows implicitly). */
  policies: readonly NamedPolicy[];
  /** Declared overrides of condition keys (e.g. `kms:ViaService`), applied over every other source. */
  context: Readonly<Record<string, ContextValue>>;
}

/** A grant on a key, as evaluation needs it. */
export interface AuthzGrant {
  grantId: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  /** The account that created the grant (the key's account). */
  issuingAccount: string;
  operations: readonly string[];
  constraints?: {
    EncryptionContextEquals?: Readonly<Record<string, string>>;
    EncryptionContextSubset?: Readonly<Record<string, string>>;
  };
}

/** What a request acts on. */
export type AuthzResource =
  | {
      kind: 'key';
      arn: string;
      accountId: string;
      region: string;
      /** Compiled key policy (a cache on the key record, rebuilt when the policy string changes). */
      keyPolicy: CompiledPolicy;
      grants: readonly AuthzGrant[];
      /** `aws:ResourceTag/*` (identity policies only, as AWS documents). */
      tags: Readonly<Record<string, string>>;
      /** `kms:ResourceAliases`: the key's alias names (`alias/...`). */
      aliases: readonly string[];
    }
  | { kind: 'alias'; arn: string; accountId: string }
  /** Actions with no resource (CreateKey, ListKeys, ...): identity policies only, resource `*`. */
  | { kind: 'none' };

/** Facts about the request that do not come from its input. */
export interface RequestEnvironment {
  /** kmslite's clock (`aws:CurrentTime`, `aws:EpochTime`), so `/_kmslite/clock` moves time-bound policies. */
  now: Date;
  /** `aws:RequestedRegion`: the SigV4 scope's Region. */
  region: string;
  /** `aws:SourceIp`. */
  sourceIp?: string;
  /** `aws:SecureTransport` (plain HTTP counts as secure unless configured otherwise; docs/access-control.md). */
  secureTransport: boolean;
  /** `aws:UserAgent`. */
  userAgent?: string;
}

export interface AuthzRequest {
  principal: Principal;
  /** `kms:Encrypt`, `kms:ReEncryptFrom`, ... */
  action: string;
  resource: AuthzResource;
  environment: RequestEnvironment;
  /**
   * The request's own condition keys (`kms:EncryptionContext:<k>`, `kms:EncryptionContextKeys`,
   * `kms:EncryptionAlgorithm`, `kms:GrantOperations`, `kms:RequestAlias`, `kms:KeySpec`, `aws:RequestTag/<k>`,
   * `aws:TagKeys`, `kms:CallerAccount`, ...), including the key's properties (`kms:KeySpec`, `kms:KeyUsage`,
   * `kms:KeyOrigin`, `kms:MultiRegion`, ...) for operations on an existing key. Names are as AWS documents them;
   * the evaluator applies IAM's case rules. Absent keys are simply not here.
   */
  requestKeys: Readonly<Record<string, ContextValue>>;
  /** The request's encryption context, for grant constraints (absent when the operation takes none). */
  encryptionContext?: Readonly<Record<string, string>>;
}

/** One statement (or grant) that decided, for explanations: audit `?explain=true`, simulate, debug logs. */
export interface DecidingStatement {
  /** `key-policy`, `identity:<PolicyName>`, `grant:<GrantId>`, or `root` (IAM's implicit allow for root). */
  source: string;
  sid?: string;
  /** Index of the statement in its document. */
  index?: number;
}

export interface Decision {
  allowed: boolean;
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** For denials: which side lacked an Allow ("resource" = key policy, "identity" = IAM), or where the Deny was. */
  missing?: 'resource' | 'identity';
  deniedBy?: 'resource' | 'identity';
  statements: DecidingStatement[];
  /** For denials: AWS's AccessDeniedException text, `User: <arn> is not authorized to perform: ...`. */
  message?: string;
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
