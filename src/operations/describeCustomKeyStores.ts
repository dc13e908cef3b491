import type { OperationContext } from '../kms/context.js';
import { customKeyStorePage, listEntry, type CustomKeyStoreListingRequest } from '../kms/customKeyStores.js';

export type DescribeCustomKeyStoresInput = CustomKeyStoreListingRequest;

/** DescribeCustomKeyStores: which stores, in which order and pages, is customKeyStorePage's (src/kms/customKeyStores.ts). */
export function describeCustomKeyStores(input: DescribeCustomKeyStoresInput, context: OperationContext) {
  const listed = customKeyStorePage(context, input);
  return {
    CustomKeyStores: listed.page.map(listEntry),
    NextMarker: listed.nextMarker,
    Truncated: listed.nextMarker !== undefined,
  };
}
