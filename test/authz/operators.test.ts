/**
 * Condition operator semantics (research §6.2; IAM User Guide reference_policies_elements_condition_operators.html,
 * reference_policies_multi-value-conditions.html, reference_policies_variables.html), tested on compiled
 * conditions with a plain key → value map, plus the IAM pages' examples transposed to KMS.
 */
import { compileCondition } from '../../src/authz/conditions.js';
import { authorize, compilePolicy } from '../../src/authz/index.js';
import type { ContextValue } from '../../src/authz/index.js';
import { ACCOUNT, DEFAULT_POLICY, KEY_ARN, OTHER, denied, iam, key, keyPolicy, request, root, session, user } from './helpers.js';

const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';

function holds(operator: string, policyValue: unknown, requestValue: ContextValue | undefined, extra: Record<string, ContextValue> = {}, substitute = true): boolean {
  const condition = compileCondition(operator, 'Test:Key', policyValue, substitute);
  const context = new Map<string, ContextValue>(Object.entries({ ...extra }).map(([k, v]) => [k.toLowerCase(), v]));
  if (requestValue !== undefined) context.set('test:key', requestValue);
  return condition.test((k) => context.get(k));
}

describe('absent keys', () => {
  test.each([
    ['StringEquals', false],
    ['StringNotEquals', true],
    ['StringLike', false],
    ['StringNotLike', true],
    ['StringEqualsIgnoreCase', false],
    ['StringNotEqualsIgnoreCase', true],
    ['NumericEquals', false],
    ['NumericNotEquals', true],
    ['DateEquals', false],
    ['DateNotEquals', true],
    ['Bool', false],
    ['IpAddress', false],
    ['NotIpAddress', true],
    ['ArnLike', false],
    ['ArnNotLike', true],
    ['StringEqualsIfExists', true],
    ['NumericLessThanIfExists', true],
    ['BoolIfExists', true],
    ['ForAnyValue:StringEquals', false],
    ['ForAnyValue:StringEqualsIfExists', true],
    ['ForAllValues:StringEquals', true],
    ['ForAllValues:StringNotEquals', true],
    ['ForAnyValue:StringNotEquals', false],
    ['ForAnyValue:NumericNotEquals', false],
  ])('%s on an absent key → %s', (op, expected) => {
    const value = op.includes('Ip') ? '10.0.0.0/8' : op.includes('Arn') ? 'arn:aws:iam::111122223333:root' : op.includes('Bool') ? 'true' : op.includes('Date') ? '2020-01-01T00:00:00Z' : '1';
    expect(holds(op, value, undefined)).toBe(expected);
  });
  test('Null: true when absent, false when present; an empty list counts as absent', () => {
    expect(holds('Null', 'true', undefined)).toBe(true);
    expect(holds('Null', true, 'x')).toBe(false);
    expect(holds('Null', 'false', 'x')).toBe(true);
    expect(holds('Null', false, undefined)).toBe(false);
    expect(holds('Null', 'true', [])).toBe(true);
  });
});

describe('several values', () => {
  test('positive operators OR the policy values; negated ones match none of them', () => {
    expect(holds('StringEquals', ['a', 'b'], 'b')).toBe(true);
    expect(holds('StringNotEquals', ['a', 'b'], 'b')).toBe(false);
    expect(holds('StringNotEquals', ['a', 'b'], 'c')).toBe(true);
  });
  test('ForAnyValue / ForAllValues over a multi-valued request key (multi-value-conditions.html)', () => {
    expect(holds('ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['ID', 'Message'])).toBe(true);
    expect(holds('ForAnyValue:StringEquals', ['ID', 'PostDateTime'], ['Message'])).toBe(false);
    expect(holds('ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], ['ID', 'Message'])).toBe(true);
    expect(holds('ForAllValues:StringEquals', ['ID', 'Message', 'Tags'], ['ID', 'PostDateTime'])).toBe(false);
    expect(holds('ForAllValues:StringEquals', ['ID'], [])).toBe(true);
    expect(holds('ForAnyValue:StringEquals', ['ID'], [])).toBe(false);
    expect(holds('ForAnyValue:StringNotEquals', ['A', 'B'], ['A', 'C'])).toBe(true);
    expect(holds('ForAllValues:StringNotEquals', ['A', 'B'], ['C', 'A'])).toBe(false);
  });
});

describe('operators', () => {
  test('String case rules', () => {
    expect(holds('StringEquals', 'Alpha', 'alpha')).toBe(false);
    expect(holds('StringEqualsIgnoreCase', 'Alpha', 'alpha')).toBe(true);
    expect(holds('StringNotEqualsIgnoreCase', 'Alpha', 'ALPHA')).toBe(false);
    expect(holds('StringLike', 'al*a', 'alpha')).toBe(true);
    expect(holds('StringLike', 'al*a', 'Alpha')).toBe(false);
    expect(holds('StringLike', 'a?c', 'abc')).toBe(true);
    expect(holds('StringLike', 'a.c', 'abc')).toBe(false);
    expect(holds('StringLike', 'a+(b)', 'a+(b)')).toBe(true);
    expect(holds('StringEquals', 'a*', 'abc')).toBe(false);
  });
  test('Numeric: integers and decimals, coercion from strings and numbers, unparsable → false', () => {
    expect(holds('NumericEquals', 30, '30')).toBe(true);
    expect(holds('NumericEquals', '30', '30.0')).toBe(true);
    expect(holds('NumericLessThan', '10', '9.5')).toBe(true);
    expect(holds('NumericLessThanEquals', '10', '10')).toBe(true);
    expect(holds('NumericGreaterThan', '10', '10')).toBe(false);
    expect(holds('NumericGreaterThanEquals', '10', '10')).toBe(true);
    expect(holds('NumericEquals', '30', 'thirty')).toBe(false);
    expect(holds('NumericNotEquals', '30', 'thirty')).toBe(false);
    expect(holds('NumericNotEquals', 'abc', '5')).toBe(false);
  });
  test('Date: ISO 8601 and epoch seconds', () => {
    expect(holds('DateGreaterThan', '2020-01-01T00:00:01Z', '2020-06-01T00:00:00Z')).toBe(true);
    expect(holds('DateLessThan', '2020-01-01T00:00:01Z', '2020-06-01T00:00:00Z')).toBe(false);
    expect(holds('DateEquals', '1577836800', '2020-01-01T00:00:00Z')).toBe(true);
    expect(holds('DateLessThanEquals', '2020-01-01', '1577836800')).toBe(true);
    expect(holds('DateNotEquals', 'tomorrow', '2020-01-01T00:00:00Z')).toBe(false);
  });
  test('Bool: "true"/"false" and JSON booleans; anything else never matches', () => {
    expect(holds('Bool', true, 'true')).toBe(true);
    expect(holds('Bool', 'false', 'false')).toBe(true);
    expect(holds('Bool', 'true', 'false')).toBe(false);
    expect(holds('Bool', 'true', 'yes')).toBe(false);
  });
  test('IpAddress / NotIpAddress: IPv4 and IPv6 CIDR, single addresses, mapped IPv4', () => {
    expect(holds('IpAddress', '203.0.113.0/24', '203.0.113.200')).toBe(true);
    expect(holds('IpAddress', '203.0.113.0/24', '203.0.114.1')).toBe(false);
    expect(holds('IpAddress', ['203.0.113.0/24', '2001:DB8:1234:5678::/64'], '2001:db8:1234:5678::1')).toBe(true);
    expect(holds('IpAddress', '127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
    expect(holds('NotIpAddress', '10.0.0.0/8', '192.168.1.1')).toBe(true);
    expect(holds('NotIpAddress', '10.0.0.0/8', '10.1.2.3')).toBe(false);
    expect(holds('IpAddress', '10.0.0.0/33', '10.0.0.1')).toBe(false);
    expect(holds('IpAddress', '10.0.0.0/8', 'localhost')).toBe(false);
  });
  test('Arn: segment by segment; a wildcard does not cross a colon', () => {
    expect(holds('ArnLike', 'arn:aws:iam::*:role/app-*', 'arn:aws:iam::111122223333:role/app-x')).toBe(true);
    expect(holds('ArnEquals', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/a/b')).toBe(true);
    expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:us-west-2:999988887777:x:111122223333:key/1')).toBe(false);
    expect(holds('ArnNotLike', 'arn:aws:iam::111122223333:*', 'arn:aws:iam::444455556666:root')).toBe(true);
    expect(holds('ArnLike', 'arn:aws:iam::111122223333:*', 'not-an-arn')).toBe(false);
  });
  test('BinaryEquals compares base64 values', () => {
    expect(holds('BinaryEquals', 'QmluYXJ5VmFsdWU=', 'QmluYXJ5VmFsdWU=')).toBe(true);
    expect(holds('BinaryEquals', 'QmluYXJ5VmFsdWU=', 'b3RoZXI=')).toBe(false);
  });
});

describe('policy variables (reference_policies_variables.html)', () => {
  const name = { 'aws:username': 'alice' };
  test('substituted in String and Arn operators; absent → the value is null', () => {
    expect(holds('StringEquals', '${aws:username}', 'alice', name)).toBe(true);
    expect(holds('StringLike', 'home/${aws:username}/*', 'home/alice/x', name)).toBe(true);
    expect(holds('StringLike', 'home/${aws:username}/*', 'home/bob/x', name)).toBe(false);
    expect(holds('StringEquals', '${aws:username}', '${aws:username}')).toBe(false);
    expect(holds('StringNotEquals', '${aws:username}', 'x')).toBe(true);
    expect(holds('ArnEquals', 'arn:aws:iam::111122223333:user/${aws:username}', 'arn:aws:iam::111122223333:user/alice', name)).toBe(true);
  });
  test("defaults, ${*} ${?} ${$}, and key names are case-insensitive", () => {
    expect(holds('StringEquals', "${aws:username, 'anonymous'}", 'anonymous')).toBe(true);
    expect(holds('StringEquals', '${AWS:UserName}', 'alice', name)).toBe(true);
    expect(holds('StringLike', 'a${*}b', 'a*b')).toBe(true);
    expect(holds('StringLike', 'a${*}b', 'axb')).toBe(false);
    expect(holds('StringEquals', '${$}${?}', '$?')).toBe(true);
    // A substituted value is literal, even in a Like operator.
    expect(holds('StringLike', '${aws:username}', 'anything', { 'aws:username': '*' })).toBe(false);
  });
  test('literal under Version 2008-10-17 and in Numeric/Date/Bool/IP operators', () => {
    expect(holds('StringEquals', '${aws:username}', '${aws:username}', name, false)).toBe(true);
    expect(holds('NumericEquals', '${aws:EpochTime}', '5', { 'aws:epochtime': '5' })).toBe(false);
  });
  test('a Resource with a variable (identity policy): own key only', () => {
    const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }));
    expect(authorize(request(alice, 'kms:Encrypt', key({ policy: DEFAULT_POLICY, tags: { owner: 'alice' } }))).allowed).toBe(true);
    expect(authorize(request(alice, 'kms:Encrypt', key({ policy: DEFAULT_POLICY, tags: { owner: 'bob' } }))).allowed).toBe(false);
    const byPath = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: 'arn:aws:kms:us-west-2:111122223333:alias/${aws:username}-*' }));
    const alias = (name: string) => ({ kind: 'alias' as const, arn: `arn:aws:kms:us-west-2:111122223333:alias/${name}`, accountId: ACCOUNT });
    expect(authorize(request(byPath, 'kms:CreateAlias', alias('alice-key'))).allowed).toBe(true);
    expect(authorize(request(byPath, 'kms:CreateAlias', alias('bob-key'))).message).toBe(denied(byPath, 'kms:CreateAlias', alias('bob-key').arn, 'no-identity'));
    const forRole = session('app', 's1', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: 'arn:aws:kms:us-west-2:111122223333:alias/${aws:username}-*' }));
    expect(authorize(request(forRole, 'kms:CreateAlias', alias('-key'))).allowed).toBe(false);
  });
});

describe('global keys and the IAM pages examples, transposed to KMS', () => {
  test(`Bool aws:SecureTransport false → Deny (${IAM}/reference_policies_elements_condition_operators.html#Conditions_Boolean)`, () => {
    const policy = keyPolicy((DEFAULT_POLICY as { Statement: object[] }).Statement[0], { Sid: 'BooleanExample', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(authorize(request(root(), 'kms:Encrypt', key({ policy }))).allowed).toBe(true);
    expect(authorize(request(root(), 'kms:Encrypt', key({ policy }), { secureTransport: false })).message).toBe(denied(root(), 'kms:Encrypt', KEY_ARN, 'deny-resource'));
  });
  test(`IpAddress aws:SourceIp (${IAM}/reference_policies_elements_condition_operators.html#Conditions_IPAddress)`, () => {
    const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } } }));
    expect(authorize(request(alice, 'kms:Encrypt', key({ policy: DEFAULT_POLICY }), { sourceIp: '203.0.113.7' })).allowed).toBe(true);
    expect(authorize(request(alice, 'kms:Encrypt', key({ policy: DEFAULT_POLICY }), { sourceIp: '198.51.100.7' })).allowed).toBe(false);
  });
  test('DateLessThan aws:CurrentTime follows the request clock', () => {
    const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-07-01T00:00:00Z' } } }));
    expect(authorize(request(alice, 'kms:Decrypt', key({ policy: DEFAULT_POLICY }), { now: new Date('2026-06-30T23:59:59Z') })).allowed).toBe(true);
    expect(authorize(request(alice, 'kms:Decrypt', key({ policy: DEFAULT_POLICY }), { now: new Date('2026-07-01T00:00:00Z') })).allowed).toBe(false);
  });
  test(`...IfExists: allowed when the key is absent (${IAM}/reference_policies_elements_condition_operators.html#Conditions_IfExists)`, () => {
    const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringLikeIfExists: { 'kms:KeySpec': ['SYMMETRIC_*', 'HMAC_*'] } } }));
    expect(authorize(request(alice, 'kms:ListKeys', { kind: 'none' })).allowed).toBe(true);
    expect(authorize(request(alice, 'kms:Sign', key({ policy: DEFAULT_POLICY }), { requestKeys: { 'kms:KeySpec': 'RSA_2048' } })).allowed).toBe(false);
  });
  test('aws:PrincipalArn is the role ARN for sessions; aws:PrincipalTag, aws:userid, aws:PrincipalType', () => {
    const s = session('app', 'run-1', ACCOUNT, { RoleArn: `arn:aws:iam::${ACCOUNT}:role/service/app`, Tags: { Team: 'payments' } });
    const policy = keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/service/app` }, StringEquals: { 'aws:PrincipalTag/team': 'payments', 'aws:PrincipalType': 'AssumedRole' }, StringLike: { 'aws:userid': 'AROA*:run-1' } } });
    expect(authorize(request(s, 'kms:Encrypt', key({ policy }))).allowed).toBe(true);
    expect(authorize(request(session('app', 'run-1'), 'kms:Encrypt', key({ policy }))).allowed).toBe(false);
  });
  test('aws:ResourceTag and kms:ResourceAliases are absent in key policies (tag-authorization.html)', () => {
    const policy = keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha' } } });
    const d = authorize(request(user('alice'), 'kms:Encrypt', key({ policy, tags: { Project: 'Alpha' } })));
    expect(d.message).toBe(denied(user('alice'), 'kms:Encrypt', KEY_ARN, 'no-resource'));
  });
  test('a principal Context override wins over request keys', () => {
    const p = user('alice', ACCOUNT, { Context: { 'kms:CallerAccount': OTHER } });
    const policy = keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': OTHER } } });
    expect(authorize(request(p, 'kms:Encrypt', key({ policy }))).allowed).toBe(true);
  });
});

describe(`NotPrincipal (${IAM}/reference_policies_elements_notprincipal.html)`, () => {
  const denyAllBut = (...names: string[]) =>
    keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: names }, Action: 'kms:*', Resource: '*' });
  const otherKey = (policy: object) => key({ policy, account: OTHER, arn: `arn:aws:kms:us-west-2:${OTHER}:key/k` });

  test('Deny with NotPrincipal naming Bob and his account: everyone but Bob denied', () => {
    const policy = denyAllBut(`arn:aws:iam::${OTHER}:user/Bob`, `arn:aws:iam::${OTHER}:root`);
    const bob = user('Bob', OTHER, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    const carol = user('Carol', OTHER, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    expect(authorize(request(bob, 'kms:Decrypt', otherKey(policy))).allowed).toBe(true);
    expect(authorize(request(carol, 'kms:Decrypt', otherKey(policy))).message).toBe(denied(carol, 'kms:Decrypt', `arn:aws:kms:us-west-2:${OTHER}:key/k`, 'deny-resource'));
  });
  test('without the account in the list, even Bob is denied (the account is denied)', () => {
    const policy = denyAllBut(`arn:aws:iam::${OTHER}:user/Bob`);
    const bob = user('Bob', OTHER, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    expect(authorize(request(bob, 'kms:Decrypt', otherKey(policy))).decision).toBe('ExplicitDeny');
  });
  test('a session is excluded only with its session ARN, role ARN and account all listed', () => {
    const all = denyAllBut(`arn:aws:sts::${OTHER}:assumed-role/cross-account-read-only-role/cross-account-audit-app`, `arn:aws:iam::${OTHER}:role/cross-account-read-only-role`, `arn:aws:iam::${OTHER}:root`);
    const noRole = denyAllBut(`arn:aws:sts::${OTHER}:assumed-role/cross-account-read-only-role/cross-account-audit-app`, `arn:aws:iam::${OTHER}:root`);
    const s = session('cross-account-read-only-role', 'cross-account-audit-app', OTHER, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    expect(authorize(request(s, 'kms:Decrypt', otherKey(all))).allowed).toBe(true);
    expect(authorize(request(s, 'kms:Decrypt', otherKey(noRole))).decision).toBe('ExplicitDeny');
  });
});

test('compile → evaluate: statements without Action or Resource never match, and are accepted', () => {
  const policy = compilePolicy(keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*' }), 'key');
  expect(policy.statements).toHaveLength(1);
  expect(authorize(request(root(), 'kms:Encrypt', key({ policy: keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*' }) }))).allowed).toBe(false);
});

test('in ARN patterns with variables, ${*} and substituted values are literal, and written wildcards stay in their segment', () => {
  const alice = { 'aws:username': 'alice' };
  expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:alias/${*}', 'arn:aws:kms:eu-west-1:111122223333:alias/*')).toBe(true);
  expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:alias/${*}', 'arn:aws:kms:eu-west-1:111122223333:alias/x')).toBe(false);
  expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:alias/${aws:username}-*', 'arn:aws:kms:eu-west-1:111122223333:alias/alice-1', alice)).toBe(true);
  expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:alias/${aws:username}', 'arn:aws:kms:eu-west-1:x:111122223333:alias/alice', alice)).toBe(false);
  expect(holds('ArnLike', 'arn:aws:kms:*:111122223333:alias/${aws:username}', 'arn:aws:kms:eu-west-1:111122223333:alias/alice', { 'aws:username': '*' })).toBe(false);
});
