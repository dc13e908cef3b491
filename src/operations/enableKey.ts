import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { enableKeyRecord } from '../kms/keyAdministration.js';

export interface EnableKeyInput {
  KeyId: string;
}

/**
 * Disabled → Enabled; an Enabled key stays Enabled (idempotent). Key id or key ARN only. Key-state table
 * (ENABLE_DISABLE): pending deletion, pending import, creating and updating keys are refused. A key whose
 * automatic rotation fell due while it was disabled rotates now (keyLifecycle.resumeAutomaticRotation).
 */
export function enableKey(input: EnableKeyInput, context: OperationContext) {
  enableKeyRecord(context, resolveKey(context, input.KeyId));
  return {};
}
