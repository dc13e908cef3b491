import type { OperationContext } from '../kms/context.js';
import { removeAlias } from '../kms/aliasChanges.js';

export interface DeleteAliasInput {
  AliasName: string;
}

/** DeleteAlias: the checks, in order, and the change are removeAlias's (src/kms/aliasChanges.ts). */
export function deleteAlias(input: DeleteAliasInput, context: OperationContext) {
  removeAlias(context, input.AliasName);
  return {};
}
