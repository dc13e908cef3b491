import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { hasReplicas } from '../kms/multiRegion.js';
import { DAY_MS } from '../util/clock.js';

export interface ScheduleKeyDeletionInput {
  KeyId: string;
  /** 7..30 (enforced by validation, model/overrides.json); default 30. */
  PendingWindowInDays?: number;
}

/** The waiting period when the request names none (API reference ScheduleKeyDeletion). */
const DEFAULT_PENDING_WINDOW_DAYS = 30;

/**
 * Enabled, Disabled or PendingImport → PendingDeletion, with DeletionDate = now + the waiting period.
 * A key already pending deletion is refused (`<arn> is pending deletion.`, key-state table). When the date
 * passes, the key and its aliases are deleted lazily (keyLifecycle.applyElapsedTime).
 * Response: KeyId (key ARN), DeletionDate, KeyState, PendingWindowInDays (model-examples, AWS-recorded).
 */
export function scheduleKeyDeletion(input: ScheduleKeyDeletionInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const days = input.PendingWindowInDays ?? DEFAULT_PENDING_WINDOW_DAYS;
  if (hasReplicas(key)) {
    // A multi-Region primary with replicas waits for them: PendingReplicaDeletion, no DeletionDate yet; the
    // waiting period starts when the last replica is deleted (API reference; multiRegion.ts applies it).
    const metadata = key.metadata;
    metadata.KeyState = 'PendingReplicaDeletion';
    metadata.Enabled = false;
    metadata.PendingDeletionWindowInDays = days;
    return { KeyId: metadata.Arn, KeyState: metadata.KeyState, PendingWindowInDays: days };
  }
  const deletionDate = new Date(context.now.getTime() + days * DAY_MS);
  const metadata = key.metadata;
  metadata.KeyState = 'PendingDeletion';
  metadata.Enabled = false;
  metadata.DeletionDate = deletionDate;
  return { KeyId: metadata.Arn, DeletionDate: deletionDate, KeyState: metadata.KeyState, PendingWindowInDays: days };
}
