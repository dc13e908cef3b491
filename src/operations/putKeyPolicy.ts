import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { checkPolicyDocument, checkPolicyName } from '../kms/policy.js';
import { checkLockout, compileNewKeyPolicy, keyPolicyStored } from '../kms/authorize.js';

export interface PutKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}

/**
 * Replaces the key policy, stored byte for byte, in every key state. With access control on (audit, enforce)
 * the document is also read by the evaluator and must pass the lockout safety check unless
 * BypassPolicyLockoutSafetyCheck; with it off, only today's form checks (policy.ts) apply.
 */
export function putKeyPolicy(input: PutKeyPolicyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  checkPolicyName(input.PolicyName);
  checkPolicyDocument(input.Policy);
  if (context.authz) {
    const compiled = compileNewKeyPolicy(context, input.Policy)!;
    checkLockout(context, key, compiled, input.BypassPolicyLockoutSafetyCheck);
    key.policy = input.Policy;
    keyPolicyStored(context, key, compiled);
    return {};
  }
  key.policy = input.Policy;
  return {};
}
