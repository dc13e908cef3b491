/**
 * Policy validation (research §5.5), principals (§5.2), RetireGrant (grant-manage.html), the lockout check
 * (CreateKey/PutKeyPolicy API reference) and CreateGrant through a grant.
 */
import {
  PolicyDocumentError,
  authorize,
  authorizeGrantThroughGrant,
  authorizeRetireGrant,
  compilePolicy,
  passesLockoutCheck,
  principalFromDeclaration,
  rootPrincipal,
} from '../../src/authz/index.js';
import type { AuthzGrant } from '../../src/authz/index.js';
import { ACCOUNT, DEFAULT_POLICY, KEY_ARN, OTHER, denied, iam, key, keyPolicy, request, root, session, user } from './helpers.js';

function refusal(document: unknown, kind: 'key' | 'identity' = 'key'): PolicyDocumentError {
  try {
    compilePolicy(document as object, kind);
  } catch (e) {
    if (e instanceof PolicyDocumentError) return e;
    throw e;
  }
  throw new Error('compilePolicy accepted the document');
}

const ok = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };

describe('compilePolicy refuses, with AWS text where it is known', () => {
  test.each<[string, unknown]>([
    ['not JSON', '{"Statement": ['],
    ['not an object', '[1]'],
    ['no Statement', '{"Version":"2012-10-17"}'],
    ['Effect not Allow/Deny', keyPolicy({ ...ok, Effect: 'allow' })],
    ['a key policy statement without Principal', keyPolicy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })],
    ['Action and NotAction together', keyPolicy({ ...ok, NotAction: 'kms:Decrypt' })],
    ['unknown condition operator', keyPolicy({ ...ok, Condition: { StringEqualz: { 'kms:CallerAccount': ACCOUNT } } })],
    ['IfExists on Null', keyPolicy({ ...ok, Condition: { NullIfExists: { 'kms:CallerAccount': 'true' } } })],
    ['a condition value that is an object', keyPolicy({ ...ok, Condition: { StringEquals: { 'kms:CallerAccount': { a: 1 } } } })],
    ['a misspelt element (never ignored: it could be a condition)', keyPolicy({ ...ok, Conditions: {} })],
    ['an unknown Version', { Version: '2020-01-01', Statement: [ok] }],
  ])('%s → messageless MalformedPolicyDocumentException', (_name, document) => {
    const e = refusal(document);
    expect(e.code).toBe('MalformedPolicyDocumentException');
    expect(e.awsMessage).toBeUndefined();
    expect(e.detail).not.toBe('');
  });

  test.each<[string, unknown]>([
    ['a partial wildcard', { AWS: 'arn:aws:iam::111122223333:user/*' }],
    ['a malformed ARN', { AWS: 'arn:aws:iam::1111:root' }],
    ['an unknown principal type', { Group: 'x' }],
    ['a bare account string', '111122223333'],
    ['an empty list', { AWS: [] }],
    ['an IAM group', { AWS: 'arn:aws:iam::111122223333:group/admins' }],
  ])('%s → "Policy contains a statement with one or more invalid principals."', (_name, principal) => {
    expect(refusal(keyPolicy({ ...ok, Principal: principal })).awsMessage).toBe('Policy contains a statement with one or more invalid principals.');
  });

  test('valid principal forms are accepted (existence is never checked)', () => {
    const principals = [
      '*',
      { AWS: '*' },
      { AWS: ACCOUNT },
      { AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:user/path/to/alice`, `arn:aws:iam::${ACCOUNT}:role/service-role/app`] },
      { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1` },
      { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` },
      { Service: 'logs.us-west-2.amazonaws.com' },
      { Federated: 'cognito-identity.amazonaws.com' },
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    ];
    for (const Principal of principals) expect(() => compilePolicy(keyPolicy({ ...ok, Principal }), 'key')).not.toThrow();
  });

  test('ForAllValues with aws:RequestTag/* is OverlyPermissiveCondition (tag)', () => {
    expect(refusal(keyPolicy({ ...ok, Condition: { 'ForAllValues:StringEquals': { 'aws:RequestTag/Project': 'x' } } })).awsMessage).toBe(
      'OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified tag or with an unspecified tag. To fix, remove ForAllValues.',
    );
  });

  test('identity policies name no Principal; key policies accept YAML-parsed objects and a Statement object', () => {
    expect(refusal({ Version: '2012-10-17', Statement: [ok] }, 'identity').awsMessage).toBeUndefined();
    const p = compilePolicy({ Version: new Date('2012-10-17'), Statement: ok }, 'key');
    expect(p.version).toBe('2012-10-17');
  });
});

describe('principalFromDeclaration', () => {
  test('an IAM user with a path: AIDA id stable per ARN, username, tags, policies', () => {
    const a = principalFromDeclaration({ AccessKeyId: 'AKIAALICE', Arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, Tags: { team: 'x' } });
    expect(a).toMatchObject({ kind: 'IAMUser', accountId: ACCOUNT, partition: 'aws', userName: 'alice', principalArn: a.arn, tags: { team: 'x' } });
    expect(a.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(principalFromDeclaration({ AccessKeyId: 'AKIAOTHER', Arn: a.arn }).userId).toBe(a.userId);
    expect(principalFromDeclaration({ AccessKeyId: 'X', Arn: a.arn, UserId: 'AIDAEXAMPLE' }).userId).toBe('AIDAEXAMPLE');
  });
  test('a session: role ARN (with the declared path), AROA id with the session name', () => {
    const s = principalFromDeclaration({ AccessKeyId: 'ASIA1', Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/ci`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/service/app` });
    expect(s).toMatchObject({ kind: 'AssumedRole', roleArn: `arn:aws:iam::${ACCOUNT}:role/service/app`, principalArn: `arn:aws:iam::${ACCOUNT}:role/service/app`, roleName: 'app', sessionName: 'ci' });
    expect(s.userId).toMatch(/^AROA[A-Z2-7]{17}:ci$/);
    expect(s.userName).toBeUndefined();
  });
  test.each<[string, object, RegExp]>([
    ['a malformed ARN', { Arn: 'arn:aws:iam::1:user/x' }, /is not an IAM user/],
    ['a role ARN (not a session)', { Arn: `arn:aws:iam::${ACCOUNT}:role/app` }, /is not an IAM user/],
    ['a RoleArn for another role', { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/ci`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/other` }, /does not name the session's role/],
    ['a RoleArn on a user', { Arn: `arn:aws:iam::${ACCOUNT}:user/a`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/a` }, /only for assumed-role/],
    ['an unknown member', { Arn: `arn:aws:iam::${ACCOUNT}:user/a`, Polices: [] }, /unknown member "Polices"/],
    ['a broken policy', { Arn: `arn:aws:iam::${ACCOUNT}:user/a`, Policies: [{ PolicyName: 'p', PolicyDocument: '{"Statement": [{"Effect": "Permit"}]}' }] }, /Policies\[0\] \(p\): Statement\[0\]: Effect/],
    ['non-string tags', { Arn: `arn:aws:iam::${ACCOUNT}:user/a`, Tags: { a: 1 } }, /Tags.a must be a string/],
  ])('%s is refused with a message naming it', (_name, declaration, message) => {
    expect(() => principalFromDeclaration({ AccessKeyId: 'AKIAX', ...(declaration as { Arn: string }) })).toThrow(message);
  });
  test('rootPrincipal', () => {
    expect(rootPrincipal(ACCOUNT, 'aws', 'test')).toEqual({ kind: 'Root', accountId: ACCOUNT, partition: 'aws', accessKeyId: 'test', arn: `arn:aws:iam::${ACCOUNT}:root`, principalArn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, tags: {}, policies: [], context: {} });
  });
});

describe('RetireGrant (grant-manage.html)', () => {
  const grant: AuthzGrant = { grantId: 'g1', granteePrincipal: `arn:aws:iam::${OTHER}:user/bob`, retiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/ops`, issuingAccount: ACCOUNT, operations: ['Decrypt'] };
  const resource = key({ policy: DEFAULT_POLICY, grants: [grant] });
  test('the retiring principal may; the grantee only with RetireGrant in the grant', () => {
    expect(authorizeRetireGrant(request(session('ops', 'run-1'), 'kms:RetireGrant', resource), grant).allowed).toBe(true);
    const bob = user('bob', OTHER);
    expect(authorizeRetireGrant(request(bob, 'kms:RetireGrant', resource), grant).message).toBe(denied(bob, 'kms:RetireGrant', KEY_ARN, 'no-identity'));
    expect(authorizeRetireGrant(request(bob, 'kms:RetireGrant', resource), { ...grant, operations: ['Decrypt', 'RetireGrant'] }).allowed).toBe(true);
  });
  test('the issuing account: root, and its IAM principals with kms:RetireGrant; an identity Deny refuses', () => {
    expect(authorizeRetireGrant(request(root(), 'kms:RetireGrant', resource), grant).allowed).toBe(true);
    expect(authorizeRetireGrant(request(user('alice'), 'kms:RetireGrant', resource), grant).allowed).toBe(false);
    expect(authorizeRetireGrant(request(user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:RetireGrant', Resource: '*' })), 'kms:RetireGrant', resource), grant).allowed).toBe(true);
    const ops = session('ops', 'run-1', ACCOUNT, iam({ Effect: 'Deny', Action: 'kms:RetireGrant', Resource: '*' }));
    expect(authorizeRetireGrant(request(ops, 'kms:RetireGrant', resource), grant).message).toBe(denied(ops, 'kms:RetireGrant', KEY_ARN, 'deny-identity'));
  });
});

describe('lockout safety check', () => {
  const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
  const onlyBob = compilePolicy(keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'kms:*', Resource: '*' }), 'key');
  const denyAll = compilePolicy(keyPolicy({ Effect: 'Deny', Principal: '*', Action: 'kms:DescribeKey', Resource: '*' }), 'key');
  const resource = key({ policy: DEFAULT_POLICY });
  const base = (p = alice) => ({ principal: p, resource, environment: request(p, 'x', resource).environment, requestKeys: {} });
  test('the default policy passes for root and for a user whose IAM allows PutKeyPolicy', () => {
    const def = compilePolicy(DEFAULT_POLICY, 'key');
    expect(passesLockoutCheck(base(root()), def)).toBe(true);
    expect(passesLockoutCheck(base(), def)).toBe(true);
    expect(passesLockoutCheck(base(user('carol')), def)).toBe(false);
  });
  test('a policy naming someone else, or a lone Deny (moto test_policy__deny_based_on_actions), fails', () => {
    expect(passesLockoutCheck(base(), onlyBob)).toBe(false);
    expect(passesLockoutCheck(base(root()), denyAll)).toBe(false);
  });
  test('grants are ignored; a CreateKey (resource none) is checked against a key of the caller', () => {
    const withGrant = key({ policy: DEFAULT_POLICY, grants: [{ grantId: 'g', granteePrincipal: alice.arn, issuingAccount: ACCOUNT, operations: ['Decrypt'] }] });
    expect(passesLockoutCheck({ ...base(), resource: withGrant }, onlyBob)).toBe(false);
    expect(passesLockoutCheck({ ...base(root()), resource: { kind: 'none' } }, compilePolicy(DEFAULT_POLICY, 'key'))).toBe(true);
    expect(passesLockoutCheck({ ...base(root()), resource: { kind: 'none' } }, onlyBob)).toBe(false);
  });
});

describe('CreateGrant', () => {
  test('the key policy decides as usual; an explicit Deny beats a grant', () => {
    const admin = user('admin');
    const policy = keyPolicy({ Effect: 'Allow', Principal: { AWS: admin.arn }, Action: 'kms:CreateGrant', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GrantOperations': 'Decrypt' } } });
    const grantee = user('g');
    const resource = key({ policy, grants: [{ grantId: 'p', granteePrincipal: grantee.arn, issuingAccount: ACCOUNT, operations: ['CreateGrant', 'Decrypt', 'Encrypt'] }] });
    expect(authorizeGrantThroughGrant(request(admin, 'kms:CreateGrant', resource), { operations: ['Encrypt'] }).allowed).toBe(true);
    expect(authorizeGrantThroughGrant(request(grantee, 'kms:CreateGrant', resource, { requestKeys: { 'kms:GrantOperations': ['Encrypt'] } }), { operations: ['Encrypt'] })).toMatchObject({ allowed: true, statements: [{ source: 'grant:p' }] });
    const d = authorizeGrantThroughGrant(request(grantee, 'kms:CreateGrant', resource, { requestKeys: { 'kms:GrantOperations': ['Decrypt'] } }), { operations: ['Decrypt'] });
    expect(d.message).toBe(denied(grantee, 'kms:CreateGrant', KEY_ARN, 'deny-resource'));
  });
});

test('grants to an account: root alone, IAM principals with an identity Allow', () => {
  const resource = key({ policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' }), grants: [{ grantId: 'ga', granteePrincipal: `arn:aws:iam::${OTHER}:root`, issuingAccount: ACCOUNT, operations: ['Encrypt'] }] });
  expect(authorize(request(root(OTHER), 'kms:Encrypt', resource)).allowed).toBe(true);
  expect(authorize(request(user('bob', OTHER), 'kms:Encrypt', resource)).allowed).toBe(false);
  expect(authorize(request(user('bob', OTHER, iam({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' })), 'kms:Encrypt', resource)).allowed).toBe(true);
});

test('a declared root user takes no identity-based policies', () => {
  expect(() =>
    principalFromDeclaration({ AccessKeyId: 'AKIAROOT', Arn: `arn:aws:iam::${ACCOUNT}:root`, Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } }] }),
  ).toThrow('Policies: the account root user has no identity-based policies');
  expect(principalFromDeclaration({ AccessKeyId: 'AKIAROOT', Arn: `arn:aws:iam::${ACCOUNT}:root`, Tags: { a: 'b' } })).toMatchObject({ kind: 'Root', tags: { a: 'b' }, accessKeyId: 'AKIAROOT' });
});
