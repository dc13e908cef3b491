/**
 * The checks a persisted audit event or last use passes when the trail restores it from the data directory
 * (src/audit/trail.ts), so that a bad one fails at load rather than later in the admin API or GetKeyLastUsage.
 */
import type { AuditRecord } from './events.js';
import type { PersistedLastUse } from '../store/persistence.js';

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';
const isJsonTextOrNull = (value: unknown) => value === null || typeof value === 'string';

/** A persisted last use, checked enough that a bad one fails here rather than in GetKeyLastUsage. */
export function checkLastUse(value: unknown): PersistedLastUse {
  const use = value as Partial<PersistedLastUse> | null;
  if (typeof use !== 'object' || use === null || !isString(use.arn) || !isString(use.operation) || typeof use.timeMs !== 'number' || !isString(use.requestId) || !isString(use.eventId)) {
    throw new Error('a last use without its arn, operation, timeMs, requestId and eventId');
  }
  return use as PersistedLastUse;
}

/** A persisted AuditRecord, checked enough that a bad one fails here rather than in the admin API. */
export function checkRecord(value: unknown): AuditRecord {
  const record = value as Partial<AuditRecord> | null;
  const valid =
    typeof record === 'object' &&
    record !== null &&
    typeof record.timeMs === 'number' &&
    isString(record.eventName) &&
    isString(record.region) &&
    isString(record.accountId) &&
    typeof record.verified === 'boolean' &&
    isOptionalString(record.accessKeyId) &&
    isOptionalString(record.sourceIp) &&
    isOptionalString(record.userAgent) &&
    isJsonTextOrNull(record.requestJson) &&
    isJsonTextOrNull(record.responseJson) &&
    isOptionalString(record.errorCode) &&
    isOptionalString(record.errorMessage) &&
    isString(record.requestId) &&
    isString(record.eventId) &&
    (record.omitted === undefined || record.omitted === true) &&
    Array.isArray(record.keyArns) &&
    record.keyArns.every(isString);
  if (!valid) throw new Error('an audit event that is not a complete record');
  return record as AuditRecord;
}
