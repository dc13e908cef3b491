import { KmsError } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { checkLockout, compileNewKeyPolicy, keyPolicyStored } from './authorize.js';

/** AWS's key policy quota (Resource quotas page): 32 KB, not adjustable; the model allows 131072 characters. */
export const MAX_POLICY_BYTES = 32 * 1024;

/**
 * The checks kmslite makes on a key policy document. Policies are stored now and evaluated in a later
 * issue. A document that is not a JSON object answers MalformedPolicyDocumentException without a
 * message (as AWS did in aws/aws-sdk-ruby#1784); the size text is kmslite's own (AWS's is unrecorded).
 */
export function checkPolicyDocument(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
    throw new KmsError('LimitExceededException', `The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw new KmsError('MalformedPolicyDocumentException');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new KmsError('MalformedPolicyDocumentException');
  }
  const statement = (document as Record<string, unknown>).Statement;
  if (statement === undefined || (typeof statement !== 'object' || statement === null)) {
    throw new KmsError('MalformedPolicyDocumentException');
  }
}

/** A key has exactly one policy, named `default` (the PolicyName default and its only valid value). */
export const DEFAULT_POLICY_NAME = 'default';

/**
 * GetKeyPolicy / PutKeyPolicy with another PolicyName: NotFoundException `No such policy exists` (what moto and
 * LocalStack answer; AWS's answer is unrecorded).
 */
export function checkPolicyName(policyName: string | undefined): void {
  if (policyName !== undefined && policyName !== DEFAULT_POLICY_NAME) throw new KmsError('NotFoundException', 'No such policy exists');
}

/**
 * PutKeyPolicy on a resolved key: replaces the key policy, stored byte for byte, in every key state. With access
 * control on (audit, enforce) the document is also read by the evaluator and must pass the lockout safety check
 * unless BypassPolicyLockoutSafetyCheck; with it off, only the form checks above apply.
 */
export function replaceKeyPolicy(
  context: OperationContext,
  key: KeyRecord,
  policyName: string | undefined,
  policy: string,
  bypassLockoutSafetyCheck: boolean | undefined,
): void {
  checkPolicyName(policyName);
  checkPolicyDocument(policy);
  if (context.authz) {
    const compiled = compileNewKeyPolicy(context, policy)!;
    checkLockout(context, key, compiled, bypassLockoutSafetyCheck);
    key.policy = policy;
    keyPolicyStored(context, key, compiled);
    return;
  }
  key.policy = policy;
}
