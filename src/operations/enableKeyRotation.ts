import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertNotReplica } from '../kms/multiRegion.js';
import { assertAutomaticRotationSupported } from '../kms/keyStates.js';
import { DEFAULT_ROTATION_PERIOD_DAYS, scheduleAutomaticRotation } from '../kms/keyLifecycle.js';

export interface EnableKeyRotationInput {
  KeyId: string;
  /** 90..2560 (model); default 365. */
  RotationPeriodInDays?: number;
}

/**
 * Turns automatic rotation on, or changes its period. Order of checks: the key (key id or key ARN), its
 * state (Disabled → DisabledException, pending deletion → KMSInvalidStateException), its origin (EXTERNAL,
 * also while PendingImport → `origin is EXTERNAL …`), its key spec (asymmetric/HMAC → no message).
 * NextRotationDate: see keyLifecycle.scheduleAutomaticRotation. Empty response.
 */
export function enableKeyRotation(input: EnableKeyRotationInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  assertNotReplica(key);
  assertAutomaticRotationSupported(key);
  scheduleAutomaticRotation(key, input.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS, context.now);
  return {};
}
