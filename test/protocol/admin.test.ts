import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, ListAliasesCommand, ListKeysCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { admin, errorOf, kmsClient, useKmslite } from '../helpers/fixture.js';
import type { RunningKmslite } from '../../src/index.js';

let running: RunningKmslite;
// The bundled default seed.
useKmslite((server) => ({ running } = server), { seedPath: undefined });

test('health', async () => {
  const response = await admin(running, 'GET', '/_kmslite/health');
  expect(response.status).toBe(200);
  expect(response.json.status).toBe('ok');
});

test('the default seed gives a newcomer ready keys and aliases in eu-west-2 and us-east-1', async () => {
  for (const region of ['eu-west-2', 'us-east-1']) {
    const kms = kmsClient(running, region);
    const aliases = await kms.send(new ListAliasesCommand({}));
    expect(aliases.Aliases!.map((alias) => alias.AliasName)).toContain('alias/kmslite-default');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('hi') }));
    expect(encrypted.KeyId).toContain(`:${region}:111122223333:key/`);
  }
});

test('reset brings the stores back to the seeded state', async () => {
  const kms = kmsClient(running);
  const before = (await kms.send(new ListKeysCommand({}))).Keys!.length;
  await kms.send(new CreateKeyCommand({}));
  expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(before + 1);
  const reset = await admin(running, 'POST', '/_kmslite/reset');
  expect(reset.status).toBe(200);
  expect(reset.json.seededKeys).toBeGreaterThan(0);
  expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(before);
});

test('POST /moto-api/reset (moto server mode) resets exactly as POST /_kmslite/reset', async () => {
  const kms = kmsClient(running);
  const before = (await kms.send(new ListKeysCommand({}))).Keys!.length;
  await kms.send(new CreateKeyCommand({}));
  expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(before + 1);
  // moto's mock_aws in TEST_SERVER_MODE posts with no body and ignores the answer.
  const reset = await admin(running, 'POST', '/moto-api/reset');
  expect(reset.status).toBe(200);
  expect(reset.json.status).toBe('reset');
  expect(reset.json.seededKeys).toBeGreaterThan(0);
  expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(before);
});

test('state export lists keys without key material unless asked', async () => {
  const state = await admin(running, 'GET', '/_kmslite/state');
  expect(state.status).toBe(200);
  const store = state.json.stores.find((s: any) => s.region === 'eu-west-2');
  expect(store.keys.length).toBeGreaterThan(0);
  expect(JSON.stringify(state.json)).not.toContain('5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9');
  // Key material only with --allow-key-material-export (off here; test/protocol/operatorGuard.test.ts has both).
  const withMaterial = await admin(running, 'GET', '/_kmslite/state?includeKeyMaterial=true');
  expect(withMaterial.status).toBe(403);
  expect(withMaterial.json.__type).toBe('AccessDeniedException');
  expect(JSON.stringify(withMaterial.json)).not.toContain('5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9');
});

test('clock control: read, advance, set, reset; a scheduled deletion happens when the clock passes it', async () => {
  const kms = kmsClient(running);
  const start = await admin(running, 'GET', '/_kmslite/clock');
  expect(start.json.offsetMs).toBe(0);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId!, PendingWindowInDays: 7 }));
  expect(scheduled.KeyState).toBe('PendingDeletion');
  const advanced = await admin(running, 'POST', '/_kmslite/clock/advance', { days: 7, minutes: 1 });
  expect(advanced.json.offsetMs).toBe(7 * 86_400_000 + 60_000);
  // SigV4 dates stay real time while kmslite's clock moves: the signature window is checked against real time.
  const gone = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId! })));
  expect(gone.name).toBe('NotFoundException');
  const set = await admin(running, 'POST', '/_kmslite/clock/set', { time: '2030-01-01T00:00:00Z' });
  expect(set.json.now).toBe('2030-01-01T00:00:00.000Z');
  const reset = await admin(running, 'POST', '/_kmslite/clock/reset');
  expect(reset.json.offsetMs).toBe(0);
  const bad = await admin(running, 'POST', '/_kmslite/clock/advance', { days: 'x' });
  expect(bad.status).toBe(400);
  expect(bad.json.__type).toBe('ValidationException');
});
