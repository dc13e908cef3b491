/**
 * Persistence with a data directory (KMS_DATA_PATH / --data-path), in-process: state survives a stop and a
 * start, the seed is applied on top of it, the files are private, and a damaged or foreign data directory stops
 * start-up with a message and is left as it was. The SIGKILL tests are in crash.test.ts.
 */
import { CreateKeyCommand, GetParametersForImportCommand, DescribeKeyCommand, EncryptCommand, DecryptCommand, UpdateKeyDescriptionCommand, UpdateAliasCommand, ListAliasesCommand, RotateKeyOnDemandCommand, GetKeyRotationStatusCommand, ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ON_DEMAND_ROTATION_MS, advanceClock, errorOf, kmsClient, startTestKmslite, TEST_CREDENTIALS } from '../helpers/fixture.js';
import { checkScenario, runScenario } from '../helpers/persistenceScenario.js';
import { encodeState } from '../../src/store/stateCodec.js';
import type { RunningKmslite } from '../../src/index.js';
import { KMSClient } from '@aws-sdk/client-kms';

const running: RunningKmslite[] = [];

async function start(dataPath: string, options: Parameters<typeof startTestKmslite>[0] = {}): Promise<RunningKmslite> {
  const instance = await startTestKmslite({ dataPath, ...options });
  running.push(instance);
  return instance;
}

async function stop(instance: RunningKmslite): Promise<void> {
  running.splice(running.indexOf(instance), 1);
  await instance.stop();
}

afterEach(async () => {
  for (const instance of running.splice(0)) await instance.stop();
});

const dataDirectory = () => mkdtempSync(join(tmpdir(), 'kmslite-data-'));

async function expectConflict(action: () => Promise<unknown>): Promise<void> {
  expect((await errorOf(action)).name).toBe('ConflictException');
}

function clientsOf(instance: RunningKmslite) {
  const clients: KMSClient[] = [];
  const clientFor = (region = 'eu-west-2', credentials = TEST_CREDENTIALS) => {
    const client = kmsClient(instance, region, credentials);
    clients.push(client);
    return client;
  };
  return { clientFor, destroy: () => clients.forEach((client) => client.destroy()) };
}

/** Every persisted record, generically encoded (what the data file holds), without the write's own stamps. */
function stateOf(instance: RunningKmslite) {
  const { generation: _generation, savedAt: _savedAt, ...state } = encodeState(instance.kmslite.stores, instance.kmslite.clock.offset, 0, new Date(0));
  return JSON.parse(JSON.stringify(state));
}

describe('restart', () => {
  test.each(['a clean stop (snapshot)', 'a crash (snapshot from start-up + journal)'])(
    'every kind of state comes back exactly after %s: keys, material, aliases, tags, policies, grants, rotations, deletions, imports, multi-Region, custom key stores, accounts, the clock',
    async (how) => {
      const directory = dataDirectory();
      const first = await start(directory);
      const firstClients = clientsOf(first);
      const facts = await runScenario(firstClients.clientFor);
      first.kmslite.clock.advance(3_600_000);
      await first.kmslite.commit();
      const before = stateOf(first);
      const auditBefore = first.kmslite.audit.snapshot();
      expect(auditBefore.events.length).toBeGreaterThan(30);
      firstClients.destroy();
      const filesAtCrash = readdirSync(directory).map((name) => [name, readFileSync(join(directory, name))] as const);
      await stop(first);
      if (how.startsWith('a crash')) {
        for (const [name, content] of filesAtCrash) if (name !== 'kmslite.lock') writeFileSync(join(directory, name), content);
        expect(readFileSync(join(directory, 'kmslite-journal.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(30);
      }

      const second = await start(directory);
      expect(stateOf(second)).toEqual(before);
      // The audit trail and the last use of every key (GetKeyLastUsage) came back too.
      expect(second.kmslite.audit.snapshot()).toEqual(auditBefore);
      expect(second.kmslite.clock.offset).toBe(3_600_000);
      const secondClients = clientsOf(second);
      await checkScenario(secondClients.clientFor, facts);
      secondClients.destroy();
    },
  );

  test('the seed is applied on top of restored state: seeded keys and aliases that exist are kept, not overwritten', async () => {
    const directory = dataDirectory();
    const seedPath = join(directory, 'seed.yaml');
    writeFileSync(
      seedPath,
      [
        'Keys:',
        '  Symmetric:',
        '    Aes:',
        '      - Metadata: {KeyId: bc436485-5092-42b8-92a3-0aa8b93536dc, Description: seeded}',
        '        BackingKeys: [5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9]',
        '      - Metadata: {KeyId: 49c5492b-b1bc-42a8-9a5c-b2015e810c1c}',
        '        BackingKeys: [6cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9]',
        'Aliases:',
        '  - AliasName: alias/seeded',
        '    TargetKeyId: bc436485-5092-42b8-92a3-0aa8b93536dc',
        '',
      ].join('\n'),
    );
    const first = await start(directory, { seedPath });
    const kms = kmsClient(first);
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: 'bc436485-5092-42b8-92a3-0aa8b93536dc', Description: 'changed by a user' }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/seeded', TargetKeyId: '49c5492b-b1bc-42a8-9a5c-b2015e810c1c' }));
    const own = (await kms.send(new CreateKeyCommand({ Description: 'own' }))).KeyMetadata!.KeyId!;
    kms.destroy();
    await stop(first);

    const second = await start(directory, { seedPath });
    const again = kmsClient(second);
    const seeded = (await again.send(new DescribeKeyCommand({ KeyId: 'bc436485-5092-42b8-92a3-0aa8b93536dc' }))).KeyMetadata!;
    expect(seeded.Description).toBe('changed by a user');
    const aliases = (await again.send(new ListAliasesCommand({}))).Aliases!;
    expect(aliases.find((alias) => alias.AliasName === 'alias/seeded')?.TargetKeyId).toBe('49c5492b-b1bc-42a8-9a5c-b2015e810c1c');
    expect((await again.send(new DescribeKeyCommand({ KeyId: own }))).KeyMetadata!.Description).toBe('own');
    again.destroy();
  });

  test('a change is in the journal before its answer, without a clean stop', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'journaled' }))).KeyMetadata!.KeyId!;
    kms.destroy();
    // No stop: read the files as a crash would leave them.
    const journal = readFileSync(join(directory, 'kmslite-journal.jsonl'), 'utf8');
    expect(journal).toContain(keyId);
    expect(journal).toContain('journaled');
  });

  test('a change made after an await inside the operation is written, even when another write ran during the await', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    const keyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    // GetParametersForImport awaits an RSA key generation; a CreateKey answered meanwhile writes the journal.
    const parameters = kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' }));
    await kms.send(new CreateKeyCommand({}));
    await parameters;
    kms.destroy();
    const files = readdirSync(directory).map((name) => [name, readFileSync(join(directory, name))] as const);
    await stop(first);
    for (const [name, content] of files) if (name !== 'kmslite.lock') writeFileSync(join(directory, name), content);
    const second = await start(directory);
    expect(second.kmslite.stores.get('111122223333', 'eu-west-2').keys.get(keyId)!.importParameters).toHaveLength(1);
  });

  test('reset goes back to the seed on disk too', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await first.kmslite.reset();
    kms.destroy();
    await stop(first);
    const second = await start(directory);
    const again = kmsClient(second);
    await expect(again.send(new DescribeKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({ name: 'NotFoundException' });
    again.destroy();
  });

  test('an on-demand rotation in progress survives a restart (clean stop and crash), and completes after it on the clock', async () => {
    for (const crash of [false, true]) {
      const directory = dataDirectory();
      const first = await start(directory);
      const kms = kmsClient(first);
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const material = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      const started = (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).OnDemandRotationStartDate;
      expect(started).toBeInstanceOf(Date);
      kms.destroy();
      // A crash: the files as they were before the clean stop's snapshot (the journal holds the rotation).
      const filesAtCrash = readdirSync(directory).map((name) => [name, readFileSync(join(directory, name))] as const);
      await stop(first);
      if (crash) for (const [name, content] of filesAtCrash) if (name !== 'kmslite.lock') writeFileSync(join(directory, name), content);

      const second = await start(directory);
      const again = kmsClient(second);
      expect((await again.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).OnDemandRotationStartDate).toEqual(started);
      await expectConflict(() => again.send(new RotateKeyOnDemandCommand({ KeyId: keyId })));
      await advanceClock(second, ON_DEMAND_ROTATION_MS);
      expect((await again.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).OnDemandRotationStartDate).toBeUndefined();
      const rotated = (await again.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
      expect(rotated).not.toBe(material);
      again.destroy();
      await stop(second);

      // The completed rotation (its new material) was written too.
      const third = await start(directory);
      const last = kmsClient(third);
      expect((await last.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(rotated);
      expect((await last.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!.map((entry) => entry.KeyMaterialId)).toEqual([rotated]);
      last.destroy();
      await stop(third);
    }
  });

  test('ciphertexts from before a restart decrypt after it, and many keys round-trip', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    const blobs: { keyId: string; blob: Uint8Array }[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const keyId = (await kms.send(new CreateKeyCommand({ Description: `key ${index}` }))).KeyMetadata!.KeyId!;
        const blob = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`plaintext ${index}`) }))).CiphertextBlob!;
        blobs.push({ keyId, blob });
      }),
    );
    kms.destroy();
    await stop(first);
    const second = await start(directory);
    const again = kmsClient(second);
    for (const { keyId, blob } of blobs) {
      const decrypted = await again.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(decrypted.KeyId).toContain(keyId);
    }
    expect(second.kmslite.stores.get('111122223333', 'eu-west-2').keys.size).toBe(200);
    again.destroy();
  });
});

describe('the data files', () => {
  test('are readable by their owner only (0600)', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    await kms.send(new CreateKeyCommand({}));
    kms.destroy();
    for (const name of ['kmslite-state.json', 'kmslite-journal.jsonl', 'kmslite-audit.jsonl', 'kmslite.lock']) {
      expect([name, statSync(join(directory, name)).mode & 0o777]).toEqual([name, 0o600]);
    }
    await stop(first);
    expect(readdirSync(directory).sort()).toEqual(['kmslite-audit.jsonl', 'kmslite-journal.jsonl', 'kmslite-state.json']);
  });

  test('carry a format version, a checksum, and the journal the state file continues in', async () => {
    const directory = dataDirectory();
    await stop(await start(directory));
    const text = readFileSync(join(directory, 'kmslite-state.json'), 'utf8');
    expect(text).toMatch(/^\{"checksum":"[0-9a-f]{64}","format":"kmslite-state","version":2,/);
    const state = JSON.parse(text);
    const journalHeader = JSON.parse(readFileSync(join(directory, 'kmslite-journal.jsonl'), 'utf8').split('\n')[0]!.slice(17));
    expect(journalHeader).toEqual({ format: 'kmslite-journal', id: state.journal.id, firstSequence: state.journal.firstSequence, generation: state.generation, version: 2, written: String(state.journal.firstSequence - 1).padStart(16, '0') });
    const auditHeader = JSON.parse(readFileSync(join(directory, 'kmslite-audit.jsonl'), 'utf8').split('\n')[0]!.slice(17));
    expect(auditHeader).toMatchObject({ format: 'kmslite-audit', version: 2, firstSequence: 1 });
  });
});

describe('refused data directories (test/persistence/refusals.test.ts has one test per kind of damage)', () => {
  async function prepared(): Promise<string> {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    await kms.send(new CreateKeyCommand({ Description: 'precious' }));
    kms.destroy();
    await stop(first);
    return directory;
  }

  test('an unreadable state file', async () => {
    if (process.getuid?.() === 0) return; // root reads everything: nothing to test (CI runs as root)
    const directory = await prepared();
    const { chmodSync } = await import('node:fs');
    chmodSync(join(directory, 'kmslite-state.json'), 0o000);
    await expect(startTestKmslite({ dataPath: directory })).rejects.toThrow(/cannot read .*kmslite-state\.json/);
  });

  test('a second kmslite on the same data directory', async () => {
    const directory = dataDirectory();
    await start(directory);
    await expect(startTestKmslite({ dataPath: directory })).rejects.toThrow(`data directory ${directory} is in use by another kmslite`);
    expect(existsSync(join(directory, 'kmslite.lock'))).toBe(true);
  });
});

test('a journal cut off in its last line by a crash loses only that unacknowledged write', async () => {
  const directory = dataDirectory();
  const first = await start(directory);
  const kms = kmsClient(first);
  const keyId = (await kms.send(new CreateKeyCommand({ Description: 'acknowledged' }))).KeyMetadata!.KeyId!;
  kms.destroy();
  const journalPath = join(directory, 'kmslite-journal.jsonl');
  const statePath = join(directory, 'kmslite-state.json');
  const journal = readFileSync(journalPath, 'utf8');
  const state = readFileSync(statePath);
  running.splice(running.indexOf(first), 1);
  await first.stop();
  writeFileSync(statePath, state);
  writeFileSync(journalPath, journal);
  appendFileSync(journalPath, '0123456789abcdef {"stores":[{"accountId":"1111');
  const logs: string[] = [];
  const second = await start(directory, { logLevel: 'warn', logStream: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream });
  const again = kmsClient(second);
  expect((await again.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.Description).toBe('acknowledged');
  again.destroy();
  expect(logs.join('')).toContain('dropped an incomplete last line');
});

/** Entries (last uses and events) in the audit log: its lines after the header are checksummed JSON arrays. */
function auditLogEntries(directory: string): number {
  const lines = readFileSync(join(directory, 'kmslite-audit.jsonl'), 'utf8').split('\n').slice(1, -1);
  return lines.reduce((count, line) => count + (JSON.parse(line.slice(17)) as { entries: unknown[] }).entries.length, 0);
}

describe('the audit log (kmslite-audit.jsonl)', () => {
  test('stays about twice the size of the ring however many events come, and keeps the last use of keys whose events left the ring', async () => {
    const directory = dataDirectory();
    const first = await start(directory, { auditMaxEvents: 20 });
    const kms = kmsClient(first);
    const early = (await kms.send(new CreateKeyCommand({ Description: 'used once, early' }))).KeyMetadata!.KeyId!;
    await kms.send(new EncryptCommand({ KeyId: early, Plaintext: Buffer.from('early') }));
    const earlyUse = first.kmslite.audit.query({ operation: 'Encrypt', keyId: early })[0]!;
    const busy = (await kms.send(new CreateKeyCommand({ Description: 'busy' }))).KeyMetadata!.KeyId!;
    let sizes = 0;
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 500 }, (_, index) => kms.send(new EncryptCommand({ KeyId: busy, Plaintext: Buffer.from(`busy ${index}`) }))));
      await first.kmslite.commit();
      sizes = Math.max(sizes, auditLogEntries(directory));
    }
    kms.destroy();
    // 2,503 events went through; the file never held more than the ring, two last uses and one compaction's worth.
    expect(sizes).toBeGreaterThan(20);
    expect(sizes).toBeLessThan(2 + 20 + 1000 + 500 + 2);
    expect(first.kmslite.audit.query({ keyId: early })).toEqual([]);
    const auditBefore = first.kmslite.audit.snapshot();
    // A crash: the files as they are now, without the clean stop's compaction.
    const files = readdirSync(directory).map((name) => [name, readFileSync(join(directory, name))] as const);
    await stop(first);
    for (const [name, content] of files) if (name !== 'kmslite.lock') writeFileSync(join(directory, name), content);

    const second = await start(directory, { auditMaxEvents: 20 });
    expect(second.kmslite.audit.snapshot()).toEqual(auditBefore);
    const again = kmsClient(second);
    const { GetKeyLastUsageCommand } = await import('@aws-sdk/client-kms');
    const usage = (await again.send(new GetKeyLastUsageCommand({ KeyId: early }))).KeyLastUsage!;
    expect(usage).toMatchObject({ Operation: 'Encrypt', CloudTrailEventId: earlyUse.eventID });
    again.destroy();
  });

  test('with no events kept in memory (--audit-max-events 0) it keeps only the last uses, and they survive a restart', async () => {
    const directory = dataDirectory();
    const first = await start(directory, { auditMaxEvents: 0 });
    const kms = kmsClient(first);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const { GetKeyLastUsageCommand } = await import('@aws-sdk/client-kms');
    const before = (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage!;
    kms.destroy();
    await stop(first);
    expect(auditLogEntries(directory)).toBe(1);
    const second = await start(directory, { auditMaxEvents: 0 });
    const again = kmsClient(second);
    expect((await again.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage).toEqual(before);
    again.destroy();
  });

  test('a last line cut off by a crash is dropped with a warning; the events before it come back', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const kms = kmsClient(first);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    kms.destroy();
    await stop(first);
    const path = join(directory, 'kmslite-audit.jsonl');
    appendFileSync(path, '0123456789abcdef [{"event":{"timeMs":17,"eventNa');
    const logs: string[] = [];
    const second = await start(directory, { logLevel: 'warn', logStream: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream });
    expect(logs.join('')).toMatch(/kmslite-audit\.jsonl: dropped an incomplete last line/);
    expect(second.kmslite.audit.query({ operation: 'CreateKey', keyId }).length).toBe(1);
  });
});
