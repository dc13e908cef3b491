/**
 * What the key-management operations do to one key: enabling and disabling it, scheduling and canceling its
 * deletion, starting an on-demand rotation, and which automatic-rotation status it reports. Each operation
 * resolves the key (key id or key ARN, the key-state table) first; these functions take the resolved key.
 */
import { KmsError } from '../protocol/errors.js';
import { ownRotation, type KeyRecord } from '../store/records.js';
import { DAY_MS } from '../util/clock.js';
import type { OperationContext } from './context.js';
import { originError } from './keyStates.js';
import { MAX_ON_DEMAND_ROTATIONS, resumeAutomaticRotation } from './keyLifecycle.js';
import { assertNotReplica, hasReplicas } from './multiRegion.js';

/**
 * Disabled → Enabled; an Enabled key stays Enabled (idempotent). Key id or key ARN only. Key-state table
 * (ENABLE_DISABLE): pending deletion, pending import, creating and updating keys are refused. A key whose
 * automatic rotation fell due while it was disabled rotates now (keyLifecycle.resumeAutomaticRotation).
 */
export function enableKeyRecord(context: OperationContext, key: KeyRecord): void {
  key.metadata.KeyState = 'Enabled';
  key.metadata.Enabled = true;
  resumeAutomaticRotation(key, context.now);
}

/**
 * Enabled → Disabled; a Disabled key stays Disabled (idempotent). Key id or key ARN only. Key-state table
 * (ENABLE_DISABLE): pending deletion, pending import, creating and updating keys are refused. The automatic
 * rotation setting is kept; a disabled key does not rotate (keyLifecycle.applyElapsedTime).
 */
export function disableKeyRecord(key: KeyRecord): void {
  key.metadata.KeyState = 'Disabled';
  key.metadata.Enabled = false;
}

/** The waiting period when the request names none (API reference ScheduleKeyDeletion). */
const DEFAULT_PENDING_WINDOW_DAYS = 30;

/**
 * Enabled, Disabled or PendingImport → PendingDeletion, with DeletionDate = now + the waiting period.
 * A key already pending deletion is refused (`<arn> is pending deletion.`, key-state table). When the date
 * passes, the key and its aliases are deleted lazily (keyLifecycle.applyElapsedTime).
 * Returns the waiting period and, unless the key waits for its replicas, the deletion date.
 */
export function scheduleDeletion(context: OperationContext, key: KeyRecord, pendingWindowInDays: number | undefined): { days: number; deletionDate?: Date } {
  const days = pendingWindowInDays ?? DEFAULT_PENDING_WINDOW_DAYS;
  if (hasReplicas(key)) {
    // A multi-Region primary with replicas waits for them: PendingReplicaDeletion, no DeletionDate yet; the
    // waiting period starts when the last replica is deleted (API reference; multiRegion.ts applies it).
    const metadata = key.metadata;
    metadata.KeyState = 'PendingReplicaDeletion';
    metadata.Enabled = false;
    metadata.PendingDeletionWindowInDays = days;
    return { days };
  }
  const deletionDate = new Date(context.now.getTime() + days * DAY_MS);
  const metadata = key.metadata;
  metadata.KeyState = 'PendingDeletion';
  metadata.Enabled = false;
  metadata.DeletionDate = deletionDate;
  return { days, deletionDate };
}

/**
 * PendingDeletion or PendingReplicaDeletion → Disabled (not re-enabled: AWS-validated), DeletionDate removed. Any other state answers
 * `<arn> is not pending deletion.` (key-state table). The automatic rotation setting, reported false while
 * the key was pending deletion, is reported again (API reference GetKeyRotationStatus).
 */
export function cancelDeletion(key: KeyRecord): void {
  const metadata = key.metadata;
  metadata.KeyState = 'Disabled';
  metadata.Enabled = false;
  delete metadata.DeletionDate;
  delete metadata.PendingDeletionWindowInDays; // a multi-Region primary that was PendingReplicaDeletion
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
 * automatic schedule (NextRotationDate) does not move (AWS-recorded).
 */
export function startOnDemandRotation(context: OperationContext, key: KeyRecord): void {
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
}

/**
 * GetKeyRotationStatus's rule: only AWS_KMS keys answer (else the origin error); the automatic rotation is reported
 * on for a symmetric key not pending deletion whose rotation is enabled.
 */
export function reportsAutomaticRotation(key: KeyRecord): boolean {
  const { metadata, rotation } = key;
  if (metadata.Origin !== 'AWS_KMS') throw originError(key);
  return rotation.enabled && metadata.KeySpec === 'SYMMETRIC_DEFAULT' && metadata.KeyState !== 'PendingDeletion' && metadata.KeyState !== 'PendingReplicaDeletion';
}
