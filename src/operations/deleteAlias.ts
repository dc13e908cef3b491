import type { OperationContext } from './_shared/context.js';
import { aliasNotFound, checkAliasName, liveAlias } from './_shared/aliases.js';

export interface DeleteAliasInput {
  AliasName: string;
}

/** Works whatever the state of the alias's key (key-state table: DeleteAlias OK in every state). */
export function deleteAlias(input: DeleteAliasInput, context: OperationContext) {
  const { AliasName: aliasName } = input;
  checkAliasName(aliasName);
  if (!liveAlias(context, aliasName)) throw aliasNotFound(context, aliasName);
  // The store also takes the name off the key's aliasNames.
  context.store.deleteAlias(aliasName);
  return {};
}
