import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertNotReplica } from '../kms/multiRegion.js';
import { assertAutomaticRotationSupported } from '../kms/keyStates.js';
import { stopAutomaticRotation } from '../kms/keyLifecycle.js';

export interface DisableKeyRotationInput {
  KeyId: string;
}

/**
 * Turns automatic rotation off (idempotent); the key keeps its current key material and every older one.
 * Same checks, in the same order, as EnableKeyRotation. Empty response.
 */
export function disableKeyRotation(input: DisableKeyRotationInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  assertNotReplica(key);
  assertAutomaticRotationSupported(key);
  stopAutomaticRotation(key);
  return {};
}
