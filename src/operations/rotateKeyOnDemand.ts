import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { startOnDemandRotation } from '../kms/keyAdministration.js';

export interface RotateKeyOnDemandInput {
  KeyId: string;
}

/**
 * Starts a rotation of the key material. Order of checks (AWS-recorded): the key (key id or key ARN), its state
 * (Disabled → DisabledException before the key-spec check; pending deletion; an EXTERNAL key without
 * material → `<arn> is pending import.`), its key spec (asymmetric/HMAC → UnsupportedOperationException
 * with no message), its origin (an EXTERNAL key without material imported as NEW_KEY_MATERIAL pending rotation →
 * `No available key material pending rotation for the key: <arn>.`, AWS-recorded), then a rotation in progress or
 * an automatic rotation due within 20 minutes (ConflictException, API reference; texts unconfirmed), then the
 * quota of on-demand rotations per key (MAX_ON_DEMAND_ROTATIONS; counted for imported material too — unconfirmed).
 *
 * As in AWS, the rotation runs in the background: GetKeyRotationStatus shows OnDemandRotationStartDate while it
 * is in progress (AWS-recorded), and the new material becomes current (DescribeKey's CurrentKeyMaterialId,
 * ListKeyRotations, Encrypt) when it completes, ON_DEMAND_ROTATION_DURATION_MS later on kmslite's clock
 * (keyLifecycle.finishOnDemandRotation, applied lazily at the next look-up). An EXTERNAL key rotates to its pending
 * imported material, which becomes current with its own ExpirationModel and ValidTo (AWS-recorded). The
 * automatic schedule (NextRotationDate) does not move (AWS-recorded). Response: KeyId = key ARN (AWS-recorded).
 */
export function rotateKeyOnDemand(input: RotateKeyOnDemandInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  startOnDemandRotation(context, key);
  return { KeyId: key.metadata.Arn };
}
