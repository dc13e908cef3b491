/**
 * The AWS KMS Developer Guide policy examples (test/authz/docExampleCases.ts) at the evaluator: for each, the allowed
 * caller is allowed and the denied one gets AWS's exact AccessDenied text. The same table runs through the SDK in
 * test/access/docExamplesSdk.test.ts. Below the table: grant examples and documented examples kmslite refuses.
 */
import { authorize, authorizeGrantThroughGrant, compilePolicy, principalFromDeclaration, PolicyDocumentError } from '../../src/authz/index.js';
import type { AuthzGrant, Principal } from '../../src/authz/index.js';
import { docCases, KMS, tableKeyArn, type Attempt, type Caller, type DocCase } from './docExampleCases.js';
import { ACCOUNT, DEFAULT_POLICY, OTHER, denied, key, keyPolicy, request, root, user } from './helpers.js';

const principalOf = (c: Caller): Principal => principalFromDeclaration({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', ...c });

function run(c: DocCase, a: Attempt) {
  const resource = a.none
    ? ({ kind: 'none' } as const)
    : key({ policy: c.policy ?? DEFAULT_POLICY, tags: a.tags, aliases: a.aliases, account: a.account, arn: tableKeyArn(a) });
  return authorize(request(principalOf(a.caller), a.action, resource, { requestKeys: a.keys, encryptionContext: a.ec }));
}

describe.each(docCases)('$name', (c) => {
  test(`allowed (${c.url})`, () => {
    const d = run(c, c.allow);
    expect(d.message).toBeUndefined();
    expect(d.allowed).toBe(true);
  });
  test('denied, with the exact message', () => {
    const d = run(c, c.deny);
    expect(d.allowed).toBe(false);
    const resource = c.deny.none ? '*' : tableKeyArn(c.deny);
    expect(d.message).toBe(denied(principalOf(c.deny.caller), c.deny.action, resource, c.reason));
  });
});

describe('grants (create-grant-overview.html)', () => {
  const url = `${KMS}/create-grant-overview.html#grant-constraints`;
  const grant = (constraints: AuthzGrant['constraints'], operations = ['Decrypt']): AuthzGrant => ({
    grantId: 'g-1',
    granteePrincipal: 'arn:aws:iam::111122223333:user/exampleUser',
    issuingAccount: ACCOUNT,
    operations,
    constraints,
  });
  const onlyAdmin = keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/admin' }, Action: 'kms:*', Resource: '*' });
  const grantee = user('exampleUser');

  test(`EncryptionContextEquals {Department: IT} (${url})`, () => {
    const resource = key({ policy: onlyAdmin, grants: [grant({ EncryptionContextEquals: { Department: 'IT' } })] });
    expect(authorize(request(grantee, 'kms:Decrypt', resource, { encryptionContext: { Department: 'IT' } }))).toEqual({ allowed: true, decision: 'Allow', statements: [{ source: 'grant:g-1' }] });
    const more = authorize(request(grantee, 'kms:Decrypt', resource, { encryptionContext: { Department: 'IT', Purpose: 'Test' } }));
    expect(more.message).toBe(denied(grantee, 'kms:Decrypt', resource.kind === 'key' ? resource.arn : '', 'no-resource'));
  });

  test(`EncryptionContextSubset {Department: IT} allows extra pairs (${url})`, () => {
    const resource = key({ policy: onlyAdmin, grants: [grant({ EncryptionContextSubset: { Department: 'IT' } })] });
    expect(authorize(request(grantee, 'kms:Decrypt', resource, { encryptionContext: { Department: 'IT', Purpose: 'Test' } })).allowed).toBe(true);
    expect(authorize(request(grantee, 'kms:Decrypt', resource, { encryptionContext: { Department: 'it' } })).allowed).toBe(false);
    expect(authorize(request(grantee, 'kms:Decrypt', resource)).allowed).toBe(false);
  });

  test('constraints are not applied to DescribeKey (API_GrantConstraints)', () => {
    const resource = key({ policy: onlyAdmin, grants: [grant({ EncryptionContextEquals: { Department: 'IT' } }, ['DescribeKey'])] });
    expect(authorize(request(grantee, 'kms:DescribeKey', resource)).allowed).toBe(true);
    expect(authorize(request(user('other'), 'kms:DescribeKey', resource)).allowed).toBe(false);
  });

  test('a grant works across accounts without IAM (policy-evaluation.html, key trust)', () => {
    const bob = user('bob', OTHER);
    const resource = key({ policy: DEFAULT_POLICY, grants: [{ grantId: 'g-x', granteePrincipal: bob.arn, issuingAccount: ACCOUNT, operations: ['Encrypt'] }] });
    expect(authorize(request(bob, 'kms:Encrypt', resource)).allowed).toBe(true);
    expect(authorize(request(bob, 'kms:Decrypt', resource)).allowed).toBe(false);
  });

  test('a grant cannot widen through CreateGrant (create-grant-overview.html)', () => {
    const parent: AuthzGrant = { ...grant({ EncryptionContextSubset: { Department: 'IT' } }, ['Decrypt', 'CreateGrant']) };
    const resource = key({ policy: onlyAdmin, grants: [parent] });
    const req = request(grantee, 'kms:CreateGrant', resource);
    expect(authorizeGrantThroughGrant(req, { operations: ['Decrypt'], constraints: { EncryptionContextSubset: { Department: 'IT', Team: 'A' } } }).allowed).toBe(true);
    expect(authorizeGrantThroughGrant(req, { operations: ['Decrypt'], constraints: { EncryptionContextEquals: { Department: 'IT' } } }).allowed).toBe(true);
    expect(authorizeGrantThroughGrant(req, { operations: ['Decrypt', 'Encrypt'], constraints: { EncryptionContextSubset: { Department: 'IT' } } }).allowed).toBe(false);
    expect(authorizeGrantThroughGrant(req, { operations: ['Decrypt'] }).allowed).toBe(false);
    // authorize() alone never lets a grant allow CreateGrant: the new grant must be checked.
    expect(authorize(req).allowed).toBe(false);
  });
});

describe('documented examples kmslite refuses', () => {
  test('the kms:ReplicaRegion example as printed is not JSON (a comma is missing) → messageless MalformedPolicyDocument', () => {
    const printed = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Administrator"},"Action":"kms:ReplicateKey" "Resource":"*"}]}';
    expect(() => compilePolicy(printed, 'key')).toThrow(PolicyDocumentError);
    try {
      compilePolicy(printed, 'key');
    } catch (e) {
      expect((e as PolicyDocumentError).awsMessage).toBeUndefined();
    }
  });

  test('ForAllValues with kms:EncryptionContext:* is OverlyPermissiveCondition (conditions-kms.html, set operators)', () => {
    const policy = keyPolicy({ Effect: 'Allow', Principal: { AWS: root().arn }, Action: 'kms:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:AppName': 'x' } } });
    expect(() => compilePolicy(policy, 'key')).toThrow(
      'OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.',
    );
  });
});
