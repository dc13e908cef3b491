/**
 * Reading the audit trail: the admin API's query string → an AuditFilter, and whether one event matches it
 * (src/audit/trail.ts applies it to the events in memory).
 */
import type { AuditRecord } from './events.js';
import { unpackJson } from './packedJson.js';

export interface AuditFilter {
  account?: string;
  region?: string;
  /** Bare key id or key ARN. */
  keyId?: string;
  /** eventName. */
  operation?: string;
  fromMs?: number;
  toMs?: number;
  /** The most recent `limit` matching events. */
  limit?: number;
}

export function matchesFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.account !== undefined && record.accountId !== filter.account) return false;
  if (filter.region !== undefined && record.region !== filter.region) return false;
  if (filter.operation !== undefined && record.eventName !== filter.operation) return false;
  // Times compare at the second, as eventTime shows them: `to` = an event's eventTime includes that event.
  const seconds = record.timeMs - (record.timeMs % 1000);
  if (filter.fromMs !== undefined && seconds < filter.fromMs - (filter.fromMs % 1000)) return false;
  if (filter.toMs !== undefined && seconds > filter.toMs) return false;
  if (filter.keyId !== undefined) {
    const keyId = filter.keyId;
    const isArn = keyId.startsWith('arn:');
    const suffix = ':key/' + keyId;
    const named = record.keyArns.some((arn) => (isArn ? arn === keyId : arn.endsWith(suffix)));
    if (!named && (record.requestJson === null || (JSON.parse(unpackJson(record.requestJson)) as { keyId?: unknown }).keyId !== keyId)) return false;
  }
  return true;
}

/**
 * The admin API's query string → a filter. Throws an Error with a user-facing message on a bad value.
 * Times: ISO 8601 or epoch seconds. `to` is inclusive.
 */
export function parseAuditFilter(query: Record<string, unknown>): AuditFilter {
  const filter: AuditFilter = {};
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new Error(`${name} must be given once, as a non-empty value`);
    return value;
  };
  const account = text('account');
  if (account !== undefined) {
    if (!/^\d{12}$/.test(account)) throw new Error(`account must be a 12-digit account id (got '${account}')`);
    filter.account = account;
  }
  const region = text('region');
  if (region !== undefined) filter.region = region;
  const keyId = text('keyId');
  if (keyId !== undefined) filter.keyId = keyId;
  const operation = text('operation');
  if (operation !== undefined) filter.operation = operation;
  const from = text('from');
  if (from !== undefined) filter.fromMs = parseTime('from', from);
  const to = text('to');
  if (to !== undefined) filter.toMs = parseTime('to', to);
  const limit = text('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) throw new Error(`limit must be a whole number ≥ 1 (got '${limit}')`);
    filter.limit = Number(limit);
  }
  return filter;
}

function parseTime(name: string, value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`${name} must be an ISO 8601 time or epoch seconds (got '${value}')`);
  return ms;
}
