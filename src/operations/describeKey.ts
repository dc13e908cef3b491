import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

export interface DescribeKeyInput {
  KeyId: string;
  GrantTokens?: string[];
}

/** Every key state may be described; the metadata record already has DescribeKey's shape. */
export function describeKey(input: DescribeKeyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  return { KeyMetadata: key.metadata };
}
