import { KmsError } from '../protocol/errors.js';
import { ownTags, type KeyRecord } from '../store/records.js';
import { byCodeUnits, namePage } from './aliases.js';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

/** AWS's quota: 50 tags per KMS key. */
export const MAX_TAGS_PER_KEY = 50;

/**
 * The tag checks AWS makes after model validation (all AWS-recorded texts): reserved `aws:` prefix in any
 * case, duplicate keys in one request, and the 50-tag quota on the resulting set.
 */
export function checkNewTags(tags: readonly Tag[], existing: ReadonlyMap<string, string> = new Map()): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
    if (seen.has(tag.TagKey)) throw new KmsError('TagException', 'Duplicate tag keys');
    seen.add(tag.TagKey);
  }
  let total = existing.size;
  for (const key of seen) if (!existing.has(key)) total++;
  if (total > MAX_TAGS_PER_KEY) throw new KmsError('TagException', 'Too many tags');
}

/** Tags as AWS lists them: sorted by key. */
export function sortedTags(tags: ReadonlyMap<string, string>): Tag[] {
  return [...tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

/** TagResource on a resolved key: the tag checks against the key's tags, then each tag set (a new value replaces the old). */
export function addTags(key: KeyRecord, newTags: readonly Tag[]): void {
  checkNewTags(newTags, key.tags);
  const tags = ownTags(key);
  for (const tag of newTags) tags.set(tag.TagKey, tag.TagValue);
}

/** UntagResource on a resolved key: a reserved `aws:` key anywhere refuses the whole request; unknown keys are ignored. */
export function removeTags(key: KeyRecord, tagKeys: readonly string[]): void {
  for (const tagKey of tagKeys) {
    if (tagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
  }
  for (const tagKey of tagKeys) key.tags.delete(tagKey);
}

/** ListResourceTags (model docs): Limit 1..50 (the upper bound is enforced by validation), default 50. */
const DEFAULT_LIMIT = 50;
const MARKER_KIND = 'tags';

/** ListResourceTags' page of a resolved key's tags (any key state), sorted by TagKey. */
export function tagPage(key: KeyRecord, marker: string | undefined, limit: number | undefined) {
  const tagKeys = [...key.tags.keys()].sort(byCodeUnits);
  return namePage(MARKER_KIND, tagKeys, marker, limit ?? DEFAULT_LIMIT, (TagKey) => ({
    TagKey,
    TagValue: key.tags.get(TagKey)!,
  }));
}
