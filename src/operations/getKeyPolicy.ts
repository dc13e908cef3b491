import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { checkPolicyName, DEFAULT_POLICY_NAME } from '../kms/policy.js';

export interface GetKeyPolicyInput {
  KeyId: string;
  PolicyName?: string;
}

/** The stored policy text exactly as it was put (or the default policy), in every key state. */
export function getKeyPolicy(input: GetKeyPolicyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  checkPolicyName(input.PolicyName);
  return { Policy: key.policy, PolicyName: DEFAULT_POLICY_NAME };
}
