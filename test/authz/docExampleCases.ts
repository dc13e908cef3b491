/**
 * The table of AWS KMS Developer Guide policy examples (and the IAM pages KMS relies on): one entry per documented
 * example, each with a caller the example allows and one it denies, and the reason of the denial. Statements are
 * copied from the pages cited (archived sources: awsdocs/aws-kms-developer-guide, doc_source/*.md); callers and
 * requests are ours. Key-policy examples run with the example as the key policy (plus, for Deny examples, an Allow
 * that the Deny must beat); identity-policy examples run under the default key policy, which delegates to the account.
 * Shared by test/authz/docExamples.test.ts (the pure evaluator) and test/access/docExamplesSdk.test.ts (the same
 * cases through @aws-sdk/client-kms against a running kmslite). `keys` are the request's condition keys as the
 * evaluator sees them; the SDK suite produces each from a real request parameter (or, for keys no direct call can
 * carry, from the caller's declared Context).
 * One long file on purpose: it is a table, in the order of the pages.
 */
import type { ContextValue, PrincipalDeclaration } from '../../src/authz/index.js';
import { ACCOUNT, KEY_ID, OTHER, keyPolicy } from './helpers.js';

export const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide';

/** A caller as declared in `Principals:`, without credentials (each suite gives it an access key). */
export type Caller = Omit<PrincipalDeclaration, 'AccessKeyId' | 'SecretAccessKey'>;

export interface Attempt {
  caller: Caller;
  action: string;
  keys?: Record<string, ContextValue>;
  ec?: Record<string, string>;
  tags?: Record<string, string>;
  aliases?: string[];
  /** Key account and Region (default 111122223333, us-west-2). */
  account?: string;
  region?: string;
  /** The action has no key resource (CreateKey, ListAliases): checked against IAM policies, resource `*`. */
  none?: boolean;
}

export interface DocCase {
  name: string;
  url: string;
  /** The key policy (default: the default key policy, delegating to the account). */
  policy?: object;
  allow: Attempt;
  deny: Attempt;
  reason: 'deny-resource' | 'deny-identity' | 'no-resource' | 'no-identity';
}

/** The evaluator suite's key ARN for an attempt (the SDK suite uses the ARN of the key it created). */
export function tableKeyArn(a: Attempt): string {
  return `arn:aws:kms:${a.region ?? 'us-west-2'}:${a.account ?? ACCOUNT}:key/${KEY_ID}`;
}

const stmt = (s: object) => s;
const delegate = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const user = (name: string, account = ACCOUNT, extra: Partial<Caller> = {}): Caller => ({ Arn: `arn:aws:iam::${account}:user/${name}`, ...extra });
const role = (name: string, account = ACCOUNT): Caller => ({ Arn: `arn:aws:sts::${account}:assumed-role/${name}/session-1` });
const exampleUser = user('ExampleUser');
const withIam = (c: Caller, ...statements: object[]): Caller => ({
  ...c,
  Policies: [{ PolicyName: 'example', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }],
});

export const docCases: DocCase[] = [
  // key-policy-default.html
  {
    name: 'default key policy: the account and its IAM policies',
    url: `${KMS}/key-policy-default.html#key-policy-default-allow-root-enable-iam`,
    policy: keyPolicy(delegate),
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }), action: 'kms:Encrypt' },
    deny: { caller: exampleUser, action: 'kms:Encrypt' },
    reason: 'no-identity',
  },
  {
    name: 'key administrators (kms:Create*, kms:Put*, ...) cannot use the key',
    url: `${KMS}/key-policy-default.html#key-policy-default-allow-administrators`,
    policy: keyPolicy(
      stmt({
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:user/KMSAdminUser', 'arn:aws:iam::111122223333:role/KMSAdminRole'] },
        Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
        Resource: '*',
      }),
    ),
    allow: { caller: role('KMSAdminRole'), action: 'kms:PutKeyPolicy' },
    deny: { caller: user('KMSAdminUser'), action: 'kms:Decrypt' },
    reason: 'no-resource',
  },
  {
    name: 'key users, including an external account (delegation: needs its IAM)',
    url: `${KMS}/key-policy-default.html#key-policy-default-allow-users`,
    policy: keyPolicy({
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111122223333:user/ExampleUser', 'arn:aws:iam::111122223333:role/ExampleRole', 'arn:aws:iam::444455556666:root'] },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    }),
    allow: { caller: role('ExampleRole'), action: 'kms:ReEncryptFrom' },
    deny: { caller: user('bob', OTHER), action: 'kms:Decrypt' },
    reason: 'no-identity',
  },
  {
    name: 'key users of an HMAC key: GenerateMac but not Encrypt',
    url: `${KMS}/key-policy-default.html#key-policy-users-crypto`,
    policy: keyPolicy({ Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'], Resource: '*' }),
    allow: { caller: exampleUser, action: 'kms:GenerateMac' },
    deny: { caller: exampleUser, action: 'kms:Encrypt' },
    reason: 'no-resource',
  },
  {
    name: 'key users of a signing key',
    url: `${KMS}/key-policy-default.html#key-policy-users-crypto`,
    policy: keyPolicy({ Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'], Resource: '*' }),
    allow: { caller: exampleUser, action: 'kms:Sign' },
    deny: { caller: user('Other'), action: 'kms:Sign' },
    reason: 'no-resource',
  },
  {
    name: 'grants for AWS resources only (kms:GrantIsForAWSResource)',
    url: `${KMS}/key-policy-default.html#key-policy-service-integration`,
    policy: keyPolicy({
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }),
    allow: { caller: user('ExampleUser', ACCOUNT, { Context: { 'kms:GrantIsForAWSResource': 'true' } }), action: 'kms:ListGrants' },
    deny: { caller: exampleUser, action: 'kms:ListGrants', keys: { 'kms:GrantIsForAWSResource': 'false' } },
    reason: 'no-resource',
  },
  // conditions-kms.html
  {
    // "This type of condition works even when the parameter doesn't appear in the request, such as when you use the
    // parameter's default value" (conditions-kms.html): a request without the parameter is false, so Bool false allows it.
    name: 'kms:BypassPolicyLockoutSafetyCheck: Bool false matches the default (parameter absent)',
    url: `${KMS}/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: exampleUser.Arn }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': false } } }),
    allow: { caller: exampleUser, action: 'kms:PutKeyPolicy', keys: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' } },
    deny: { caller: exampleUser, action: 'kms:PutKeyPolicy', keys: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:BypassPolicyLockoutSafetyCheck: an IAM Deny when true',
    url: `${KMS}/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }, { Effect: 'Deny', Action: ['kms:CreateKey', 'kms:PutKeyPolicy'], Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }, { Effect: 'Deny', Action: ['kms:CreateKey', 'kms:PutKeyPolicy'], Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    reason: 'deny-identity',
  },
  {
    name: 'kms:CallerAccount with kms:ViaService (the EBS AWS managed key)',
    url: `${KMS}/conditions-kms.html#conditions-kms-caller-account`,
    policy: keyPolicy({
      Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      Resource: '*',
    }),
    allow: { caller: user('anyone', ACCOUNT, { Context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } }), action: 'kms:GenerateDataKeyWithoutPlaintext' },
    deny: { caller: user('anyone'), action: 'kms:GenerateDataKeyWithoutPlaintext' },
    reason: 'no-resource',
  },
  {
    name: 'kms:DataKeyPairSpec StringLike RSA*',
    url: `${KMS}/conditions-kms.html#conditions-kms-data-key-spec`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: ['kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext'], Resource: '*', Condition: { StringLike: { 'kms:DataKeyPairSpec': 'RSA*' } } }),
    allow: { caller: exampleUser, action: 'kms:GenerateDataKeyPair', keys: { 'kms:DataKeyPairSpec': 'RSA_3072' } },
    deny: { caller: exampleUser, action: 'kms:GenerateDataKeyPair', keys: { 'kms:DataKeyPairSpec': 'ECC_NIST_P256' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:EncryptionAlgorithm: Deny in the key policy for any other algorithm',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-algorithm`,
    policy: keyPolicy(delegate, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ExampleRole' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }, {
      Sid: 'Allow only one encryption algorithm with this asymmetric KMS key',
      Effect: 'Deny',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/ExampleRole' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } },
    }),
    allow: { caller: role('ExampleRole'), action: 'kms:Encrypt', keys: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } },
    deny: { caller: role('ExampleRole'), action: 'kms:Encrypt', keys: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' } },
    reason: 'deny-resource',
  },
  {
    name: 'kms:EncryptionAlgorithm: an IAM Deny for anything but SYMMETRIC_DEFAULT',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-algorithm`,
    allow: {
      caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'AllowOnlySymmetricAlgorithm', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } }),
      action: 'kms:Decrypt',
      keys: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' },
    },
    deny: {
      caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'AllowOnlySymmetricAlgorithm', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } }),
      action: 'kms:Decrypt',
      keys: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' },
    },
    reason: 'deny-identity',
  },
  {
    name: 'kms:EncryptionContext:AppName (the context key part is not case sensitive)',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { appname: 'ExampleApp' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { AppName: 'exampleapp' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:EncryptionContext with ForAllValues kms:EncryptionContextKeys: only that pair',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::712816755609:user/alice' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } } }),
    allow: { caller: user('alice', '712816755609'), action: 'kms:GenerateDataKey', account: '712816755609', ec: { AppName: 'ExampleApp' } },
    deny: { caller: user('alice', '712816755609'), action: 'kms:GenerateDataKey', account: '712816755609', ec: { AppName: 'ExampleApp', Extra: 'x' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:EncryptionContext: Deny for Stage=Restricted',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': 'Restricted' } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { Stage: 'Test' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { Stage: 'Restricted' } },
    reason: 'deny-resource',
  },
  {
    name: 'multiple encryption context pairs: both required (AND)',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context-many`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:Decrypt', ec: { Department: 'IT', Project: 'Alpha', Other: 'x' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:Decrypt', ec: { Department: 'IT' } },
    reason: 'no-resource',
  },
  {
    name: 'multiple values for one context key: Deny on either (OR)',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context-many`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { Stage: 'Dev' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { Stage: 'Production' } },
    reason: 'deny-resource',
  },
  {
    name: 'case-sensitive key via ForAnyValue kms:EncryptionContextKeys',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context-case`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' }, StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { AppName: 'ExampleApp' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:GenerateDataKey', ec: { appname: 'ExampleApp' } },
    reason: 'no-resource',
  },
  {
    // The page's principal is a role; aws:username exists only for IAM users, so the caller here is a user.
    name: 'policy variable ${aws:username} in an encryption context condition',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context-variables`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/TestUser' }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } }),
    allow: { caller: user('TestUser'), action: 'kms:Encrypt', ec: { user: 'TestUser' } },
    deny: { caller: user('TestUser'), action: 'kms:Encrypt', ec: { user: 'SomeoneElse' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:EncryptionContextKeys: Null false requires some encryption context',
    url: `${KMS}/conditions-kms.html#conditions-kms-encryption-context-keys`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/RoleForExampleApp' }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': false } } }),
    allow: { caller: role('RoleForExampleApp'), action: 'kms:Encrypt', ec: { any: 'thing' } },
    deny: { caller: role('RoleForExampleApp'), action: 'kms:Encrypt' },
    reason: 'no-resource',
  },
  {
    name: 'kms:ExpirationModel',
    url: `${KMS}/conditions-kms.html#conditions-kms-expiration-model`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:ImportKeyMaterial', Resource: '*', Condition: { StringEquals: { 'kms:ExpirationModel': 'KEY_MATERIAL_DOES_NOT_EXPIRE' } } }),
    allow: { caller: exampleUser, action: 'kms:ImportKeyMaterial', keys: { 'kms:ExpirationModel': 'KEY_MATERIAL_DOES_NOT_EXPIRE' } },
    deny: { caller: exampleUser, action: 'kms:ImportKeyMaterial', keys: { 'kms:ExpirationModel': 'KEY_MATERIAL_EXPIRES', 'kms:ValidTo': '1546257599' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:GrantConstraintType',
    url: `${KMS}/conditions-kms.html#conditions-kms-grant-constraint-type`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GrantConstraintType': 'EncryptionContextEquals' } } }),
    allow: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:GrantConstraintType': 'EncryptionContextEquals' } },
    deny: { caller: exampleUser, action: 'kms:CreateGrant' },
    reason: 'no-resource',
  },
  {
    name: 'kms:GrantOperations with ForAllValues: only Encrypt and ReEncryptTo',
    url: `${KMS}/conditions-kms.html#conditions-kms-grant-operations`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'ReEncryptTo'] } } }),
    allow: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:GrantOperations': ['Encrypt'] } },
    deny: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:GrantOperations': ['Encrypt', 'Decrypt'] } },
    reason: 'no-resource',
  },
  {
    name: 'kms:GranteePrincipal',
    url: `${KMS}/conditions-kms.html#conditions-kms-grantee-principal`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:GranteePrincipal': 'arn:aws:iam::111122223333:role/LimitedAdminRole' } } }),
    allow: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:GranteePrincipal': 'arn:aws:iam::111122223333:role/LimitedAdminRole' } },
    deny: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:GranteePrincipal': 'arn:aws:iam::111122223333:role/Other' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:KeyOrigin in an IAM policy (key resource operations)',
    url: `${KMS}/conditions-kms.html#conditions-kms-key-origin`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeyOrigin': 'AWS_CLOUDHSM' } } }), action: 'kms:Decrypt', keys: { 'kms:KeyOrigin': 'AWS_CLOUDHSM' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeyOrigin': 'AWS_CLOUDHSM' } } }), action: 'kms:Decrypt', keys: { 'kms:KeyOrigin': 'AWS_KMS' } },
    reason: 'no-identity',
  },
  {
    name: 'kms:KeySpec on CreateKey (IAM, resource *)',
    url: `${KMS}/conditions-kms.html#conditions-kms-key-spec`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringLike: { 'kms:KeySpec': 'RSA_*' } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:KeySpec': 'RSA_2048' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringLike: { 'kms:KeySpec': 'RSA_*' } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } },
    reason: 'no-identity',
  },
  {
    name: 'kms:KeyUsage on key operations (IAM)',
    url: `${KMS}/conditions-kms.html#conditions-kms-key-usage`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:GetPublicKey', 'kms:ScheduleKeyDeletion'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } } }), action: 'kms:GetPublicKey', keys: { 'kms:KeyUsage': 'SIGN_VERIFY' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:GetPublicKey', 'kms:ScheduleKeyDeletion'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*', Condition: { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } } }), action: 'kms:GetPublicKey', keys: { 'kms:KeyUsage': 'ENCRYPT_DECRYPT' } },
    reason: 'no-identity',
  },
  {
    name: 'kms:MacAlgorithm: two statements, either algorithm',
    url: `${KMS}/conditions-kms.html#conditions-kms-mac-algorithm`,
    policy: keyPolicy(
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/testers' }, Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: '*', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_384' } } },
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/testers' }, Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: '*', Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_512' } } },
    ),
    allow: { caller: role('testers'), action: 'kms:VerifyMac', keys: { 'kms:MacAlgorithm': 'HMAC_SHA_512' } },
    deny: { caller: role('testers'), action: 'kms:VerifyMac', keys: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:MessageType RAW',
    url: `${KMS}/conditions-kms.html#conditions-kms-message-type`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:Sign', Resource: '*', Condition: { StringEquals: { 'kms:MessageType': 'RAW' } } }),
    allow: { caller: exampleUser, action: 'kms:Sign', keys: { 'kms:MessageType': 'RAW' } },
    deny: { caller: exampleUser, action: 'kms:Sign', keys: { 'kms:MessageType': 'DIGEST' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:MultiRegion Bool false on CreateKey',
    url: `${KMS}/conditions-kms.html#conditions-kms-multiregion`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { Bool: { 'kms:MultiRegion': false } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:MultiRegion': 'false' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { Bool: { 'kms:MultiRegion': false } } }), action: 'kms:CreateKey', none: true, keys: { 'kms:MultiRegion': 'true' } },
    reason: 'no-identity',
  },
  {
    name: 'kms:MultiRegionKeyType REPLICA',
    url: `${KMS}/conditions-kms.html#conditions-kms-multiregion-key-type`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } } }), action: 'kms:ScheduleKeyDeletion', keys: { 'kms:MultiRegionKeyType': 'REPLICA' } },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } } }), action: 'kms:ScheduleKeyDeletion', keys: { 'kms:MultiRegionKeyType': 'PRIMARY' } },
    reason: 'no-identity',
  },
  {
    name: 'kms:PrimaryRegion list',
    url: `${KMS}/conditions-kms.html#conditions-kms-primary-region`,
    policy: keyPolicy({ Effect: 'Allow', Action: 'kms:UpdatePrimaryRegion', Principal: { AWS: 'arn:aws:iam::111122223333:role/Developer' }, Resource: '*', Condition: { StringEquals: { 'kms:PrimaryRegion': ['us-east-1', 'us-west-2', 'eu-west-3', 'ap-southeast-2'] } } }),
    allow: { caller: role('Developer'), action: 'kms:UpdatePrimaryRegion', keys: { 'kms:PrimaryRegion': 'eu-west-3' } },
    deny: { caller: role('Developer'), action: 'kms:UpdatePrimaryRegion', keys: { 'kms:PrimaryRegion': 'eu-west-1' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:ReEncryptOnSameKey',
    url: `${KMS}/conditions-kms.html#conditions-kms-reencrypt-on-same-key`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:ReEncrypt*', Resource: '*', Condition: { Bool: { 'kms:ReEncryptOnSameKey': true } } }),
    allow: { caller: exampleUser, action: 'kms:ReEncryptTo', keys: { 'kms:ReEncryptOnSameKey': 'true' } },
    deny: { caller: exampleUser, action: 'kms:ReEncryptFrom', keys: { 'kms:ReEncryptOnSameKey': 'false' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:RequestAlias in a key policy',
    url: `${KMS}/conditions-kms.html#conditions-kms-request-alias`,
    policy: keyPolicy({ Sid: 'Key policy using a request alias condition', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/developer' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/finance-key' } } }),
    allow: { caller: role('developer'), action: 'kms:GenerateDataKey', keys: { 'kms:RequestAlias': 'alias/finance-key' } },
    deny: { caller: role('developer'), action: 'kms:GenerateDataKey', aliases: ['alias/finance-key'] },
    reason: 'no-resource',
  },
  {
    name: 'kms:ResourceAliases (IAM, ForAnyValue): any identifier works',
    url: `${KMS}/conditions-kms.html#conditions-kms-resource-aliases`,
    allow: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:*:444455556666:key/*'], Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance-key' } } }), action: 'kms:GenerateDataKey', aliases: ['alias/other', 'alias/finance-key'] },
    deny: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:*:444455556666:key/*'], Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance-key' } } }), action: 'kms:GenerateDataKey', aliases: [] },
    reason: 'no-identity',
  },
  {
    name: 'kms:ResourceAliases ForAllValues + ForAnyValue: only Test aliases, at least one',
    url: `${KMS}/conditions-kms.html#conditions-kms-resource-aliases`,
    allow: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:EnableKey', 'kms:DisableKey'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { 'ForAllValues:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] } } }), action: 'kms:DisableKey', aliases: ['alias/MyTestKey'] },
    deny: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:EnableKey', 'kms:DisableKey'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { 'ForAllValues:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': ['alias/*Test*'] } } }), action: 'kms:DisableKey', aliases: ['alias/MyTestKey', 'alias/Prod'] },
    reason: 'no-identity',
  },
  {
    name: 'kms:RetiringPrincipal list',
    url: `${KMS}/conditions-kms.html#conditions-kms-retiring-principal`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:RetiringPrincipal': ['arn:aws:iam::111122223333:role/LimitedAdminRole', 'arn:aws:iam::111122223333:user/OpsAdmin'] } } }),
    allow: { caller: exampleUser, action: 'kms:CreateGrant', keys: { 'kms:RetiringPrincipal': 'arn:aws:iam::111122223333:user/OpsAdmin' } },
    deny: { caller: exampleUser, action: 'kms:CreateGrant' },
    reason: 'no-resource',
  },
  {
    name: 'kms:SigningAlgorithm StringLike RSASSA_PSS*',
    url: `${KMS}/conditions-kms.html#conditions-kms-signing-algorithm`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/testers' }, Action: 'kms:Sign', Resource: '*', Condition: { StringLike: { 'kms:SigningAlgorithm': 'RSASSA_PSS*' } } }),
    allow: { caller: role('testers'), action: 'kms:Sign', keys: { 'kms:SigningAlgorithm': 'RSASSA_PSS_SHA_256' } },
    deny: { caller: role('testers'), action: 'kms:Sign', keys: { 'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:ValidTo NumericLessThanEquals (decimal policy value)',
    url: `${KMS}/conditions-kms.html#conditions-kms-valid-to`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:ImportKeyMaterial', Resource: '*', Condition: { NumericLessThanEquals: { 'kms:ValidTo': '1546257599.0' } } }),
    allow: { caller: exampleUser, action: 'kms:ImportKeyMaterial', keys: { 'kms:ValidTo': '1546257599' } },
    deny: { caller: exampleUser, action: 'kms:ImportKeyMaterial', keys: { 'kms:ValidTo': '1546257600' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:ViaService Allow list',
    url: `${KMS}/conditions-kms.html#conditions-kms-via-service`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': ['ec2.us-west-2.amazonaws.com', 'rds.us-west-2.amazonaws.com'] } } }),
    allow: { caller: user('ExampleUser', ACCOUNT, { Context: { 'kms:ViaService': 'rds.us-west-2.amazonaws.com' } }), action: 'kms:DescribeKey' },
    deny: { caller: exampleUser, action: 'kms:DescribeKey' },
    reason: 'no-resource',
  },
  {
    name: 'kms:ViaService Deny for Lambda',
    url: `${KMS}/conditions-kms.html#conditions-kms-via-service`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:Encrypt', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: ['kms:Encrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': ['lambda.us-west-2.amazonaws.com'] } } }),
    allow: { caller: exampleUser, action: 'kms:Encrypt' },
    deny: { caller: user('ExampleUser', ACCOUNT, { Context: { 'kms:ViaService': 'lambda.us-west-2.amazonaws.com' } }), action: 'kms:Encrypt' },
    reason: 'deny-resource',
  },
  {
    name: 'kms:WrappingAlgorithm StringNotEquals',
    url: `${KMS}/conditions-kms.html#conditions-kms-wrapping-algorithm`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:GetParametersForImport', Resource: '*', Condition: { StringNotEquals: { 'kms:WrappingAlgorithm': 'RSAES_OAEP_SHA_1' } } }),
    allow: { caller: exampleUser, action: 'kms:GetParametersForImport', keys: { 'kms:WrappingAlgorithm': 'RSAES_OAEP_SHA_256' } },
    deny: { caller: exampleUser, action: 'kms:GetParametersForImport', keys: { 'kms:WrappingAlgorithm': 'RSAES_OAEP_SHA_1' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:WrappingKeySpec',
    url: `${KMS}/conditions-kms.html#conditions-kms-wrapping-key-spec`,
    policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ExampleUser' }, Action: 'kms:GetParametersForImport', Resource: '*', Condition: { StringEquals: { 'kms:WrappingKeySpec': 'RSA_2048' } } }),
    allow: { caller: exampleUser, action: 'kms:GetParametersForImport', keys: { 'kms:WrappingKeySpec': 'RSA_2048' } },
    deny: { caller: exampleUser, action: 'kms:GetParametersForImport', keys: { 'kms:WrappingKeySpec': 'RSA_4096' } },
    reason: 'no-resource',
  },
  // abac.html, tag-authorization.html, alias-authorization.html
  {
    name: 'ABAC: aws:ResourceTag/Purpose=Test in an IAM policy',
    url: `${KMS}/abac.html`,
    allow: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Purpose': 'Test' } } }), action: 'kms:Decrypt', tags: { purpose: 'Test' } },
    deny: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Purpose': 'Test' } } }), action: 'kms:Decrypt', tags: { Purpose: 'Prod' } },
    reason: 'no-identity',
  },
  {
    name: 'ABAC: access changes with the tag (ap-southeast-1 keys only)',
    url: `${KMS}/abac.html#access-denied-tag`,
    allow: { caller: withIam(exampleUser, { Sid: 'IAMPolicyWithResourceTag', Effect: 'Allow', Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt'], Resource: 'arn:aws:kms:ap-southeast-1:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha' } } }), action: 'kms:Decrypt', region: 'ap-southeast-1', tags: { Project: 'Alpha' } },
    deny: { caller: withIam(exampleUser, { Sid: 'IAMPolicyWithResourceTag', Effect: 'Allow', Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt'], Resource: 'arn:aws:kms:ap-southeast-1:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha' } } }), action: 'kms:Decrypt', tags: { Project: 'Alpha' } },
    reason: 'no-identity',
  },
  {
    name: 'ABAC: access changes with the alias (ForAnyValue kms:ResourceAliases)',
    url: `${KMS}/abac.html#access-denied-alias`,
    allow: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:List*', 'kms:Describe*', 'kms:Decrypt'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/ProjectAlpha', 'alias/ProjectAlpha_Test', 'alias/ProjectAlpha_Dev'] } } }), action: 'kms:Decrypt', aliases: ['alias/ProjectAlpha_Dev'] },
    deny: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:List*', 'kms:Describe*', 'kms:Decrypt'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/ProjectAlpha', 'alias/ProjectAlpha_Test', 'alias/ProjectAlpha_Dev'] } } }), action: 'kms:Decrypt', aliases: ['alias/ProjectBeta'] },
    reason: 'no-identity',
  },
  {
    name: 'tags: Deny on Type=Reserved and on a missing Type tag',
    url: `${KMS}/tag-authorization.html`,
    allow: { caller: withIam(exampleUser, { Sid: 'IAMAllowCryptographicOperations', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*' }, { Sid: 'IAMDenyOnTag', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Type': 'Reserved' } } }, { Sid: 'IAMDenyNoTag', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { Null: { 'aws:ResourceTag/Type': 'true' } } }), action: 'kms:Encrypt', tags: { Type: 'General' } },
    deny: { caller: withIam(exampleUser, { Sid: 'IAMAllowCryptographicOperations', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*' }, { Sid: 'IAMDenyOnTag', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { StringEquals: { 'aws:ResourceTag/Type': 'Reserved' } } }, { Sid: 'IAMDenyNoTag', Effect: 'Deny', Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'], Resource: 'arn:aws:kms:*:111122223333:key/*', Condition: { Null: { 'aws:ResourceTag/Type': 'true' } } }), action: 'kms:Encrypt', tags: {} },
    reason: 'deny-identity',
  },
  {
    name: 'kms:RequestAlias StringLike alias/*alpha*',
    url: `${KMS}/alias-authorization.html#alias-auth-request-alias`,
    policy: keyPolicy({ Sid: 'Key policy using a request alias condition', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/alpha-developer' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*', Condition: { StringLike: { 'kms:RequestAlias': 'alias/*alpha*' } } }),
    allow: { caller: role('alpha-developer'), action: 'kms:DescribeKey', keys: { 'kms:RequestAlias': 'alias/project-alpha' } },
    deny: { caller: role('alpha-developer'), action: 'kms:DescribeKey', keys: { 'kms:RequestAlias': 'alias/project-beta' } },
    reason: 'no-resource',
  },
  {
    name: 'kms:ResourceAliases StringLike alias/restricted*',
    url: `${KMS}/alias-authorization.html#alias-auth-resource-aliases`,
    allow: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:GetKeyRotationStatus'], Resource: ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:*:444455556666:key/*'], Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/restricted*' } } }), action: 'kms:EnableKeyRotation', aliases: ['alias/restricted-1'] },
    deny: { caller: withIam(exampleUser, { Sid: 'AliasBasedIAMPolicy', Effect: 'Allow', Action: ['kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:GetKeyRotationStatus'], Resource: ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:*:444455556666:key/*'], Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/restricted*' } } }), action: 'kms:EnableKeyRotation', aliases: ['alias/open'] },
    reason: 'no-identity',
  },
  // key-policy-modifying-external-accounts.html and policy-evaluation.html
  {
    name: 'external account: key policy names the account, its IAM policy allows the key',
    url: `${KMS}/key-policy-modifying-external-accounts.html`,
    policy: keyPolicy(delegate, { Sid: 'Allow an external account to use this KMS key', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root'] }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }),
    allow: { caller: withIam(user('ExampleUser', OTHER), { Sid: 'AllowUseOfKeyInAccount111122223333', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), action: 'kms:Decrypt' },
    deny: { caller: withIam(user('ExampleUser', OTHER), { Sid: 'AllowUseOfKeyInAccount111122223333', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), action: 'kms:ScheduleKeyDeletion' },
    reason: 'no-resource',
  },
  {
    name: 'external account: key policy names the external role and user; still needs their IAM',
    url: `${KMS}/key-policy-modifying-external-accounts.html`,
    policy: keyPolicy(delegate, { Sid: 'Allow an external account to use this KMS key', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/ExampleRole', 'arn:aws:iam::444455556666:user/ExampleUser'] }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }),
    allow: { caller: withIam(role('ExampleRole', OTHER), { Effect: 'Allow', Action: 'kms:Encrypt', Resource: 'arn:aws:kms:us-west-2:111122223333:key/*' }), action: 'kms:Encrypt' },
    deny: { caller: role('ExampleRole', OTHER), action: 'kms:Encrypt' },
    reason: 'no-identity',
  },
  {
    name: 'policy evaluation example 1: delegation without an IAM allow',
    url: `${KMS}/policy-evaluation.html#example-no-iam`,
    policy: { Version: '2012-10-17', Id: 'key-test-1', Statement: [{ Sid: 'Delegate to IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] },
    allow: { caller: withIam(user('alice'), { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: `arn:aws:kms:us-west-2:111122223333:key/${KEY_ID}` }), action: 'kms:GenerateDataKey' },
    deny: { caller: user('alice'), action: 'kms:GenerateDataKey' },
    reason: 'no-identity',
  },
  {
    name: 'policy evaluation example 2: a role of account 1 on a key of account 2',
    url: `${KMS}/policy-evaluation.html#example-cross-acct`,
    policy: {
      Id: 'key-policy-acct-2',
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Permission to use IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Allow account 1 to use this KMS key', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'], Resource: '*' },
      ],
    },
    allow: { caller: withIam(role('Engineering'), { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'], Resource: ['arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab'] }), action: 'kms:Decrypt', account: OTHER },
    deny: { caller: role('Engineering'), action: 'kms:Decrypt', account: OTHER },
    reason: 'no-identity',
  },
  // customer-managed-policies.html and cmks-in-iam-policies.html
  {
    name: 'IAM: encrypt and decrypt with any key of the account in us-west-2',
    url: `${KMS}/customer-managed-policies.html#iam-policy-example-encrypt-decrypt-one-account-one-region`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: ['arn:aws:kms:us-west-2:111122223333:key/*'] }), action: 'kms:Encrypt' },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: ['arn:aws:kms:us-west-2:111122223333:key/*'] }), action: 'kms:Encrypt', region: 'eu-west-1' },
    reason: 'no-identity',
  },
  {
    name: 'IAM: CreateKey, ListKeys, ListAliases need Resource *',
    url: `${KMS}/customer-managed-policies.html#iam-policy-example-create-key`,
    allow: { caller: withIam(exampleUser, { Sid: 'IAMPermissionsForParticularKMSKeys', Effect: 'Allow', Action: 'kms:TagResource', Resource: 'arn:aws:kms:*:111122223333:key/*' }, { Sid: 'IAMPermissionsForAllKMSKeys', Effect: 'Allow', Action: ['kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases'], Resource: '*' }), action: 'kms:ListAliases', none: true },
    deny: { caller: withIam(exampleUser, { Sid: 'IAMPermissionsForParticularKMSKeys', Effect: 'Allow', Action: 'kms:CreateKey', Resource: 'arn:aws:kms:*:111122223333:key/*' }), action: 'kms:CreateKey', none: true },
    reason: 'no-identity',
  },
  {
    name: 'IAM: prevent disabling or deleting any key',
    url: `${KMS}/customer-managed-policies.html#iam-policy-example-deny-disable-delete`,
    allow: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'], Resource: '*' }), action: 'kms:EnableKey' },
    deny: { caller: withIam(exampleUser, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'], Resource: '*' }), action: 'kms:ScheduleKeyDeletion' },
    reason: 'deny-identity',
  },
];
