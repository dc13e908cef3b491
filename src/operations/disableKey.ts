import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { disableKeyRecord } from '../kms/keyAdministration.js';

export interface DisableKeyInput {
  KeyId: string;
}

/**
 * Enabled → Disabled; a Disabled key stays Disabled (idempotent). Key id or key ARN only. Key-state table
 * (ENABLE_DISABLE): pending deletion, pending import, creating and updating keys are refused. The automatic
 * rotation setting is kept; a disabled key does not rotate (keyLifecycle.applyElapsedTime).
 */
export function disableKey(input: DisableKeyInput, context: OperationContext) {
  disableKeyRecord(resolveKey(context, input.KeyId));
  return {};
}
