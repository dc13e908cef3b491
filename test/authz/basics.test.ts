/** The evaluator's core flow (research §5.3): default policy, delegation, direct grants, cross account, Deny. */
import { authorize } from '../../src/authz/index.js';
import { ACCOUNT, DEFAULT_POLICY, KEY_ARN, OTHER, denied, iam, key, keyPolicy, request, root, session, user } from './helpers.js';

test('the default key policy lets the account root do everything', () => {
  const d = authorize(request(root(), 'kms:Encrypt', key({ policy: DEFAULT_POLICY })));
  expect(d).toEqual({ allowed: true, decision: 'Allow', statements: [{ source: 'key-policy', sid: 'Enable IAM User Permissions', index: 0 }, { source: 'root' }] });
});

test('delegation to the account needs an identity Allow for users', () => {
  const alice = user('alice');
  const d = authorize(request(alice, 'kms:Decrypt', key({ policy: DEFAULT_POLICY })));
  expect(d.allowed).toBe(false);
  expect(d.missing).toBe('identity');
  expect(d.message).toBe(denied(alice, 'kms:Decrypt', KEY_ARN, 'no-identity'));
  const allowedAlice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }));
  expect(authorize(request(allowedAlice, 'kms:Decrypt', key({ policy: DEFAULT_POLICY }))).allowed).toBe(true);
});

test('a key policy naming the user directly suffices in the same account', () => {
  const alice = user('alice');
  const policy = keyPolicy({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' });
  expect(authorize(request(alice, 'kms:Encrypt', key({ policy }))).allowed).toBe(true);
  const d = authorize(request(root(), 'kms:Encrypt', key({ policy })));
  expect(d.message).toBe(denied(root(), 'kms:Encrypt', KEY_ARN, 'no-resource'));
});

test('a role ARN in the key policy covers its sessions; the message names the session', () => {
  const s = session('app', 'ci');
  const policy = keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: 'kms:Encrypt', Resource: '*' });
  expect(authorize(request(s, 'kms:Encrypt', key({ policy }))).allowed).toBe(true);
  const d = authorize(request(s, 'kms:Decrypt', key({ policy })));
  expect(d.message).toBe(`User: arn:aws:sts::${ACCOUNT}:assumed-role/app/ci is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no resource-based policy allows the kms:Decrypt action`);
});

test('cross account needs the key policy and the caller IAM', () => {
  const bob = user('bob', OTHER, iam({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }));
  const bobNoIam = user('bob', OTHER);
  const naming = keyPolicy(
    (DEFAULT_POLICY as { Statement: object[] }).Statement[0],
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:Decrypt', Resource: '*' },
  );
  expect(authorize(request(bob, 'kms:Decrypt', key({ policy: naming }))).allowed).toBe(true);
  expect(authorize(request(bobNoIam, 'kms:Decrypt', key({ policy: naming }))).message).toBe(denied(bobNoIam, 'kms:Decrypt', KEY_ARN, 'no-identity'));
  expect(authorize(request(bob, 'kms:Decrypt', key({ policy: DEFAULT_POLICY }))).message).toBe(denied(bob, 'kms:Decrypt', KEY_ARN, 'no-resource'));
  expect(authorize(request(root(OTHER), 'kms:Decrypt', key({ policy: DEFAULT_POLICY }))).allowed).toBe(false);
  expect(authorize(request(root(OTHER), 'kms:Decrypt', key({ policy: naming }))).allowed).toBe(true);
});

test('explicit deny wins, with the side in the message', () => {
  const alice = user('alice', ACCOUNT, iam({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }));
  expect(authorize(request(alice, 'kms:Decrypt', key({ policy: DEFAULT_POLICY }))).message).toBe(denied(alice, 'kms:Decrypt', KEY_ARN, 'deny-identity'));
  const policy = keyPolicy((DEFAULT_POLICY as { Statement: object[] }).Statement[0], { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
  expect(authorize(request(root(), 'kms:Decrypt', key({ policy }))).message).toBe(denied(root(), 'kms:Decrypt', KEY_ARN, 'deny-resource'));
});

test('actions without a key: IAM only, root implicitly allowed', () => {
  const alice = user('alice');
  const d = authorize(request(alice, 'kms:CreateKey', { kind: 'none' }));
  expect(d.message).toBe(`User: ${alice.arn} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`);
  expect(authorize(request(root(), 'kms:CreateKey', { kind: 'none' })).allowed).toBe(true);
  const tag = authorize(request(alice, 'kms:TagResource', { kind: 'none' }));
  expect(tag.message).toBe(`User: ${alice.arn} is not authorized to perform: kms:TagResource because no identity-based policy allows the kms:TagResource action`);
});
