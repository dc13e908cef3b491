/** Builders for pure evaluator tests: principals, key resources and requests as the wiring would pass them. */
import { compilePolicy, principalFromDeclaration, rootPrincipal } from '../../src/authz/index.js';
import { accessDeniedText } from '../helpers/accessDenied.js';
import type { AuthzGrant, AuthzRequest, ContextValue, PrincipalDeclaration, Principal } from '../../src/authz/index.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${KEY_ID}`;

export const root = (account = ACCOUNT): Principal => rootPrincipal(account, 'aws', `AKIA${account}`);

export function principal(arn: string, extra: Partial<PrincipalDeclaration> = {}): Principal {
  return principalFromDeclaration({ AccessKeyId: `AK${Math.abs(hash(arn))}`, Arn: arn, ...extra });
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

export const user = (name: string, account = ACCOUNT, extra: Partial<PrincipalDeclaration> = {}): Principal =>
  principal(`arn:aws:iam::${account}:user/${name}`, extra);

export const session = (role: string, sessionName: string, account = ACCOUNT, extra: Partial<PrincipalDeclaration> = {}): Principal =>
  principal(`arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`, extra);

/** Identity policy statements → the Policies member of a declaration. */
export function iam(...statements: object[]): Partial<PrincipalDeclaration> {
  return { Policies: [{ PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }] };
}

export interface KeyOptions {
  policy: object | string;
  grants?: AuthzGrant[];
  tags?: Record<string, string>;
  aliases?: string[];
  arn?: string;
  account?: string;
}

export function key(options: KeyOptions): AuthzRequest['resource'] {
  const account = options.account ?? ACCOUNT;
  const policy = typeof options.policy === 'string' ? options.policy : JSON.stringify(options.policy);
  return {
    kind: 'key',
    arn: options.arn ?? `arn:aws:kms:us-west-2:${account}:key/${KEY_ID}`,
    accountId: account,
    region: 'us-west-2',
    keyPolicy: compilePolicy(policy, 'key'),
    grants: options.grants ?? [],
    tags: options.tags ?? {},
    aliases: options.aliases ?? [],
  };
}

export function keyPolicy(...statements: object[]): object {
  return { Version: '2012-10-17', Id: 'test', Statement: statements };
}

export const DEFAULT_POLICY = keyPolicy({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
});

export interface RequestOptions {
  requestKeys?: Record<string, ContextValue>;
  encryptionContext?: Record<string, string>;
  now?: Date;
  sourceIp?: string;
  secureTransport?: boolean;
}

export function request(p: Principal, action: string, resource: AuthzRequest['resource'], options: RequestOptions = {}): AuthzRequest {
  const ec = options.encryptionContext;
  const ecKeys: Record<string, ContextValue> = {};
  if (ec) {
    for (const [k, v] of Object.entries(ec)) ecKeys[`kms:EncryptionContext:${k}`] = v;
    ecKeys['kms:EncryptionContextKeys'] = Object.keys(ec);
  }
  return {
    principal: p,
    action,
    resource,
    environment: {
      now: options.now ?? new Date('2026-06-01T12:00:00Z'),
      region: 'us-west-2',
      sourceIp: options.sourceIp ?? '203.0.113.10',
      secureTransport: options.secureTransport ?? true,
      userAgent: 'aws-sdk-js/3',
    },
    requestKeys: { ...ecKeys, ...(options.requestKeys ?? {}) },
    encryptionContext: ec,
  };
}

/** This file's names for the denial reasons → the shared text's. */
const REASONS = { 'deny-resource': 'explicit-resource', 'deny-identity': 'explicit-identity', 'no-resource': 'no-resource', 'no-identity': 'no-identity' } as const;

/** AWS's AccessDenied text. */
export function denied(p: Principal, action: string, resource: string, reason: keyof typeof REASONS): string {
  return accessDeniedText(p.arn, action, resource, REASONS[reason]);
}
