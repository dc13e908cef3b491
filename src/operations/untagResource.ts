import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { removeTags } from '../kms/tags.js';

export interface UntagResourceInput {
  KeyId: string;
  TagKeys: string[];
}

/**
 * Removes tags; keys the key does not carry are ignored. Key id or key ARN; a key pending deletion is refused
 * (key-state table). A reserved `aws:` key (any case) answers TagException with TagResource's recorded text
 * (what AWS answers here is unrecorded).
 */
export function untagResource(input: UntagResourceInput, context: OperationContext) {
  removeTags(resolveKey(context, input.KeyId), input.TagKeys);
  return {};
}
