/**
 * Parses, validates and compiles a policy document once, into statements evaluate.ts can test cheaply.
 * Grammar: IAM User Guide, reference_policies_elements.html; key-policy specifics: KMS Developer Guide,
 * key-policy-overview.html. Validation texts: research §5.5 (messageless MalformedPolicyDocumentException unless
 * AWS's text is known). Statements without Action or Resource are accepted and never match, as AWS does.
 * Anything not understood is refused here, so that it can never produce an Allow later.
 */
import { type CompiledCondition, BadConditionValueError, UnknownOperatorError, compileCondition, parseOperator } from './conditions.js';
import { INVALID_PRINCIPALS, PolicyDocumentError, malformed, overlyPermissive } from './errors.js';
import { compileActionSet, compileArnPattern } from './match.js';
import type { CompiledPolicy } from './types.js';
import { type KeyLookup, type Template, parseTemplate, renderArnPatternSource } from './variables.js';

/** The principals a statement names (Principal or NotPrincipal). Service/Federated/CanonicalUser never match a kmslite caller. */
export interface PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`. */
  readonly any: boolean;
  /** Account principals: `123456789012` or `arn:<partition>:iam::123456789012:root`. */
  readonly accounts: ReadonlySet<string>;
  /** User, role, assumed-role session and federated-user ARNs, compared exactly. */
  readonly arns: ReadonlySet<string>;
}

export interface Statement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Undefined: no Action/NotAction, the statement never matches. */
  readonly action?: (lowerAction: string) => boolean;
  readonly notAction: boolean;
  /** Undefined: no Resource/NotResource, the statement never matches. */
  readonly resource?: (resourceArn: string, lookup: KeyLookup) => boolean;
  readonly notResource: boolean;
  /** Key policies only. */
  readonly principal?: PrincipalSet;
  readonly notPrincipal: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface Policy extends CompiledPolicy {
  readonly statements: readonly Statement[];
  readonly kind: 'key' | 'identity';
}

const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const TOP_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)';
const ACCOUNT = /^\d{12}$/;
const ROOT_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
// Names: IAM's [\w+=,.@-]; paths: `/` or `/segments/`.
const USER_OR_ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):(user|role)(/[\\x21-\\x7e]+)?/[\\w+=,.@-]{1,64}$`);
const SESSION_ARN = new RegExp(`^arn:${PARTITION}:sts::(\\d{12}):assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64}$`);
const FEDERATED_USER_ARN = new RegExp(`^arn:${PARTITION}:sts::(\\d{12}):federated-user/[\\w+=,.@-]{2,32}$`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, element: string, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string')) {
    throw malformed(`${where}: ${element} must be a string or a non-empty list of strings`);
  }
  return list as string[];
}

function invalidPrincipal(where: string, why: string): PolicyDocumentError {
  return new PolicyDocumentError('MalformedPolicyDocumentException', INVALID_PRINCIPALS, `${where}: ${why}`);
}

/** An AWS principal value; wildcards other than a lone `*` are refused (reference_policies_elements_principal.html). */
function addAwsPrincipal(value: string, accounts: Set<string>, arns: Set<string>, where: string): boolean {
  if (value === '*') return true;
  if (ACCOUNT.test(value)) {
    accounts.add(value);
    return false;
  }
  const root = ROOT_ARN.exec(value);
  if (root) {
    accounts.add(root[2]);
    return false;
  }
  if (USER_OR_ROLE_ARN.test(value) && !value.includes('*') && !value.includes('?')) {
    arns.add(value);
    return false;
  }
  if (SESSION_ARN.test(value) || FEDERATED_USER_ARN.test(value)) {
    arns.add(value);
    return false;
  }
  throw invalidPrincipal(where, `"${value}" is not an account, root, user, role or session ARN`);
}

function compilePrincipal(value: unknown, element: string, where: string): PrincipalSet {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  if (value === '*') return { any: true, accounts, arns };
  if (!isObject(value)) throw invalidPrincipal(where, `${element} must be "*" or an object`);
  let any = false;
  const entries = Object.entries(value);
  if (entries.length === 0) throw invalidPrincipal(where, `${element} is empty`);
  for (const [type, raw] of entries) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
      throw invalidPrincipal(where, `${element}.${type} must be a string or a non-empty list of strings`);
    }
    for (const v of list as string[]) {
      if (type === 'AWS') any = addAwsPrincipal(v, accounts, arns, where) || any;
      else if (type === 'Service') {
        if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(v)) throw invalidPrincipal(where, `"${v}" is not a service principal`);
      } else if (type === 'CanonicalUser') {
        if (!/^[0-9a-f]{64}$/.test(v)) throw invalidPrincipal(where, `"${v}" is not a canonical user id`);
      } else if (type === 'Federated') {
        if (/\s/.test(v)) throw invalidPrincipal(where, `"${v}" is not a federated principal`);
      } else throw invalidPrincipal(where, `unknown principal type "${type}"`);
    }
  }
  return { any, accounts, arns };
}

function compileResource(patterns: string[], substitute: boolean): (arn: string, lookup: KeyLookup) => boolean {
  const templates: Template[] = patterns.map((p) => parseTemplate(p, substitute));
  const fixed = templates.map((t) => (t.parts ? undefined : compileArnPattern(t.raw)));
  if (fixed.every((m) => m)) {
    const matchers = fixed as ((v: string) => boolean)[];
    return (arn) => matchers.some((m) => m(arn));
  }
  return (arn, lookup) =>
    templates.some((t, i) => {
      const m = fixed[i];
      if (m) return m(arn);
      // A Resource whose variable has no value matches nothing (reference_policies_variables.html).
      const source = renderArnPatternSource(t, lookup);
      return source !== undefined && new RegExp(`^${source}$`, 's').test(arn);
    });
}

function compileConditions(block: unknown, where: string, substitute: boolean): CompiledCondition[] {
  if (!isObject(block)) throw malformed(`${where}: Condition must be an object`);
  const out: CompiledCondition[] = [];
  for (const [operator, entries] of Object.entries(block)) {
    let parsed;
    try {
      parsed = parseOperator(operator);
    } catch {
      throw malformed(`${where}: unknown condition operator "${operator}"`);
    }
    if (!isObject(entries)) throw malformed(`${where}: Condition.${operator} must be an object of condition keys`);
    for (const [key, value] of Object.entries(entries)) {
      const lower = key.toLowerCase();
      if (parsed.set === 'all' && (lower.startsWith('kms:encryptioncontext:') || lower.startsWith('aws:requesttag/'))) {
        const what = lower.startsWith('kms:') ? 'encryption context' : 'tag';
        throw new PolicyDocumentError('MalformedPolicyDocumentException', overlyPermissive(what), `${where}: ${operator} on ${key}`);
      }
      try {
        out.push(compileCondition(operator, key, value, substitute));
      } catch (e) {
        if (e instanceof UnknownOperatorError) throw malformed(`${where}: unknown condition operator "${operator}"`);
        if (e instanceof BadConditionValueError) throw malformed(`${where}: Condition.${operator}.${key} has ${e.message}`);
        throw e;
      }
    }
  }
  return out;
}

function compileStatement(raw: unknown, index: number, kind: 'key' | 'identity', substitute: boolean): Statement {
  const where = `Statement[${index}]`;
  if (!isObject(raw)) throw malformed(`${where} must be an object`);
  for (const element of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(element)) throw malformed(`${where}: unknown element "${element}"`);
  }
  const sid = raw.Sid;
  if (sid !== undefined && typeof sid !== 'string') throw malformed(`${where}: Sid must be a string`);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw malformed(`${where}: Effect must be "Allow" or "Deny"`);
  for (const [a, b] of [['Principal', 'NotPrincipal'], ['Action', 'NotAction'], ['Resource', 'NotResource']]) {
    if (raw[a] !== undefined && raw[b] !== undefined) throw malformed(`${where}: both ${a} and ${b}`);
  }
  let principal: PrincipalSet | undefined;
  const notPrincipal = raw.NotPrincipal !== undefined;
  if (kind === 'key') {
    if (raw.Principal === undefined && raw.NotPrincipal === undefined) throw malformed(`${where}: a key policy statement needs Principal or NotPrincipal`);
    principal = notPrincipal ? compilePrincipal(raw.NotPrincipal, 'NotPrincipal', where) : compilePrincipal(raw.Principal, 'Principal', where);
  } else if (raw.Principal !== undefined || notPrincipal) {
    throw malformed(`${where}: an identity-based policy cannot name a Principal`);
  }
  const notAction = raw.NotAction !== undefined;
  const actionValue = notAction ? raw.NotAction : raw.Action;
  const action = actionValue === undefined ? undefined : compileActionSet(stringList(actionValue, notAction ? 'NotAction' : 'Action', where));
  const notResource = raw.NotResource !== undefined;
  const resourceValue = notResource ? raw.NotResource : raw.Resource;
  const resource =
    resourceValue === undefined ? undefined : compileResource(stringList(resourceValue, notResource ? 'NotResource' : 'Resource', where), substitute);
  const conditions = raw.Condition === undefined ? [] : compileConditions(raw.Condition, where, substitute);
  return { index, sid, effect: raw.Effect, action, notAction, resource, notResource, principal, notPrincipal, conditions };
}

function versionOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // YAML 1.1 readers turn an unquoted 2012-10-17 into a date.
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && VERSIONS.has(value)) return value;
  throw malformed(`Version must be "2012-10-17" or "2008-10-17"`);
}

export function compile(document: string | object, kind: 'key' | 'identity'): Policy {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      throw malformed('the policy is not valid JSON');
    }
  }
  if (!isObject(parsed)) throw malformed('the policy must be a JSON object');
  for (const element of Object.keys(parsed)) {
    if (!TOP_ELEMENTS.has(element)) throw malformed(`unknown top-level element "${element}"`);
  }
  const version = versionOf(parsed.Version);
  if (parsed.Id !== undefined && typeof parsed.Id !== 'string') throw malformed('Id must be a string');
  const rawStatements = parsed.Statement;
  if (rawStatements === undefined) throw malformed('the policy has no Statement');
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  if (list.length === 0) throw malformed('Statement is empty');
  const substitute = version === '2012-10-17';
  const statements = list.map((s, i) => compileStatement(s, i, kind, substitute));
  return { statements, version, kind };
}
