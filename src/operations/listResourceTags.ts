import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { tagPage } from '../kms/tags.js';

export interface ListResourceTagsInput {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}

/** Tags sorted by TagKey, in every key state (key id or key ARN); the page is tagPage's (src/kms/tags.ts). */
export function listResourceTags(input: ListResourceTagsInput, context: OperationContext) {
  const page = tagPage(resolveKey(context, input.KeyId), input.Marker, input.Limit);
  return page.truncated
    ? { Tags: page.entries, NextMarker: page.nextMarker, Truncated: true }
    : { Tags: page.entries, Truncated: false };
}
