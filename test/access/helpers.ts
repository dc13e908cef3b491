/**
 * Access-control test helpers: declared principals with their own credentials, policy documents, the AWS
 * AccessDenied texts (research §5.7); clientFor and the operator API (admin) come from the fixture.
 */
import type { PrincipalDeclaration } from '../../src/index.js';
import { ACCOUNT_ID, errorOf } from '../helpers/fixture.js';
import { accessDeniedText, type DenialReason } from '../helpers/accessDenied.js';

// clientFor and admin live in the fixture now; re-exported here until every importer takes them from there.
export { ACCOUNT_ID, REGION, admin, clientFor } from '../helpers/fixture.js';
export const OTHER_ACCOUNT_ID = '444455556666';
export const ROOT_ARN = `arn:aws:iam::${ACCOUNT_ID}:root`;

/** The default key policy's statement (what CreateKey without Policy stores). */
export const ROOT_DELEGATION = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: ROOT_ARN },
  Action: 'kms:*',
  Resource: '*',
};

export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function identityPolicy(name: string, ...statements: object[]) {
  return { PolicyName: name, PolicyDocument: policy(...statements) };
}

/** An IAM user `name` of `account`, with an access key and secret of its own. */
export function user(name: string, options: Partial<PrincipalDeclaration> & { account?: string } = {}): PrincipalDeclaration {
  const { account = ACCOUNT_ID, ...rest } = options;
  return {
    AccessKeyId: `AKIA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, '0').slice(0, 16)}`,
    SecretAccessKey: `${name}-secret`,
    Arn: `arn:aws:iam::${account}:user/${name}`,
    ...rest,
  };
}

/** A role session `arn:aws:sts::<account>:assumed-role/<role>/<session>` (role with a path: RoleArn). */
export function roleSession(role: string, session: string, options: Partial<PrincipalDeclaration> = {}): PrincipalDeclaration {
  return {
    AccessKeyId: `ASIA${(role + session).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, '0').slice(0, 16)}`,
    SecretAccessKey: `${role}-${session}-secret`,
    Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/${session}`,
    ...options,
  };
}

/** The error of a call that must be refused: its name and message. */
export async function refusal(action: () => Promise<unknown>): Promise<{ name: string; message: string; status: number }> {
  const error = await errorOf(action);
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

export type Reason = DenialReason;

/** AWS's AccessDeniedException text (research §1.13, §5.7). */
export const deniedText = accessDeniedText;

export function denied(callerArn: string, action: string, resource: string, reason: Reason) {
  return { name: 'AccessDeniedException', message: deniedText(callerArn, action, resource, reason), status: 400 };
}
