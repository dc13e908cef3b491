import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';

/** Notes a key the request resolved, for the resources of its audit event. */
export function noteKey(key: KeyRecord, context: OperationContext): void {
  const trail = context.trail;
  if (trail && !trail.keyArns.includes(key.metadata.Arn)) trail.keyArns.push(key.metadata.Arn);
}

/**
 * Notes the cryptographic use of a key, for GetKeyLastUsage: the audit trail turns it into the key's last use
 * when the request succeeds (src/audit/trail.ts), with the request's event id, time and request id.
 */
export function recordUsage(key: KeyRecord, context: OperationContext): void {
  const trail = context.trail;
  if (!trail) return;
  noteKey(key, context);
  if (!trail.usedKeyArns.includes(key.metadata.Arn)) trail.usedKeyArns.push(key.metadata.Arn);
}
