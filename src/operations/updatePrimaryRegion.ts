import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { movePrimaryRegion } from '../kms/replicas.js';

export interface UpdatePrimaryRegionInput {
  KeyId: string;
  PrimaryRegion: string;
}

/** UpdatePrimaryRegion: the key (key id or key ARN, key-state table), then movePrimaryRegion (src/kms/replicas.ts). Empty response. */
export function updatePrimaryRegion(input: UpdatePrimaryRegionInput, context: OperationContext) {
  movePrimaryRegion(context, resolveKey(context, input.KeyId), input.PrimaryRegion);
  return {};
}
