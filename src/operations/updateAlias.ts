import type { OperationContext } from '../kms/context.js';
import { moveAlias } from '../kms/aliasChanges.js';

export interface UpdateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

/** UpdateAlias: the checks, in order, and the change are moveAlias's (src/kms/aliasChanges.ts). */
export function updateAlias(input: UpdateAliasInput, context: OperationContext) {
  moveAlias(context, input.AliasName, input.TargetKeyId);
  return {};
}
