import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { replaceKeyPolicy } from '../kms/policy.js';

export interface PutKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}

/** PutKeyPolicy: the key (key id or key ARN), then replaceKeyPolicy (src/kms/policy.ts). Empty response. */
export function putKeyPolicy(input: PutKeyPolicyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  replaceKeyPolicy(context, key, input.PolicyName, input.Policy, input.BypassPolicyLockoutSafetyCheck);
  return {};
}
