/**
 * GetKeyLastUsage answers from the audit trail: CloudTrailEventId is the eventID of the using request's
 * event in GET /_kmslite/audit; the per-key index outlives the ring; every tracked operation counts (the
 * model's KeyLastUsageTrackingOperation); and the persistence hooks (subscribe, snapshot, checkpoint, restoreEntry, onNewEntry).
 */
import {
  CreateKeyCommand,
  DeriveSharedSecretCommand,
  GenerateDataKeyPairCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyLastUsageCommand,
  EncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { generateKeyPairSync } from 'node:crypto';
import { kmsClient, useKmslite, createKey, withKmslite, kms, running } from '../helpers/fixture.js';
import { AuditTrail, type AuditRequest } from '../../src/audit/trail.js';
import type { CloudTrailEvent } from '../../src/audit/events.js';
import { auditEvents, eventOf } from './helpers.js';

useKmslite();

async function lastUsage(keyId: string) {
  return (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage!;
}

describe('GetKeyLastUsage from the audit trail', () => {
  test('CloudTrailEventId, KmsRequestId and Timestamp are those of the Encrypt event in GET /_kmslite/audit', async () => {
    const key = await createKey(kms);
    running.kmslite.clock.advance(90_000);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const usage = await lastUsage(key.KeyId!);
    const event = await eventOf(running, encrypted.$metadata.requestId);
    expect(usage.CloudTrailEventId).toBe(event.eventID);
    expect(usage.KmsRequestId).toBe(event.requestID);
    expect(usage.Operation).toBe(event.eventName);
    expect(Math.floor(usage.Timestamp!.getTime() / 1000) * 1000).toBe(Date.parse(event.eventTime));
    const matching = (await auditEvents(running)).filter((candidate) => candidate.eventID === usage.CloudTrailEventId);
    expect(matching).toHaveLength(1);
  });

  test('Sign, Verify, GenerateMac, VerifyMac, DeriveSharedSecret, GenerateDataKeyPair are uses; GenerateRandom touches no key', async () => {
    const signing = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const signed = await kms.send(new SignCommand({ KeyId: signing.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect((await lastUsage(signing.KeyId!)).Operation).toBe('Sign');
    await kms.send(new VerifyCommand({ KeyId: signing.KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect((await lastUsage(signing.KeyId!)).Operation).toBe('Verify');

    const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const mac = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect((await lastUsage(hmac.KeyId!)).Operation).toBe('GenerateMac');
    await kms.send(new VerifyMacCommand({ KeyId: hmac.KeyId, Message: Buffer.from('m'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }));
    expect((await lastUsage(hmac.KeyId!)).Operation).toBe('VerifyMac');

    const agreement = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    await kms.send(new DeriveSharedSecretCommand({ KeyId: agreement.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }));
    expect((await lastUsage(agreement.KeyId!)).Operation).toBe('DeriveSharedSecret');

    const symmetric = await createKey(kms);
    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    const usage = await lastUsage(symmetric.KeyId!);
    expect(usage).toMatchObject({ Operation: 'GenerateDataKeyPair', KmsRequestId: pair.$metadata.requestId });
    await kms.send(new GenerateRandomCommand({ NumberOfBytes: 4 }));
    expect(await lastUsage(symmetric.KeyId!)).toEqual(usage);
  });

  test('the last use outlives the ring: the index keeps one entry per key', async () => {
    await withKmslite({ auditMaxEvents: 2 }, async (small) => {
      const client = kmsClient(small);
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      const encrypted = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
      for (let i = 0; i < 5; i++) await client.send(new GenerateRandomCommand({ NumberOfBytes: 1 }));
      expect((await auditEvents(small)).map((event) => event.eventName)).toEqual(['GenerateRandom', 'GenerateRandom']);
      const usage = (await client.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage!;
      expect(usage).toMatchObject({ Operation: 'Encrypt', KmsRequestId: encrypted.$metadata.requestId, CloudTrailEventId: expect.any(String) });
    });
  });

  test('POST /_kmslite/reset forgets last uses (the seeded keys start afresh); the events stay', async () => {
    await withKmslite({}, async (fresh) => {
      const client = kmsClient(fresh);
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
      expect(fresh.kmslite.audit.lastUse(key.Arn!)).toBeDefined();
      expect((await fetch(`${fresh.endpoint}/_kmslite/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(200);
      expect(fresh.kmslite.audit.lastUse(key.Arn!)).toBeUndefined();
      expect((await auditEvents(fresh)).map((event) => event.eventName)).toEqual(['CreateKey', 'Encrypt']);
    });
  });
});

describe('AuditTrail persistence hooks', () => {
  const ARN = 'arn:aws:kms:eu-west-2:111122223333:key/11111111-2222-3333-4444-555555555555';
  const request = (overrides: Partial<AuditRequest> = {}): AuditRequest => ({
    timeMs: Date.parse('2026-01-02T03:04:05.678Z'),
    eventName: 'Encrypt',
    operation: 'Encrypt',
    region: 'eu-west-2',
    accountId: '111122223333',
    verified: true,
    accessKeyId: 'test',
    sourceIp: '10.0.0.1',
    userAgent: 'tests',
    requestId: 'req-1',
    input: { KeyId: ARN, Plaintext: Buffer.from('secret'), EncryptionContext: { a: 'b' } },
    output: { CiphertextBlob: Buffer.from('blob'), KeyId: ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    keyArns: [ARN],
    usedKeyArns: [ARN],
    ...overrides,
  });

  test('subscribe receives each new event in the CloudTrail shape; unsubscribe stops it', () => {
    const trail = new AuditTrail();
    const seen: CloudTrailEvent[] = [];
    const unsubscribe = trail.subscribe((event) => seen.push(event));
    trail.record(request());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ eventName: 'Encrypt', eventTime: '2026-01-02T03:04:05Z', requestParameters: { keyId: ARN, encryptionContext: { a: 'b' } } });
    unsubscribe();
    trail.record(request({ requestId: 'req-2' }));
    expect(seen).toHaveLength(1);
  });

  test('checkpoint: last uses then events as plain JSON, taken at the call; restoreEntry gives an equal trail without notifying', () => {
    const trail = new AuditTrail();
    trail.record(request());
    trail.record(request({ requestId: 'req-2', eventName: 'DescribeKey', operation: 'DescribeKey', usedKeyArns: [], input: { KeyId: ARN }, output: {} }));
    const snapshot = trail.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.lastUsage).toEqual({
      [ARN]: { operation: 'Encrypt', timestamp: '2026-01-02T03:04:05.678Z', requestId: 'req-1', eventId: snapshot.events[0]!.eventID },
    });

    const checkpoint = trail.checkpoint();
    // Taken at the call: an event recorded before the iteration starts is not in it.
    trail.record(request({ requestId: 'req-3', timeMs: Date.parse('2026-01-02T03:04:06Z') }));
    const entries = JSON.parse(JSON.stringify([...checkpoint]));
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({ lastUse: { arn: ARN, operation: 'Encrypt', timeMs: Date.parse('2026-01-02T03:04:05.678Z'), requestId: 'req-1', eventId: snapshot.events[0]!.eventID } });
    expect(entries.slice(1).map((entry: { event: { requestId: string } }) => entry.event.requestId)).toEqual(['req-1', 'req-2']);

    const restored = new AuditTrail();
    const seen: CloudTrailEvent[] = [];
    restored.subscribe((event) => seen.push(event));
    for (const entry of entries) restored.restoreEntry(entry);
    expect(seen).toEqual([]);
    expect(restored.snapshot()).toEqual(snapshot);
    expect(restored.lastUse(ARN)).toEqual({ operation: 'Encrypt', timestampMs: Date.parse('2026-01-02T03:04:05.678Z'), requestId: 'req-1', eventId: snapshot.events[0]!.eventID });
    expect(restored.query({ operation: 'DescribeKey' })).toEqual([snapshot.events[1]]);
    // An older last use read later does not replace a newer one.
    restored.restoreEntry({ lastUse: { arn: ARN, operation: 'Decrypt', timeMs: 1000, requestId: 'old', eventId: 'old' } });
    expect(restored.lastUse(ARN)!.requestId).toBe('req-1');
    // Entries it cannot read are refused with a reason, not kept.
    expect(() => restored.restoreEntry({ event: { ...entries[1].event, keyArns: 'all' } })).toThrow('an audit event that is not a complete record');
    expect(() => restored.restoreEntry({ lastUse: { arn: ARN } as never })).toThrow('a last use without');
    expect(restored.snapshot()).toEqual(snapshot);

    // Restored events feed the index too, without a last-use entry.
    const eventsOnly = new AuditTrail();
    for (const entry of entries.slice(1)) eventsOnly.restoreEntry(entry);
    expect(eventsOnly.query()).toEqual(snapshot.events);
    expect(eventsOnly.lastUse(ARN)).toEqual(restored.lastUse(ARN));
  });

  test('failed and untracked calls never feed the index; an older event does not replace a newer last use', () => {
    const trail = new AuditTrail();
    trail.record(request({ error: { code: 'DisabledException', message: 'disabled' } }));
    trail.record(request({ eventName: 'DescribeKey', operation: 'DescribeKey' }));
    expect(trail.lastUse(ARN)).toBeUndefined();
    trail.record(request({ requestId: 'new', timeMs: 2_000_000 }));
    const [, , , newest] = [...trail.checkpoint()] as { event: { timeMs: number; requestId: string } }[];
    trail.restoreEntry({ event: { ...newest!.event, timeMs: 1000, requestId: 'old' } });
    expect(trail.lastUse(ARN)!.requestId).toBe('new');
  });
});
