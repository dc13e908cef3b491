import { KmsError, errors } from '../protocol/errors.js';
import type { KeySpec } from '../model/generated/enums.js';
import type { AliasRecord, KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { liveKey } from './resolveKey.js';

/** AWS's quota "Aliases per key" (Resource quotas page): 50. */
export const MAX_ALIASES_PER_KEY = 50;

/** The prefix AWS keeps for the aliases of AWS managed keys. */
const RESERVED_PREFIX = 'alias/aws/';

/**
 * The alias-name checks AWS makes after model validation (the model pattern `^[a-zA-Z0-9:/_-]+$` has passed):
 * - no `alias/` prefix → ValidationException, AWS-recorded text (LocalStack snapshot test_create_alias; also
 *   seen in aws-controllers-k8s/community#1878);
 * - a `:` → ValidationException `<name> contains invalid characters for an alias` (AWS-recorded,
 *   hashicorp/terraform-provider-aws#12891);
 * - `alias/aws/…` → NotAuthorizedException without a message (local-kms and moto answer this; AWS's own
 *   answer to a customer is unrecorded).
 * Applied to CreateAlias, UpdateAlias and DeleteAlias alike.
 */
export function checkAliasName(aliasName: string): void {
  if (!aliasName.startsWith('alias/')) {
    throw errors.validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (aliasName.includes(':')) throw errors.validation(`${aliasName} contains invalid characters for an alias`);
  if (aliasName.startsWith(RESERVED_PREFIX)) throw new KmsError('NotAuthorizedException');
}

/**
 * The alias as of now: an alias whose key's deletion date has passed went with the key (liveKey deletes
 * both lazily), so it is undefined then.
 */
export function liveAlias(context: OperationContext, aliasName: string): AliasRecord | undefined {
  const alias = context.store.aliases.get(aliasName);
  if (!alias) return undefined;
  return liveKey(context, context.store, alias.TargetKeyId) ? context.store.aliases.get(aliasName) : undefined;
}

/** `NotFoundException: Alias <alias ARN> is not found.` (AWS-recorded, cloudposse/docs#152). */
export function aliasNotFound(context: OperationContext, aliasName: string): KmsError {
  return errors.notFound(`Alias ${context.store.aliasArn(aliasName)} is not found.`);
}

/**
 * `LimitExceededException` when `key` already has the 50 aliases AWS allows. Text AWS-recorded
 * (scylladb/scylla-cluster-tests#7611: "Aliases per key quota for this account in this region is 50,
 * current usage is 60.").
 */
export function checkAliasQuota(key: KeyRecord): void {
  const usage = key.aliasNames.size;
  if (usage >= MAX_ALIASES_PER_KEY) {
    throw new KmsError(
      'LimitExceededException',
      `Aliases per key quota for this account in this region is ${MAX_ALIASES_PER_KEY}, current usage is ${usage}.`,
    );
  }
}

/** The key type UpdateAlias compares ("both symmetric or both asymmetric or both HMAC", UpdateAlias API reference). */
export function aliasKeyType(keySpec: KeySpec): 'SYMMETRIC' | 'HMAC' | 'ASYMMETRIC' {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 'SYMMETRIC';
  if (keySpec.startsWith('HMAC_')) return 'HMAC';
  return 'ASYMMETRIC';
}

/** A ListAliases entry, members in AWS's order. */
export function aliasListEntry(alias: AliasRecord) {
  return {
    AliasName: alias.AliasName,
    AliasArn: alias.AliasArn,
    TargetKeyId: alias.TargetKeyId,
    CreationDate: alias.CreationDate,
    LastUpdatedDate: alias.LastUpdatedDate,
  };
}

/**
 * Opaque markers for listings that page over a small, name-sorted set (one key's aliases, one key's tags):
 * the marker names the first entry of the next page, so a page survives entries removed in between.
 * `kind` keeps a marker of one listing from being accepted by another.
 */
export function encodeNameMarker(kind: string, name: string): string {
  return Buffer.from(`${kind}/${name}`, 'utf8').toString('base64url');
}

/** The name a marker from encodeNameMarker stands for, or undefined when it is not one. */
export function decodeNameMarker(kind: string, marker: string): string | undefined {
  const bytes = Buffer.from(marker, 'base64url');
  if (bytes.toString('base64url') !== marker) return undefined;
  const text = bytes.toString('utf8');
  const prefix = `${kind}/`;
  if (!text.startsWith(prefix) || text.length === prefix.length) return undefined;
  return text.slice(prefix.length);
}

/** `InvalidMarkerException` with the text ListKeys uses (AWS's text is unrecorded). */
export function invalidMarker(): KmsError {
  return new KmsError('InvalidMarkerException', 'Invalid marker');
}

/**
 * One page of a name-sorted list: entries from `marker`'s name on (inclusive), at most `limit`, and the
 * marker of the next page when more remain.
 */
export function namePage<T>(kind: string, sortedNames: readonly string[], marker: string | undefined, limit: number, entry: (name: string) => T) {
  let start = 0;
  if (marker !== undefined) {
    const from = decodeNameMarker(kind, marker);
    if (from === undefined) throw invalidMarker();
    while (start < sortedNames.length && sortedNames[start]! < from) start++;
  }
  const end = Math.min(start + limit, sortedNames.length);
  const entries = sortedNames.slice(start, end).map(entry);
  return end < sortedNames.length
    ? { entries, nextMarker: encodeNameMarker(kind, sortedNames[end]!), truncated: true }
    : { entries, nextMarker: undefined, truncated: false };
}

/** Code-unit order, as AWS sorts tag keys (and kmslite sorts one key's aliases). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
