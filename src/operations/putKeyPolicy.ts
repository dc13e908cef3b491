import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { checkPolicyDocument, checkPolicyName } from './_shared/policy.js';

export interface PutKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}

/**
 * Replaces the key policy, stored byte for byte, in every key state. BypassPolicyLockoutSafetyCheck is
 * accepted; kmslite does not evaluate policies yet, so there is no lockout check to bypass.
 */
export function putKeyPolicy(input: PutKeyPolicyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  checkPolicyName(input.PolicyName);
  checkPolicyDocument(input.Policy);
  key.policy = input.Policy;
  return {};
}
