import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { cancelDeletion } from '../kms/keyAdministration.js';

export interface CancelKeyDeletionInput {
  KeyId: string;
}

/**
 * PendingDeletion or PendingReplicaDeletion → Disabled (not re-enabled: AWS-validated), DeletionDate removed. Any other state answers
 * `<arn> is not pending deletion.` (key-state table). The automatic rotation setting, reported false while
 * the key was pending deletion, is reported again (API reference GetKeyRotationStatus).
 * Response: KeyId = key ARN (model-examples).
 */
export function cancelKeyDeletion(input: CancelKeyDeletionInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  cancelDeletion(key);
  return { KeyId: key.metadata.Arn };
}
