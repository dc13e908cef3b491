import type { KeyRecord } from '../../store/records.js';
import type { OperationContext } from './context.js';

/** Notes the last cryptographic use of a key, for GetKeyLastUsage. */
export function recordUsage(key: KeyRecord, context: OperationContext, operation: string = context.operation): void {
  key.lastUsage = { operation, timestamp: context.now, requestId: context.requestId };
}
