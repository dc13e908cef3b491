import { errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { liveKey, resolveKey } from '../kms/resolveKey.js';
import { ownAliasNames } from '../store/records.js';
import { authorizeKey, authorizeWithoutKey } from '../kms/authorize.js';
import { aliasKeyType, aliasNotFound, checkAliasName, checkAliasQuota, liveAlias } from '../kms/aliases.js';

export interface UpdateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

/**
 * Points an existing alias at another key. Order of checks: the alias name, the alias exists, the new key
 * (key id or key ARN only; key-state table: a destination pending deletion is refused, the current key may be
 * in any state), same key type and key usage as the current key, the new key's alias quota.
 */
export function updateAlias(input: UpdateAliasInput, context: OperationContext) {
  const { AliasName: aliasName } = input;
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), its current key, then the new key (resolveKey).
  if (context.authz) authorizeWithoutKey(context, 'UpdateAlias', context.store.aliasArn(aliasName));
  const alias = liveAlias(context, aliasName);
  if (!alias) throw aliasNotFound(context, aliasName);
  const current = liveKey(context, context.store, alias.TargetKeyId);
  if (!current) throw aliasNotFound(context, aliasName); // unreachable: a live alias has a live key
  if (context.authz) authorizeKey(context, current);
  const key = resolveKey(context, input.TargetKeyId);

  if (
    aliasKeyType(key.metadata.KeySpec) !== aliasKeyType(current.metadata.KeySpec) ||
    key.metadata.KeyUsage !== current.metadata.KeyUsage
  ) {
    // AWS refuses this (UpdateAlias API reference); its code and text are unrecorded: kmslite's own.
    throw errors.validation(
      `${key.metadata.Arn} is not the same key type (symmetric, asymmetric or HMAC) and key usage as ${current.metadata.Arn}, the current target of ${alias.AliasArn}.`,
    );
  }
  const moving = key !== current;
  if (moving) checkAliasQuota(key);

  if (moving) {
    current.aliasNames.delete(aliasName);
    ownAliasNames(key).add(aliasName);
  }
  alias.TargetKeyId = key.metadata.KeyId;
  alias.LastUpdatedDate = context.now;
  // putAlias on an existing name keeps its listing position; it is how the store learns the alias changed.
  context.store.putAlias(alias);
  return {};
}
