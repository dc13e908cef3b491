/**
 * The request line is built as one string (src/server/requestLine.ts) instead of through pino's serialiser: it
 * must be byte for byte the line pino writes for the same fields with kmslite's options, for every kind of value
 * a request can put in it (quotes, backslashes, control characters, long and non-ASCII caller-chosen key ids).
 */
import { pino } from 'pino';
import type { RequestLog } from '../../src/server/pipeline.js';
import { formatInfoLine, formatRequestLine, isoTime, isoTimeText } from '../../src/server/requestLine.js';

function pinoLine(fields: Record<string, unknown>, msg = 'request'): string {
  let written = '';
  const logger = pino({ level: 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, { write: (line: string) => (written += line) });
  logger.info(fields, msg);
  return written;
}

const keyIds = [
  '1234abcd-12ab-34cd-56ef-1234567890ab',
  'alias/with"quote',
  'back\\slash\\',
  '"',
  'tab\there',
  'new\nline',
  'é and 日本 and 🙂',
  'lone \ud800 surrogate',
  'x'.repeat(100),
  'y'.repeat(101) + '"',
  '',
];

test.each(keyIds)('the line for key id %j is the one pino writes', (keyId) => {
  const log: RequestLog = { requestId: 'a1b2c3d4-e5f6-4789-abcd-ef0123456789', operation: 'Encrypt', accountId: '111122223333', region: 'eu-west-2', keyId };
  const expected = pinoLine({ ...log, status: 200, durationMs: 0.123 });
  const time = (JSON.parse(expected) as { time: string }).time;
  expect(formatRequestLine(log, 200, 0.123, time)).toBe(expected);
});

test('error fields, left-out fields and field order are pino’s', () => {
  const log: RequestLog = { requestId: 'r1', operation: undefined, accountId: '111122223333' };
  log.region = 'eu-west-2';
  log.error = 'NotFoundException';
  log.errorMessage = "Key 'arn:aws:kms:eu-west-2:111122223333:key/\"x\"' does not exist";
  const expected = pinoLine({ ...log, status: 400, durationMs: 12 });
  const time = (JSON.parse(expected) as { time: string }).time;
  expect(formatRequestLine(log, 400, 12, time)).toBe(expected);
});

test('the time text is the ISO time of the millisecond asked for, also when asked again', () => {
  expect(isoTimeText(Date.UTC(2026, 11, 4, 10, 52, 1, 123))).toBe('2026-12-04T10:52:01.123Z');
  expect(isoTimeText(Date.UTC(2026, 11, 4, 10, 52, 1, 123))).toBe('2026-12-04T10:52:01.123Z');
  expect(isoTimeText(Date.UTC(2026, 11, 4, 10, 52, 1, 124))).toBe('2026-12-04T10:52:01.124Z');
});

test('isoTime is toISOString: every digit position, single-digit fields, leap days, years at and beyond 1000–9999', () => {
  const edges = [
    0,
    -1,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2026, 0, 1, 0, 0, 0, 0),
    Date.UTC(2026, 8, 9, 9, 9, 9, 9),
    Date.UTC(2026, 9, 10, 10, 10, 10, 10),
    Date.UTC(2026, 9, 10, 10, 10, 10, 99),
    Date.UTC(2026, 9, 10, 10, 10, 10, 100),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
    Date.UTC(1000, 0, 1),
    Date.UTC(1000, 0, 1) - 1,
    8.64e15,
    -8.64e15,
  ];
  // A fixed-seed walk over 1970–2100, so a failure is reproducible.
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const walk = Array.from({ length: 20_000 }, () => Math.floor(next() * Date.UTC(2100, 0, 1)));
  for (const ms of [...edges, ...walk]) expect([ms, isoTime(ms)]).toEqual([ms, new Date(ms).toISOString()]);
});

test('consecutive lines are each pino’s, whether their fields repeat the previous line’s or not', () => {
  const base: RequestLog = { requestId: 'r1', operation: 'Encrypt', accountId: '111122223333', region: 'eu-west-2', keyId: 'k1' };
  const sequence: RequestLog[] = [
    base,
    { ...base, requestId: 'r2' },
    { ...base, requestId: 'r3', keyId: 'k2' },
    { ...base, requestId: 'r4', keyId: 'k2', error: 'NotFoundException', errorMessage: 'gone' },
    { ...base, requestId: 'r5', keyId: 'k2' },
    { requestId: 'r6', operation: 'Encrypt', accountId: '111122223333', region: 'eu-west-2' },
    { requestId: 'r7', operation: 'Decrypt', accountId: '111122223333', region: 'eu-west-2' },
    { requestId: 'r8', operation: 'Decrypt', accountId: '444455556666', region: 'eu-west-2' },
    { requestId: 'r9', operation: 'Decrypt', accountId: '444455556666', region: 'us-east-1' },
    { requestId: 'r10' },
    { requestId: 'r11' },
    base,
  ];
  for (const log of sequence) {
    const expected = pinoLine({ ...log, status: 200, durationMs: 1.5 });
    const time = (JSON.parse(expected) as { time: string }).time;
    expect(formatRequestLine(log, 200, 1.5, time)).toBe(expected);
  }
});

// The CLI's start-up line (src/cli.ts), with the values it can hold: paths and hosts chosen by the user.
const listeningFields = (seed: string | null, host: string) => ({
  address: `${host}:4599`,
  endpoint: `http://${host}:4599`,
  console: `http://${host}:4599/_kmslite/console/`,
  version: '0.1.0',
  accountId: '111122223333',
  region: 'eu-west-2',
  seed,
  strictCredentials: false,
  singleRegion: true,
  accessControl: 'off',
  operatorToken: false,
});

test.each([
  [null, '127.0.0.1'],
  ['/init/seed.yaml', '[::1]'],
  ['C:\\seeds\\"quoted" seed.yaml', '0.0.0.0'],
  ['/tmp/é 日本 🙂/seed.yaml', 'localhost'],
  ['/tmp/new\nline\ttab.yaml', '127.0.0.1'],
  ['/' + 'long/'.repeat(30) + 'seed.yaml', '127.0.0.1'],
])('the listening line with seed %j and host %s is the one pino writes', (seed, host) => {
  const fields = listeningFields(seed, host);
  const expected = pinoLine(fields, 'kmslite listening');
  const time = (JSON.parse(expected) as { time: string }).time;
  expect(formatInfoLine(fields, 'kmslite listening', time)).toBe(expected);
});
