import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { checkNewTags, type Tag } from '../kms/tags.js';
import { ownTags } from '../store/records.js';

export interface TagResourceInput {
  KeyId: string;
  Tags: Tag[];
}

/**
 * Adds tags; a key already tagged gets the new value (AWS-recorded, test_update_and_add_tags_on_tagged_key).
 * Key id or key ARN; a key pending deletion is refused (key-state table). All tag checks run before any change.
 */
export function tagResource(input: TagResourceInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  checkNewTags(input.Tags, key.tags);
  const tags = ownTags(key);
  for (const tag of input.Tags) tags.set(tag.TagKey, tag.TagValue);
  return {};
}
