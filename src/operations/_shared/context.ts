import type { OperationName } from '../../model/generated/operations.js';
import type { RegionStore } from '../../store/regionStore.js';
import type { StoreBundle } from '../../store/bundle.js';

/** What an operation knows about its request. No HTTP, no Express. */
export interface OperationContext {
  requestId: string;
  operation: OperationName;
  accountId: string;
  region: string;
  accessKeyId: string;
  /** The request's instant, from the injectable clock. */
  now: Date;
  /** The caller's account×region store. */
  store: RegionStore;
  /** All stores, for the few operations that cross accounts or Regions. */
  stores: StoreBundle;
}

/** An operation: decoded, validated input in; output object (Buffers for blobs, Dates for timestamps) out. */
export type Operation = (input: any, context: OperationContext) => object | Promise<object>;
