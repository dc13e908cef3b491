import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

export interface UpdateKeyDescriptionInput {
  KeyId: string;
  /** 0..8192 characters (model); "" clears the description. */
  Description: string;
}

/** Replaces the description; a key pending deletion is refused (key-state table). Empty response. */
export function updateKeyDescription(input: UpdateKeyDescriptionInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  key.metadata.Description = input.Description;
  return {};
}
