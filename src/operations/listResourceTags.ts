import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { byCodeUnits, namePage } from '../kms/aliases.js';

export interface ListResourceTagsInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}

/** Model docs: Limit 1..50 (the upper bound is enforced by validation), default 50. */
const DEFAULT_LIMIT = 50;
const MARKER_KIND = 'tags';

/** Tags sorted by TagKey, in every key state (key id or key ARN). */
export function listResourceTags(input: ListResourceTagsInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const tagKeys = [...key.tags.keys()].sort(byCodeUnits);
  const page = namePage(MARKER_KIND, tagKeys, input.Marker, input.Limit ?? DEFAULT_LIMIT, (TagKey) => ({
    TagKey,
    TagValue: key.tags.get(TagKey)!,
  }));
  return page.truncated
    ? { Tags: page.entries, NextMarker: page.nextMarker, Truncated: true }
    : { Tags: page.entries, Truncated: false };
}
