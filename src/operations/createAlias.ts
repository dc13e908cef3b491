import type { OperationContext } from '../kms/context.js';
import { createAliasTo } from '../kms/aliasChanges.js';

export interface CreateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

/** CreateAlias: the checks, in order, and the change are createAliasTo's (src/kms/aliasChanges.ts). */
export function createAlias(input: CreateAliasInput, context: OperationContext) {
  createAliasTo(context, input.AliasName, input.TargetKeyId);
  return {};
}
