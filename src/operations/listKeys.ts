import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { liveKey } from '../kms/resolveKey.js';

export interface ListKeysInput {
  Limit?: number;
  Marker?: string;
}

/** Keys in creation order; a key whose deletion date passed disappears as the page passes it. */
export function listKeys(input: ListKeysInput, context: OperationContext) {
  const store = context.store;
  if (input.Marker !== undefined && !store.isValidKeyMarker(input.Marker)) {
    throw new KmsError('InvalidMarkerException', 'Invalid marker');
  }
  const limit = input.Limit ?? 100;
  const keys: { KeyId: string; KeyArn: string }[] = [];
  let marker = input.Marker;
  // Keys deleted lazily while paging shrink a page; keep reading so a page is short only at the end.
  while (keys.length < limit) {
    const page = store.keyIdsPage(marker, limit - keys.length);
    for (const keyId of page.ids) {
      const key = liveKey(context, store, keyId);
      if (key) keys.push({ KeyId: key.metadata.KeyId, KeyArn: key.metadata.Arn });
    }
    marker = page.nextMarker;
    if (marker === undefined) break;
  }
  return marker === undefined ? { Keys: keys, Truncated: false } : { Keys: keys, NextMarker: marker, Truncated: true };
}
