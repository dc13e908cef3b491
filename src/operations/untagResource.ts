import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

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
  const key = resolveKey(context, input.KeyId);
  for (const tagKey of input.TagKeys) {
    if (tagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
  }
  for (const tagKey of input.TagKeys) key.tags.delete(tagKey);
  return {};
}
