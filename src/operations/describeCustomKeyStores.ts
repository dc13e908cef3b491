import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { customKeyStoreNotFound, listEntry, observe } from '../kms/customKeyStores.js';

export interface DescribeCustomKeyStoresInput {
  CustomKeyStoreId?: string;
  CustomKeyStoreName?: string;
  Limit?: number;
  Marker?: string;
}

/** Limit's default (API reference: "If you do not include a value, it defaults to 100"). */
const DEFAULT_LIMIT = 100;

/**
 * The account's custom key stores in this Region, in creation order, or the one named by id or by name
 * (CustomKeyStoreNotFoundException if none). Reading a store settles CONNECTING (customKeyStores.observe).
 */
export function describeCustomKeyStores(input: DescribeCustomKeyStoresInput, context: OperationContext) {
  if (input.CustomKeyStoreId !== undefined && input.CustomKeyStoreName !== undefined) {
    // API reference: "provide either the CustomKeyStoreId or CustomKeyStoreName parameter, but not both" (text unconfirmed).
    throw new KmsError('ValidationException', 'You cannot specify both CustomKeyStoreId and CustomKeyStoreName.');
  }
  let records = [...context.store.customKeyStores.values()];
  if (input.CustomKeyStoreId !== undefined) {
    records = records.filter((record) => record.id === input.CustomKeyStoreId);
    if (records.length === 0) throw customKeyStoreNotFound();
  } else if (input.CustomKeyStoreName !== undefined) {
    records = records.filter((record) => record.name === input.CustomKeyStoreName);
    if (records.length === 0) throw customKeyStoreNotFound();
  }
  let start = 0;
  if (input.Marker !== undefined) {
    const sequence = decodeMarker(input.Marker);
    if (sequence === undefined) throw new KmsError('InvalidMarkerException', 'Invalid marker');
    start = records.findIndex((record) => record.sequence >= sequence);
    if (start < 0) start = records.length;
  }
  const limit = input.Limit ?? DEFAULT_LIMIT;
  const page = records.slice(start, start + limit);
  const next = records[start + limit];
  return {
    CustomKeyStores: page.map((record) => listEntry(observe(record))),
    NextMarker: next ? encodeMarker(next.sequence) : undefined,
    Truncated: next !== undefined,
  };
}

function encodeMarker(sequence: number): string {
  return Buffer.from(`kmslite-cks:${sequence}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): number | undefined {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (!text.startsWith('kmslite-cks:')) return undefined;
  const sequence = Number(text.slice(12));
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : undefined;
}
