import type { OperationContext } from '../kms/context.js';
import { liveKeyPage } from '../kms/keyListing.js';

export interface ListKeysInput {
  Limit?: number;
  Marker?: string;
}

/** ListKeys: the page is liveKeyPage's (src/kms/keyListing.ts). */
export function listKeys(input: ListKeysInput, context: OperationContext) {
  const { keys, nextMarker: marker } = liveKeyPage(context, input);
  return marker === undefined ? { Keys: keys, Truncated: false } : { Keys: keys, NextMarker: marker, Truncated: true };
}
