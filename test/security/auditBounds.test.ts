/** The audit trail is bounded by size, not only by count (docs/audit.md, "Size limits"). */
import { AuditTrail, MAX_ERROR_MESSAGE_CHARS, MAX_PARAMETERS_CHARS, type AuditRequest } from '../../src/audit/trail.js';
import { rawRequest, withKmslite } from '../helpers/fixture.js';
import { auditEvents } from '../audit/helpers.js';

function request(overrides: Partial<AuditRequest> = {}): AuditRequest {
  return { timeMs: 1_700_000_000_000, eventName: 'ListKeys', region: 'eu-west-2', accountId: '111122223333', verified: true, requestId: 'r', keyArns: [], usedKeyArns: [], ...overrides };
}

test(`errorMessage is cut to ${MAX_ERROR_MESSAGE_CHARS} characters; the wire keeps AWS's whole text`, async () => {
  await withKmslite({}, async (running) => {
    const description = 'd'.repeat(200_000);
    const response = await rawRequest(running, 'CreateKey', { Description: description });
    expect(response.json.__type).toBe('ValidationException');
    expect(response.json.message).toContain(description);
    const [event] = await auditEvents(running);
    expect(event.errorMessage).toHaveLength(MAX_ERROR_MESSAGE_CHARS);
    expect(response.json.message.startsWith(event.errorMessage)).toBe(true);
  });
});

test(`requestParameters over ${MAX_PARAMETERS_CHARS} characters are left out with "omitted": true, as CloudTrail does`, () => {
  const trail = new AuditTrail({ maxEvents: 10 });
  const large = { KeyId: 'k', Plaintext: Buffer.alloc(1), EncryptionContext: { big: 'x'.repeat(MAX_PARAMETERS_CHARS) } };
  trail.record(request({ eventName: 'Encrypt', operation: 'Encrypt', input: large }));
  trail.record(request({ eventName: 'Encrypt', operation: 'Encrypt', input: { KeyId: 'k', EncryptionContext: { small: 'x' } } }));
  const [big, small] = trail.query();
  expect(big!.requestParameters).toBeNull();
  expect(big!.omitted).toBe(true);
  expect(small!.requestParameters).toEqual({ keyId: 'k', encryptionContext: { small: 'x' } });
  expect(small).not.toHaveProperty('omitted');
});

test('the ring keeps within its byte budget, dropping the oldest events first', () => {
  const trail = new AuditTrail({ maxEvents: 10_000, maxBytes: 64 * 1024 });
  for (let i = 0; i < 1000; i++) trail.record(request({ requestId: `r${i}`, error: { code: 'ValidationException', message: 'v'.repeat(5000) } }));
  expect(trail.estimatedBytes).toBeLessThanOrEqual(64 * 1024);
  const events = trail.query();
  // Each event: MAX_ERROR_MESSAGE_CHARS characters of message + the overhead; the newest ones are kept, in order.
  expect(events.length).toBeGreaterThan(10);
  expect(events.length).toBeLessThan(100);
  expect(events.at(-1)!.requestID).toBe('r999');
  expect(events.map((event) => event.requestID)).toEqual(Array.from({ length: events.length }, (_, i) => `r${1000 - events.length + i}`));
});

test('a budget of 0 keeps no events; the count limit still holds under the byte budget', () => {
  const none = new AuditTrail({ maxEvents: 100, maxBytes: 0 });
  none.record(request());
  expect(none.size).toBe(0);
  const counted = new AuditTrail({ maxEvents: 3 });
  for (let i = 0; i < 5; i++) counted.record(request({ requestId: `r${i}` }));
  expect(counted.query().map((event) => event.requestID)).toEqual(['r2', 'r3', 'r4']);
});
