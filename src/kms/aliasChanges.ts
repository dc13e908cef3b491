/**
 * The alias operations' rules: CreateAlias, UpdateAlias and DeleteAlias each check the alias name, access to the
 * alias and its keys, the keys' types and quotas, then change the store.
 */
import { KmsError, errors } from '../protocol/errors.js';
import { ownAliasNames } from '../store/records.js';
import type { OperationContext } from './context.js';
import { liveKey, resolveKey } from './resolveKey.js';
import { authorizeKey, authorizeWithoutKey } from './authorize.js';
import { aliasKeyType, aliasNotFound, checkAliasName, checkAliasQuota, liveAlias } from './aliases.js';

/**
 * Order of checks: the alias name, the name already taken, the target key (key id or key ARN only; NotFound
 * texts and the key-state table: a key pending deletion takes no new alias), the 50-aliases-per-key quota.
 */
export function createAliasTo(context: OperationContext, aliasName: string, targetKeyId: string): void {
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), then the key (resolveKey).
  if (context.authz) authorizeWithoutKey(context, 'CreateAlias', context.store.aliasArn(aliasName));
  if (liveAlias(context, aliasName)) {
    // AWS-recorded (giantswarm/aws-operator#239, hashicorp/terraform-provider-aws#35161): the alias ARN, not the name.
    throw new KmsError('AlreadyExistsException', `An alias with the name ${context.store.aliasArn(aliasName)} already exists`);
  }
  const key = resolveKey(context, targetKeyId);
  checkAliasQuota(key);

  const keyId = key.metadata.KeyId;
  context.store.putAlias({
    AliasName: aliasName,
    AliasArn: context.store.aliasArn(aliasName),
    TargetKeyId: keyId,
    CreationDate: context.now,
    LastUpdatedDate: context.now,
  });
  ownAliasNames(key).add(aliasName);
}

/**
 * Points an existing alias at another key. Order of checks: the alias name, the alias exists, the new key
 * (key id or key ARN only; key-state table: a destination pending deletion is refused, the current key may be
 * in any state), same key type and key usage as the current key, the new key's alias quota.
 */
export function moveAlias(context: OperationContext, aliasName: string, targetKeyId: string): void {
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), its current key, then the new key (resolveKey).
  if (context.authz) authorizeWithoutKey(context, 'UpdateAlias', context.store.aliasArn(aliasName));
  const alias = liveAlias(context, aliasName);
  if (!alias) throw aliasNotFound(context, aliasName);
  const current = liveKey(context, context.store, alias.TargetKeyId);
  if (!current) throw aliasNotFound(context, aliasName); // unreachable: a live alias has a live key
  if (context.authz) authorizeKey(context, current);
  const key = resolveKey(context, targetKeyId);

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
}

/** Works whatever the state of the alias's key (key-state table: DeleteAlias OK in every state). */
export function removeAlias(context: OperationContext, aliasName: string): void {
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), then the key it points to.
  if (context.authz) authorizeWithoutKey(context, 'DeleteAlias', context.store.aliasArn(aliasName));
  const alias = liveAlias(context, aliasName);
  if (!alias) throw aliasNotFound(context, aliasName);
  if (context.authz) authorizeKey(context, context.store.keys.get(alias.TargetKeyId)!);
  // The store also takes the name off the key's aliasNames.
  context.store.deleteAlias(aliasName);
}
