import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
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
  if (key.metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA') {
    // Rotation is a shared property that only the primary key controls (developer guide "Multi-Region keys":
    // replicas follow the primary's rotation). Name and text unconfirmed; the text is the one AWS records
    // for ReplicateKey on a replica.
    throw new KmsError('UnsupportedOperationException', `${key.metadata.Arn} is not a multi-region primary key.`);
  }
  assertAutomaticRotationSupported(key);
  stopAutomaticRotation(key);
  return {};
}
