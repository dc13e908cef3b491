/**
 * Principals: a declared `Principals:` entry (seed or operator API) or the root user of an undeclared access key.
 * ARN forms: IAM User Guide, reference_identifiers.html (user `arn:<p>:iam::<acct>:user/<path/>name`, role
 * `arn:<p>:iam::<acct>:role/<path/>name`, session `arn:<p>:sts::<acct>:assumed-role/<role>/<session>`).
 * Unique ids (`aws:userid`): `AIDA…` for users, `AROA…:<session>` for sessions
 * (reference_policies_variables.html#principaltable); kmslite derives 17 stable characters from the ARN.
 */
import { createHash } from 'node:crypto';
import { compile } from './policy.js';
import { PolicyDocumentError } from './errors.js';
import type { ContextValue, NamedPolicy, Principal, PrincipalDeclaration } from './types.js';

const NAME = '[\\w+=,.@-]{1,64}';
const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)';
const ROOT = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
const USER = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):user((?:/[\\w+=,.@-]+)*)/(${NAME})$`);
const ROLE = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role((?:/[\\w+=,.@-]+)*)/(${NAME})$`);
const SESSION = new RegExp(`^arn:${PARTITION}:sts::(\\d{12}):assumed-role/(${NAME})/([\\w+=,.@-]{2,64})$`);
const KNOWN_MEMBERS = new Set(['AccessKeyId', 'SecretAccessKey', 'Arn', 'RoleArn', 'UserId', 'Tags', 'Policies', 'Context']);
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `AIDA`/`AROA` + 17 characters derived from the ARN: the same ARN always gets the same id. */
export function derivedUniqueId(prefix: 'AIDA' | 'AROA', arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[digest[i] % 32];
  return id;
}

export function rootPrincipal(accountId: string, partition: string, accessKeyId: string): Principal {
  const arn = `arn:${partition}:iam::${accountId}:root`;
  return { kind: 'Root', accountId, partition, accessKeyId, arn, principalArn: arn, userId: accountId, tags: {}, policies: [], context: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown, member: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${member} must be a mapping of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Error(`${member}.${k} must be a string`);
  }
  return { ...(value as Record<string, string>) };
}

function contextRecord(value: unknown): Record<string, ContextValue> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error('Context must be a mapping of condition keys to strings or lists of strings');
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = [...(v as string[])];
    else throw new Error(`Context.${k} must be a string or a list of strings`);
  }
  return out;
}

function compilePolicies(value: unknown): NamedPolicy[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('Policies must be a list of {PolicyName, PolicyDocument}');
  const names = new Set<string>();
  return value.map((entry, i) => {
    if (!isRecord(entry) || typeof entry.PolicyName !== 'string' || entry.PolicyName === '') {
      throw new Error(`Policies[${i}] needs a PolicyName`);
    }
    const name = entry.PolicyName;
    if (names.has(name)) throw new Error(`Policies[${i}]: PolicyName "${name}" is used twice`);
    names.add(name);
    const document = entry.PolicyDocument;
    if (typeof document !== 'string' && !isRecord(document)) throw new Error(`Policies[${i}] (${name}) needs a PolicyDocument (JSON string or mapping)`);
    try {
      return { name, policy: compile(document, 'identity') };
    } catch (e) {
      if (e instanceof PolicyDocumentError) throw new Error(`Policies[${i}] (${name}): ${e.detail}`);
      throw e;
    }
  });
}

export function principalFromDeclaration(declaration: PrincipalDeclaration): Principal {
  if (!isRecord(declaration)) throw new Error('a principal must be a mapping');
  for (const member of Object.keys(declaration)) {
    if (!KNOWN_MEMBERS.has(member)) throw new Error(`unknown member "${member}"`);
  }
  const { AccessKeyId: accessKeyId, Arn: arn } = declaration;
  if (typeof accessKeyId !== 'string' || !/^[\w+=,.@:/-]{1,128}$/.test(accessKeyId)) throw new Error('AccessKeyId must be a non-empty string of at most 128 characters without spaces');
  if (declaration.SecretAccessKey !== undefined && (typeof declaration.SecretAccessKey !== 'string' || declaration.SecretAccessKey === '')) {
    throw new Error('SecretAccessKey must be a non-empty string');
  }
  if (typeof arn !== 'string') throw new Error('Arn is required');
  if (declaration.UserId !== undefined && (typeof declaration.UserId !== 'string' || !/^[\w:+=,.@-]{1,128}$/.test(declaration.UserId))) {
    throw new Error('UserId must be a string such as AIDAEXAMPLE0000000001');
  }
  const tags = stringRecord(declaration.Tags, 'Tags');
  const context = contextRecord(declaration.Context);
  const policies = compilePolicies(declaration.Policies);
  const common = { accessKeyId, tags, policies, context };

  const root = ROOT.exec(arn);
  if (root) {
    if (declaration.RoleArn !== undefined) throw new Error('RoleArn is only for assumed-role session ARNs');
    // IAM cannot attach policies to the root user; a Deny for root would have to come from an SCP (out of scope).
    if (policies.length > 0) throw new Error('Policies: the account root user has no identity-based policies');
    return { ...rootPrincipal(root[2], root[1], accessKeyId), ...common };
  }
  const user = USER.exec(arn);
  if (user) {
    if (declaration.RoleArn !== undefined) throw new Error('RoleArn is only for assumed-role session ARNs');
    const [, partition, accountId, , userName] = user;
    const userId = declaration.UserId ?? derivedUniqueId('AIDA', arn);
    return { kind: 'IAMUser', accountId, partition, arn, principalArn: arn, userId, userName, ...common };
  }
  const session = SESSION.exec(arn);
  if (session) {
    const [, partition, accountId, roleName, sessionName] = session;
    let roleArn = `arn:${partition}:iam::${accountId}:role/${roleName}`;
    if (declaration.RoleArn !== undefined) {
      const role = typeof declaration.RoleArn === 'string' ? ROLE.exec(declaration.RoleArn) : null;
      if (!role) throw new Error(`RoleArn "${String(declaration.RoleArn)}" is not a role ARN (arn:<partition>:iam::<account>:role/<path/>name)`);
      if (role[1] !== partition || role[2] !== accountId || role[4] !== roleName) {
        throw new Error(`RoleArn "${declaration.RoleArn}" does not name the session's role (${partition}, ${accountId}, ${roleName})`);
      }
      roleArn = declaration.RoleArn;
    }
    const given = declaration.UserId;
    const userId = given === undefined ? `${derivedUniqueId('AROA', roleArn)}:${sessionName}` : given.includes(':') ? given : `${given}:${sessionName}`;
    return { kind: 'AssumedRole', accountId, partition, arn, principalArn: roleArn, userId, roleArn, roleName, sessionName, ...common };
  }
  throw new Error(
    `Arn "${arn}" is not an IAM user (arn:<partition>:iam::<account>:user/<path/>name), a role session ` +
      '(arn:<partition>:sts::<account>:assumed-role/<role>/<session>) or an account root (arn:<partition>:iam::<account>:root); ' +
      'names use letters, digits and +=,.@_- (session names 2 to 64 characters)',
  );
}
