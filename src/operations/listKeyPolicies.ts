import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { DEFAULT_POLICY_NAME } from '../kms/policy.js';

export interface ListKeyPoliciesInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}

/** Every key has the one policy `default`; Limit (≥ 1) and Marker are accepted and change nothing. */
export function listKeyPolicies(input: ListKeyPoliciesInput, context: OperationContext) {
  resolveKey(context, input.KeyId);
  return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
}
