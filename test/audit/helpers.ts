/** Reading the audit trail through the admin API, as a user would. */
import type { RunningKmslite } from '../../src/index.js';

export async function auditEvents(running: RunningKmslite, query: Record<string, string | number> = {}): Promise<any[]> {
  const { status, json } = await auditRequest(running, query);
  expect(status).toBe(200);
  expect(Object.keys(json)).toEqual(['events']);
  return json.events;
}

export async function auditRequest(running: RunningKmslite, query: Record<string, string | number> = {}): Promise<{ status: number; json: any }> {
  const params = new URLSearchParams(Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]));
  const response = await fetch(`${running.endpoint}/_kmslite/audit${params.size ? `?${params}` : ''}`);
  return { status: response.status, json: await response.json() };
}

/** The one event of a request, found by its request id (x-amzn-RequestId). */
export async function eventOf(running: RunningKmslite, requestId: string | undefined): Promise<any> {
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const matches = (await auditEvents(running)).filter((event) => event.requestID === requestId);
  expect(matches).toHaveLength(1);
  return matches[0];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** CloudTrail's eventTime: ISO 8601, UTC, whole seconds. */
export const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Java's medium date-time, as CloudTrail prints timestamps inside requestParameters / responseElements. */
export const JAVA_DATE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} (AM|PM)$/;
