import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { addTags, type Tag } from '../kms/tags.js';

export interface TagResourceInput {
  KeyId: string;
  Tags: Tag[];
}

/**
 * Adds tags; a key already tagged gets the new value (AWS-recorded, test_update_and_add_tags_on_tagged_key).
 * Key id or key ARN; a key pending deletion is refused (key-state table). All tag checks run before any change.
 */
export function tagResource(input: TagResourceInput, context: OperationContext) {
  addTags(resolveKey(context, input.KeyId), input.Tags);
  return {};
}
