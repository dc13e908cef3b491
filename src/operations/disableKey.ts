import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

export interface DisableKeyInput {
  KeyId: string;
}

/**
 * Enabled → Disabled; a Disabled key stays Disabled (idempotent). Key id or key ARN only. Key-state table
 * (ENABLE_DISABLE): pending deletion, pending import, creating and updating keys are refused. The automatic
 * rotation setting is kept; a disabled key does not rotate (keyLifecycle.applyElapsedTime).
 */
export function disableKey(input: DisableKeyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  key.metadata.KeyState = 'Disabled';
  key.metadata.Enabled = false;
  return {};
}
