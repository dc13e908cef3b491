import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { ownAliasNames } from '../store/records.js';
import { checkAliasName, checkAliasQuota, liveAlias } from '../kms/aliases.js';
import { authorizeWithoutKey } from '../kms/authorize.js';

export interface CreateAliasInput {
  AliasName: string;
  TargetKeyId: string;
}

/**
 * Order of checks: the alias name, the name already taken, the target key (key id or key ARN only; NotFound
 * texts and the key-state table: a key pending deletion takes no new alias), the 50-aliases-per-key quota.
 */
export function createAlias(input: CreateAliasInput, context: OperationContext) {
  const { AliasName: aliasName } = input;
  checkAliasName(aliasName);
  // Access control: the alias (identity policies), then the key (resolveKey).
  if (context.authz) authorizeWithoutKey(context, 'CreateAlias', context.store.aliasArn(aliasName));
  if (liveAlias(context, aliasName)) {
    // AWS-recorded (giantswarm/aws-operator#239, hashicorp/terraform-provider-aws#35161): the alias ARN, not the name.
    throw new KmsError('AlreadyExistsException', `An alias with the name ${context.store.aliasArn(aliasName)} already exists`);
  }
  const key = resolveKey(context, input.TargetKeyId);
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
  return {};
}
