import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { scheduleDeletion } from '../kms/keyAdministration.js';

export interface ScheduleKeyDeletionInput {
  KeyId: string;
  /** 7..30 (enforced by validation, model/overrides.json); default 30. */
  PendingWindowInDays?: number;
}

/**
 * Enabled, Disabled or PendingImport → PendingDeletion, with DeletionDate = now + the waiting period.
 * A key already pending deletion is refused (`<arn> is pending deletion.`, key-state table). When the date
 * passes, the key and its aliases are deleted lazily (keyLifecycle.applyElapsedTime).
 * Response: KeyId (key ARN), DeletionDate, KeyState, PendingWindowInDays (model-examples, AWS-recorded).
 */
export function scheduleKeyDeletion(input: ScheduleKeyDeletionInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const scheduled = scheduleDeletion(context, key, input.PendingWindowInDays);
  const metadata = key.metadata;
  if (scheduled.deletionDate === undefined) return { KeyId: metadata.Arn, KeyState: metadata.KeyState, PendingWindowInDays: scheduled.days };
  return { KeyId: metadata.Arn, DeletionDate: scheduled.deletionDate, KeyState: metadata.KeyState, PendingWindowInDays: scheduled.days };
}
