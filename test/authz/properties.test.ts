/**
 * Property tests (research §6.3, fast-check): explicit Deny never turns a denial into an allow, adding an Allow
 * never turns an allow into a denial, StringNotX = ¬StringX when the key is present, and the wildcard matcher
 * agrees with a naive reference on random strings including regex metacharacters.
 */
import fc from 'fast-check';
import { compileCondition } from '../../src/authz/conditions.js';
import { authorize, compilePolicy } from '../../src/authz/index.js';
import { compileWildcard } from '../../src/authz/match.js';
import { ACCOUNT, OTHER, key, keyPolicy, request, root, session, user } from './helpers.js';
import type { Principal } from '../../src/authz/index.js';

/** The reference: a direct backtracking matcher over characters, no regular expressions. */
function naiveMatch(pattern: string, value: string): boolean {
  if (pattern === '') return value === '';
  const [p, ...rest] = pattern;
  const tail = rest.join('');
  if (p === '*') {
    for (let i = 0; i <= value.length; i++) if (naiveMatch(tail, value.slice(i))) return true;
    return false;
  }
  if (value === '') return false;
  if (p === '?' || p === value[0]) return naiveMatch(tail, value.slice(1));
  return false;
}

const alphabet = fc.constantFrom('a', 'b', '.', '*', '?', '+', '(', ')', '[', ']', '\\', '^', '$', '|', '{', '}', '\n', '/', ':');
const text = fc.array(alphabet, { maxLength: 8 }).map((a) => a.join(''));

test('the wildcard matcher agrees with the naive reference', () => {
  fc.assert(
    fc.property(text, text, (pattern, value) => {
      expect(compileWildcard(pattern)(value)).toBe(naiveMatch(pattern, value));
    }),
    { numRuns: 3000 },
  );
});

test('StringNotX is the negation of StringX when the key is present', () => {
  const pairs = [
    ['StringEquals', 'StringNotEquals'],
    ['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'],
    ['StringLike', 'StringNotLike'],
  ];
  fc.assert(
    fc.property(fc.constantFrom(...pairs), fc.array(text, { minLength: 1, maxLength: 3 }), text, ([pos, neg], values, requestValue) => {
      const lookup = (k: string) => (k === 'k' ? requestValue : undefined);
      expect(compileCondition(neg, 'k', values, true).test(lookup)).toBe(!compileCondition(pos, 'k', values, true).test(lookup));
    }),
    { numRuns: 2000 },
  );
});

// Random statements over a small vocabulary, so that matches are frequent.
const actions = fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:*', 'kms:Re*', 'kms:GenerateDataKey*', '*');
const principals = fc.constantFrom<unknown>(
  '*',
  { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  { AWS: ACCOUNT },
  { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
  { AWS: `arn:aws:iam::${ACCOUNT}:role/app` },
  { AWS: `arn:aws:iam::${OTHER}:root` },
  { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1` },
);
const conditions = fc.constantFrom<object | undefined>(
  undefined,
  { StringEquals: { 'kms:EncryptionContext:team': 'a' } },
  { StringNotEquals: { 'kms:EncryptionContext:team': 'a' } },
  { 'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': 't*' } },
  { Null: { 'kms:EncryptionContext:team': 'true' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
);
const keyStatement = (effect: 'Allow' | 'Deny') =>
  fc.record({ action: actions, principal: principals, condition: conditions }).map(({ action, principal, condition }) => ({
    Effect: effect,
    Principal: principal,
    Action: action,
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  }));
const idStatement = (effect: 'Allow' | 'Deny') =>
  fc.record({ action: actions, condition: conditions }).map(({ action, condition }) => ({ Effect: effect, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) }));

const callers: Principal[] = [
  root(),
  root(OTHER),
  user('alice'),
  user('bob', OTHER),
  session('app', 's1'),
  session('app', 's2', OTHER),
];

const scenario = fc.record({
  keyStatements: fc.array(fc.oneof(keyStatement('Allow'), keyStatement('Deny')), { minLength: 1, maxLength: 4 }),
  idStatements: fc.array(fc.oneof(idStatement('Allow'), idStatement('Deny')), { maxLength: 3 }),
  caller: fc.integer({ min: 0, max: callers.length - 1 }),
  action: fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey'),
  context: fc.constantFrom<Record<string, string> | undefined>(undefined, { team: 'a' }, { team: 'b' }, { other: 'x' }),
  grant: fc.boolean(),
});

function decide(s: { keyStatements: object[]; idStatements: object[]; caller: number; action: string; context?: Record<string, string>; grant: boolean }) {
  const base = callers[s.caller];
  const caller: Principal =
    s.idStatements.length === 0 || base.kind === 'Root'
      ? base
      : { ...base, policies: [{ name: 'p', policy: compileIdentity(s.idStatements) }] };
  const grants = s.grant ? [{ grantId: 'g', granteePrincipal: `arn:aws:iam::${ACCOUNT}:user/alice`, issuingAccount: ACCOUNT, operations: ['Decrypt', 'Encrypt'] }] : [];
  return authorize(request(caller, s.action, key({ policy: keyPolicy(...s.keyStatements), grants }), { encryptionContext: s.context }));
}

function compileIdentity(statements: object[]) {
  return compilePolicy({ Version: '2012-10-17', Statement: statements }, 'identity');
}

test('adding an explicit Deny never turns a denial into an allow', () => {
  fc.assert(
    fc.property(scenario, keyStatement('Deny'), idStatement('Deny'), fc.boolean(), (s, kDeny, iDeny, inKey) => {
      const before = decide(s);
      const after = inKey ? decide({ ...s, keyStatements: [...s.keyStatements, kDeny] }) : decide({ ...s, idStatements: [...s.idStatements, iDeny] });
      if (!before.allowed) expect(after.allowed).toBe(false);
    }),
    { numRuns: 1500 },
  );
});

test('adding an Allow never turns an allow into a denial', () => {
  fc.assert(
    fc.property(scenario, keyStatement('Allow'), idStatement('Allow'), fc.boolean(), (s, kAllow, iAllow, inKey) => {
      const before = decide(s);
      const after = inKey ? decide({ ...s, keyStatements: [...s.keyStatements, kAllow] }) : decide({ ...s, idStatements: [...s.idStatements, iAllow] });
      if (before.allowed) expect(after.allowed).toBe(true);
    }),
    { numRuns: 1500 },
  );
});

test('a denial always carries AWS-shaped text naming the caller and the action', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const d = decide(s);
      if (d.allowed) return;
      expect(d.message).toMatch(new RegExp(`^User: ${callers[s.caller].arn.replace(/[/.]/g, '\\$&')} is not authorized to perform: ${s.action} on resource: arn:aws:kms:us-west-2:\\d{12}:key/\\S+ (with an explicit deny in an? (resource|identity)-based policy|because no (resource|identity)-based policy allows the ${s.action} action)$`));
    }),
    { numRuns: 1000 },
  );
});

/**
 * A naive interpreter of the IAM rules for String operators, written from the IAM pages rather than from the
 * compiled code: absent keys, IfExists, negation, ForAnyValue / ForAllValues.
 */
function naiveCondition(operator: string, policyValues: string[], requestValue: string | string[] | undefined): boolean {
  const setOp = operator.startsWith('ForAnyValue:') ? 'any' : operator.startsWith('ForAllValues:') ? 'all' : 'none';
  let base = operator.replace(/^For(AnyValue|AllValues):/, '');
  const ifExists = base.endsWith('IfExists');
  base = base.replace(/IfExists$/, '');
  const negated = base.includes('Not');
  const matchOne = (v: string, p: string) =>
    base.includes('Like') ? naiveMatch(p, v) : base.includes('IgnoreCase') ? v.toLowerCase() === p.toLowerCase() : v === p;
  const positive = (v: string) => policyValues.some((p) => matchOne(v, p));
  const values = requestValue === undefined ? [] : typeof requestValue === 'string' ? [requestValue] : requestValue;
  if (setOp === 'all') return values.every((v) => (negated ? !positive(v) : positive(v)));
  if (values.length === 0) return ifExists || (setOp === 'none' && negated);
  if (setOp === 'any') return values.some((v) => (negated ? !positive(v) : positive(v)));
  const any = values.some(positive);
  return negated ? !any : any;
}

test('compiled String conditions agree with the naive interpreter', () => {
  const bases = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
  const operator = fc
    .record({ base: fc.constantFrom(...bases), set: fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), ifExists: fc.boolean() })
    .map(({ base, set, ifExists }) => `${set}${base}${ifExists ? 'IfExists' : ''}`);
  const word = fc.array(fc.constantFrom('a', 'A', 'b', '*', '?', '.'), { maxLength: 4 }).map((a) => a.join(''));
  const requestValue = fc.oneof(fc.constant(undefined), word, fc.array(word, { maxLength: 3 }));
  fc.assert(
    fc.property(operator, fc.array(word, { minLength: 1, maxLength: 3 }), requestValue, (op, values, request) => {
      const lookup = (k: string) => (k === 'k' ? request : undefined);
      expect(compileCondition(op, 'K', values, true).test(lookup)).toBe(naiveCondition(op, values, request));
    }),
    { numRuns: 3000 },
  );
});
