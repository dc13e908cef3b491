import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertNotReplica } from '../kms/multiRegion.js';
import { originError } from '../kms/keyStates.js';
import { MAX_ON_DEMAND_ROTATIONS } from '../kms/keyLifecycle.js';
import { ownRotation } from '../store/records.js';

export interface RotateKeyOnDemandInput {
  KeyId: string;
}

/** AWS refuses an on-demand rotation when an automatic one is due this soon (API reference: ConflictException). */
const AUTOMATIC_ROTATION_CONFLICT_MS = 20 * 60_000;

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
  assertNotReplica(key);
  const metadata = key.metadata;
  if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException');
  if (metadata.Origin === 'EXTERNAL') {
    if (!key.pendingMaterial) {
      throw new KmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${metadata.Arn}.`);
    }
  } else if (metadata.Origin !== 'AWS_KMS') throw originError(key);
  const rotation = key.rotation;
  if (rotation.onDemandRotationStartDate) {
    throw new KmsError('ConflictException', `A key rotation is already in progress for the key: ${metadata.Arn}.`);
  }
  if (rotation.enabled && rotation.nextRotationDate && rotation.nextRotationDate.getTime() - context.now.getTime() <= AUTOMATIC_ROTATION_CONFLICT_MS) {
    throw new KmsError('ConflictException', `An automatic key rotation is scheduled to begin within the next 20 minutes for the key: ${metadata.Arn}.`);
  }
  if (rotation.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
    throw new KmsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${metadata.Arn}`,
    );
  }
  // The key's own settings (a key that never rotated shares the frozen default; records.ts).
  const own = ownRotation(key);
  own.onDemandRotationStartDate = context.now;
  own.onDemandRotations++;
  return { KeyId: metadata.Arn };
}
