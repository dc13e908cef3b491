import type { OperationContext } from '../kms/context.js';
import { aliasNotFound, checkAliasName, liveAlias } from '../kms/aliases.js';
import { authorizeKey, authorizeWithoutKey } from '../kms/authorize.js';

export interface DeleteAliasInput {
  AliasName: string;
}

/** Works whatever the state of the alias's key (key-state table: DeleteAlias OK in every state). */
export function deleteAlias(input: DeleteAliasInput, context: OperationContext) {
  const { AliasName: aliasName } = input;
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), then the key it points to.
  if (context.authz) authorizeWithoutKey(context, 'DeleteAlias', context.store.aliasArn(aliasName));
  const alias = liveAlias(context, aliasName);
  if (!alias) throw aliasNotFound(context, aliasName);
  if (context.authz) authorizeKey(context, context.store.keys.get(alias.TargetKeyId)!);
  // The store also takes the name off the key's aliasNames.
  context.store.deleteAlias(aliasName);
  return {};
}
