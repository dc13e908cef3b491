import { accessDenied } from './authorize.js';
import { ownAliasNames, type KeyRecord } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';
import { generateSymmetricKeyMaterial } from '../crypto/symmetric.js';
import { DAY_MS } from '../util/clock.js';
import { newKeyId } from '../util/ids.js';
import { buildKey } from './newKey.js';
import { PREDEFINED_AWS_MANAGED_KEYS } from './awsManagedKeyCatalog.js';

/**
 * AWS managed keys (developer guide "AWS managed keys"; API reference DescribeKey, ListAliases, EnableKeyRotation):
 * symmetric keys that AWS creates in the account and Region the first time a request names one of the predefined
 * `alias/aws/<service>` aliases, with `KeyManager: AWS`, AWS's description and key policy, and automatic rotation
 * every year that cannot be changed. A user can view and use them but not manage them.
 */

/** "KMS always rotates the key material of AWS managed keys every year" (EnableKeyRotation API reference). */
export const AWS_MANAGED_ROTATION_PERIOD_DAYS = 365;

/** The predefined alias names, sorted by name. */
export const PREDEFINED_AWS_ALIAS_NAMES: readonly string[] = Object.keys(PREDEFINED_AWS_MANAGED_KEYS).sort();

export function isPredefinedAwsAlias(aliasName: string): boolean {
  return Object.hasOwn(PREDEFINED_AWS_MANAGED_KEYS, aliasName);
}

export interface PinnedMaterial {
  /** Random when absent. */
  keyId?: string;
  /** 32-byte AES keys, oldest first; the last one is current. Random when absent. */
  materials?: Buffer[];
}

/**
 * Creates the AWS managed key of a predefined alias, and the alias, in `store` (the caller has checked that the
 * alias does not exist yet and that it is predefined). `pinned`: a seed's fixed key id and material.
 */
export function createAwsManagedKey(store: RegionStore, aliasName: string, now: Date, pinned?: PinnedMaterial): KeyRecord {
  const template = PREDEFINED_AWS_MANAGED_KEYS[aliasName];
  if (!template) throw new Error(`${aliasName} is not a predefined AWS alias`);
  const key = buildKey(store, {
    keyId: pinned?.keyId ?? newKeyId(),
    materials: pinned?.materials ?? [generateSymmetricKeyMaterial()],
    description: template.description,
    policy: template.policy({
      partition: store.partition,
      accountId: store.accountId,
      region: store.region,
      dnsSuffix: store.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    }),
    creationDate: now,
  });
  key.metadata.KeyManager = 'AWS';
  // "New AWS managed keys are automatically rotated one year after they are created, and approximately every year
  // thereafter" (EnableKeyRotation API reference); applied lazily like customer keys' rotations (keyLifecycle.ts).
  key.rotation = {
    enabled: true,
    periodInDays: AWS_MANAGED_ROTATION_PERIOD_DAYS,
    nextRotationDate: new Date(now.getTime() + AWS_MANAGED_ROTATION_PERIOD_DAYS * DAY_MS),
    onDemandRotations: 0,
  };
  store.putKey(key);
  store.putAlias({ AliasName: aliasName, AliasArn: store.aliasArn(aliasName), TargetKeyId: key.metadata.KeyId, CreationDate: now, LastUpdatedDate: now });
  ownAliasNames(key).add(aliasName);
  return key;
}

/**
 * Operations AWS refuses on an AWS managed key whoever calls them: the key's policy (AWS's, which nobody can
 * change) allows the account only `kms:Describe*`, `kms:Get*`, `kms:List*` (and, for some, `kms:RevokeGrant`), and
 * its service only cryptographic use and grants through that service. "You cannot change any properties of AWS
 * managed keys, rotate them, change their key policies, or schedule them for deletion" (developer guide);
 * "You cannot tag an AWS managed key" (TagResource); "You don't have permission to associate an alias with an AWS
 * managed key" (CreateAlias, UpdateAlias). Cryptographic operations, CreateGrant, ListGrants, RevokeGrant and
 * RetireGrant are not here: AWS allows them through the service (kms:ViaService) or by policy, which is for
 * policy evaluation to decide.
 */
const REFUSED_ON_AWS_MANAGED_KEYS: ReadonlySet<string> = new Set([
  'CancelKeyDeletion', 'CreateAlias', 'DeleteImportedKeyMaterial', 'DisableKey', 'DisableKeyRotation', 'EnableKey',
  'EnableKeyRotation', 'ImportKeyMaterial', 'PutKeyPolicy', 'ReplicateKey', 'RotateKeyOnDemand', 'ScheduleKeyDeletion',
  'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion',
]);

/**
 * AccessDeniedException for a management operation on an AWS managed key: AWS's answer when a key policy allows
 * nothing for the action ("... because no resource-based policy allows the kms:<Op> action"), with the caller as
 * its account's root, as kmslite's other AccessDenied texts name it.
 */
export function refuseManagementOfAwsManagedKey(operation: string, key: KeyRecord, callerArn: string): void {
  if (key.metadata.KeyManager !== 'AWS' || !REFUSED_ON_AWS_MANAGED_KEYS.has(operation)) return;
  throw accessDenied(
    `User: ${callerArn} is not authorized to perform: kms:${operation} on resource: ${key.metadata.Arn} because no resource-based policy allows the kms:${operation} action`,
  );
}
