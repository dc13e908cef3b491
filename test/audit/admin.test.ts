/**
 * GET /_kmslite/audit: filters (account, region, keyId, operation, from / to, limit), their validation, the
 * bounded ring (--audit-max-events) and the JSON-lines file (--audit-file: content, batching, mode 0600).
 */
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, GenerateRandomCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_ID, REGION, kmsClient, startTestKmslite, useKmslite, withKmslite, kms, running, useTemporaryDirectory } from '../helpers/fixture.js';
import { Kmslite } from '../../src/index.js';
import { auditEvents, auditRequest } from './helpers.js';

useKmslite();

const OTHER_ACCOUNT = '777788889999';

describe('GET /_kmslite/audit', () => {
  describe('validation', () => {
    test.each([
      ['account', 'abc', "account must be a 12-digit account id (got 'abc')"],
      ['from', 'yesterday', "from must be an ISO 8601 time or epoch seconds (got 'yesterday')"],
      ['to', '2024-13-45T00:00:00Z', "to must be an ISO 8601 time or epoch seconds (got '2024-13-45T00:00:00Z')"],
      ['limit', '0', "limit must be a whole number ≥ 1 (got '0')"],
      ['limit', 'ten', "limit must be a whole number ≥ 1 (got 'ten')"],
      ['region', '', 'region must be given once, as a non-empty value'],
    ])('%s=%s answers 400 ValidationException', async (name, value, message) => {
      const { status, json } = await auditRequest(running, { [name]: value });
      expect(status).toBe(400);
      expect(json).toEqual({ __type: 'ValidationException', message });
    });

    test('a filter given twice answers 400', async () => {
      const response = await fetch(`${running.endpoint}/_kmslite/audit?operation=Encrypt&operation=Decrypt`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ __type: 'ValidationException', message: 'operation must be given once, as a non-empty value' });
    });
  });

  describe('functionality', () => {
    test('filters by account, region, key (bare id or ARN), operation; oldest first', async () => {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const otherKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const first = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('1') }));
      await kms.send(new EncryptCommand({ KeyId: otherKey.KeyId, Plaintext: Buffer.from('2') }));
      const second = await kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
      const foreign = kmsClient(running, 'us-east-1', { accessKeyId: OTHER_ACCOUNT, secretAccessKey: 'x' });
      const foreignCall = await foreign.send(new ListKeysCommand({}));

      const byKey = await auditEvents(running, { keyId: key.KeyId! });
      expect(byKey.map((event) => event.eventName)).toEqual(['CreateKey', 'Encrypt', 'DescribeKey']);
      expect(byKey[1].requestID).toBe(first.$metadata.requestId);
      expect(byKey[2].requestID).toBe(second.$metadata.requestId);
      expect(await auditEvents(running, { keyId: key.Arn! })).toEqual(byKey);

      const encrypts = await auditEvents(running, { operation: 'Encrypt', keyId: otherKey.KeyId! });
      expect(encrypts).toHaveLength(1);
      expect(encrypts[0].resources[0].ARN).toBe(otherKey.Arn);

      const foreignEvents = await auditEvents(running, { account: OTHER_ACCOUNT });
      expect(foreignEvents.map((event) => event.requestID)).toEqual([foreignCall.$metadata.requestId]);
      expect(await auditEvents(running, { region: 'us-east-1' })).toEqual(foreignEvents);
      expect(await auditEvents(running, { region: 'us-east-1', account: ACCOUNT_ID })).toEqual([]);
      const home = await auditEvents(running, { account: ACCOUNT_ID, region: REGION });
      expect(home.every((event) => event.recipientAccountId === ACCOUNT_ID && event.awsRegion === REGION)).toBe(true);
      const times = home.map((event) => Date.parse(event.eventTime));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    test('a key filter also finds failed calls that named the key but never resolved it', async () => {
      const missing = 'aaaaaaaa-1111-2222-3333-444444444444';
      await kms.send(new DescribeKeyCommand({ KeyId: missing })).catch(() => undefined);
      const events = await auditEvents(running, { keyId: missing });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ eventName: 'DescribeKey', errorCode: 'NotFoundException' });
    });

    test('from / to (ISO 8601 or epoch seconds, inclusive, at the second) and limit (the most recent N)', async () => {
      const clock = running.kmslite.clock;
      clock.advance(3_600_000);
      const early = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1 }));
      const earlyTime = (await auditEvents(running, { operation: 'GenerateRandom' })).at(-1).eventTime;
      clock.advance(3_600_000);
      const late = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 2 }));
      const lateTime = (await auditEvents(running, { operation: 'GenerateRandom' })).at(-1).eventTime;
      clock.advance(3_600_000);
      const later = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 3 }));

      const ids = (events: any[]) => events.map((event) => event.requestID);
      const [a, b, c] = [early, late, later].map((result) => result.$metadata.requestId);
      expect(ids(await auditEvents(running, { operation: 'GenerateRandom', from: earlyTime }))).toEqual([a, b, c]);
      expect(ids(await auditEvents(running, { operation: 'GenerateRandom', from: earlyTime, to: lateTime }))).toEqual([a, b]);
      expect(ids(await auditEvents(running, { operation: 'GenerateRandom', from: Date.parse(lateTime) / 1000 }))).toEqual([b, c]);
      expect(ids(await auditEvents(running, { operation: 'GenerateRandom', to: Date.parse(earlyTime) / 1000 - 1 }))).not.toContain(a);
      expect(ids(await auditEvents(running, { operation: 'GenerateRandom', limit: 2 }))).toEqual([b, c]);
      expect(ids(await auditEvents(running, { from: lateTime, limit: 1 }))).toEqual([c]);
    });
  });
});

describe('the event ring', () => {
  test('keeps the most recent --audit-max-events events, oldest first', async () => {
    await withKmslite({ auditMaxEvents: 5 }, async (small) => {
      const client = kmsClient(small);
      const requestIds: string[] = [];
      for (let i = 1; i <= 8; i++) requestIds.push((await client.send(new GenerateRandomCommand({ NumberOfBytes: i }))).$metadata.requestId!);
      const events = await auditEvents(small);
      expect(events.map((event) => event.requestID)).toEqual(requestIds.slice(3));
      expect(events.map((event) => event.requestParameters.numberOfBytes)).toEqual([4, 5, 6, 7, 8]);
      expect(small.kmslite.audit.size).toBe(5);
    });
  });

  test('0 keeps no events (the API answers an empty list); KMS_AUDIT_MAX_EVENTS sets it from the environment', async () => {
    await withKmslite({ env: { KMS_AUDIT_MAX_EVENTS: '0' } }, async (none) => {
      await kmsClient(none).send(new GenerateRandomCommand({ NumberOfBytes: 4 }));
      expect(await auditEvents(none)).toEqual([]);
      expect(none.kmslite.audit.maxEvents).toBe(0);
    });
  });

  test('an invalid size stops start-up with a clear message', async () => {
    await expect(Kmslite.create({ auditMaxEvents: -1, seedPath: false, logLevel: 'silent' }, {})).rejects.toThrow(
      "Invalid audit event count '-1': it must be a whole number ≥ 0",
    );
    await expect(Kmslite.create({ seedPath: false, logLevel: 'silent' }, { KMS_AUDIT_MAX_EVENTS: '1e3x' })).rejects.toThrow(
      "Invalid audit event count '1e3x': it must be a whole number ≥ 0",
    );
  });
});

describe('the audit file', () => {
  let directory: string;
  useTemporaryDirectory('kmslite-audit-file-', (path) => (directory = path));

  test('one JSON line per event, the same events as the API, file mode 0600', async () => {
    const path = join(directory, 'audit.jsonl');
    await withKmslite({ auditPath: path }, async (withFile) => {
      const client = kmsClient(withFile);
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await Promise.all(Array.from({ length: 20 }, (_, i) => client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from(`m${i}`) }))));
      await client.send(new DescribeKeyCommand({ KeyId: 'alias/none' })).catch(() => undefined);
      await withFile.kmslite.audit.flush();
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(lines).toEqual(await auditEvents(withFile));
      expect(lines).toHaveLength(22);
      expect(lines.at(-1)).toMatchObject({ eventName: 'DescribeKey', errorCode: 'NotFoundException' });
      expect(statSync(path).mode & 0o777).toBe(0o600);
    });
  });

  test('appends to an existing file (and makes it 0600); KMS_AUDIT_PATH sets it; close() writes what is pending', async () => {
    const path = join(directory, 'existing.jsonl');
    writeFileSync(path, '{"earlier":"line"}\n');
    chmodSync(path, 0o644);
    const withFile = await startTestKmslite({ env: { KMS_AUDIT_PATH: path } });
    await kmsClient(withFile).send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await withFile.stop();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ earlier: 'line' });
    expect(lines[1]).toMatchObject({ eventName: 'GenerateRandom', eventSource: 'kms.amazonaws.com' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test('a file that cannot be opened stops start-up with a clear message', async () => {
    const path = join(directory, 'missing-dir', 'audit.jsonl');
    await expect(Kmslite.create({ auditPath: path, seedPath: false, logLevel: 'silent' }, {})).rejects.toThrow(`cannot open the audit file ${path}: ENOENT`);
  });

  test('the request path does not write: lines appear on a later turn of the event loop', async () => {
    const path = join(directory, 'batched.jsonl');
    const kmslite = await Kmslite.create({ auditPath: path, seedPath: false, logLevel: 'silent' }, {});
    try {
      const request = (await import('aws4')).default.sign(
        {
          host: 'localhost',
          method: 'POST',
          path: '/',
          service: 'kms',
          region: REGION,
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.GenerateRandom' },
          body: '{"NumberOfBytes":4}',
        },
        { accessKeyId: 'test', secretAccessKey: 'test' },
      );
      const headers = Object.fromEntries(Object.entries(request.headers!).map(([name, value]) => [name.toLowerCase(), String(value)]));
      for (let i = 0; i < 3; i++) {
        const response = await kmslite.handle({ method: 'POST', url: '/', headers, body: Buffer.from('{"NumberOfBytes":4}') });
        expect(response.status).toBe(200);
      }
      expect(readFileSync(path, 'utf8')).toBe('');
      await kmslite.audit.flush();
      expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    } finally {
      await kmslite.close();
    }
  });
});
