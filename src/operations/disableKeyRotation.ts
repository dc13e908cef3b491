import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { assertNotReplica } from './_shared/multiRegion.js';
import { assertAutomaticRotationSupported } from './_shared/keyStates.js';
import { stopAutomaticRotation } from './_shared/keyLifecycle.js';

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
