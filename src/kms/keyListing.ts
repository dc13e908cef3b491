import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './context.js';
import { liveKey } from './resolveKey.js';

/**
 * ListKeys' page: keys in creation order; a key whose deletion date passed disappears as the page passes it, and
 * the page reads on so that it is short only at the end.
 */
export function liveKeyPage(
  context: OperationContext,
  input: { Limit?: number; Marker?: string },
): { keys: { KeyId: string; KeyArn: string }[]; nextMarker: string | undefined } {
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
  return { keys, nextMarker: marker };
}
