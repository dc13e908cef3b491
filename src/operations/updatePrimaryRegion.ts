import { errors } from '../protocol/errors.js';
import { keyArn } from '../util/arn.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertKeyState } from '../kms/keyStates.js';
import { authorizeKey } from '../kms/authorize.js';
import { isMultiRegionPrimary, notPrimaryError, refreshConfigurations } from '../kms/multiRegion.js';

export interface UpdatePrimaryRegionInput {
  KeyId: string;
  PrimaryRegion: string;
}

/**
 * Makes the replica in PrimaryRegion the primary key and the current primary (named by KeyId, in the
 * caller's Region: the API reference's "Identifies the current primary key") a replica; every key of the set
 * shows the new MultiRegionConfiguration. Shared properties (material, rotation) are unchanged.
 *
 * Order of checks: the key and its state (key-state table), that it is a multi-Region primary (a replica or a
 * single-Region key → UnsupportedOperationException `<arn> is not a multi-region primary key.`, text as
 * ReplicateKey's recorded one, unconfirmed here), PrimaryRegion naming the key's own Region → no change
 * (unconfirmed), no key of the set in PrimaryRegion → NotFoundException `Key '<arn there>' does not exist`
 * (unconfirmed), the replica's state (both keys must be Enabled when the operation starts: developer guide
 * "Change the primary key"; the same key-state row is applied to it).
 *
 * AWS shows both keys in the transient `Updating` state for a few seconds after the call; kmslite completes
 * the change before answering, so `Updating` is never observed. Empty response.
 */
export function updatePrimaryRegion(input: UpdatePrimaryRegionInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  if (!key.metadata.MultiRegion || !isMultiRegionPrimary(key)) throw notPrimaryError(key);
  if (input.PrimaryRegion === context.region) return {};
  const set = key.multiRegionSet;
  const target = set?.members.get(input.PrimaryRegion);
  if (!set || !target) {
    throw errors.notFound(`Key '${keyArn(input.PrimaryRegion, context.accountId, key.metadata.KeyId)}' does not exist`);
  }
  // kms:UpdatePrimaryRegion is checked on the primary (resolveKey) and on the replica (research §1.4).
  if (context.authz) authorizeKey(context, target.key);
  assertKeyState('UpdatePrimaryRegion', target.key);
  set.primaryRegion = input.PrimaryRegion;
  refreshConfigurations(set);
  return {};
}
