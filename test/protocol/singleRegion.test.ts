/**
 * Regions for local-kms users: by default each Region has its own keys (as AWS), and a NotFoundException for a
 * key or alias that exists in another Region or account logs one warning saying where it is (the wire message stays
 * AWS's); with --single-region (KMSLITE_SINGLE_REGION=true) every request is served from KMS_REGION whatever
 * Region the client signs for, as local-kms does.
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, DecryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { Writable } from 'node:stream';
import { errorOf, kmsClient, rawRequest, startTestKmslite } from '../helpers/fixture.js';
import type { RunningKmslite, StartOptions } from '../../src/index.js';

const running: RunningKmslite[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) await instance.stop();
});

async function start(options: StartOptions = {}) {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const instance = await startTestKmslite({ logLevel: 'warn', logStream, ...options });
  running.push(instance);
  const warnings = () => lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40 || entry.level === 'warn');
  return { instance, warnings };
}

describe('default: one key store per Region, as AWS', () => {
  test('a key of KMS_REGION asked for from another Region: AWS NotFound on the wire, one warning naming the Region that has it', async () => {
    const { instance, warnings } = await start({ region: 'eu-west-2' });
    const home = kmsClient(instance, 'eu-west-2');
    const keyId = (await home.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await home.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }));

    const away = kmsClient(instance, 'us-east-1');
    for (let i = 0; i < 3; i++) {
      const error = await errorOf(() => away.send(new DescribeKeyCommand({ KeyId: keyId })));
      expect([error.name, error.message]).toEqual(['NotFoundException', `Key 'arn:aws:kms:us-east-1:111122223333:key/${keyId}' does not exist`]);
    }
    const wire = await rawRequest(instance, 'Encrypt', { KeyId: 'alias/app', Plaintext: 'aGk=' }, { region: 'us-east-1' });
    expect(wire.json).toEqual({ __type: 'NotFoundException', message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found.' });

    const logged = warnings().filter((entry) => /^NotFoundException for/.test(entry.msg));
    // Once per key (three DescribeKey calls), once for the alias.
    expect(logged.map((entry) => [entry.name, entry.requestRegion, entry.foundRegion, entry.foundAccount])).toEqual([
      [keyId, 'us-east-1', 'eu-west-2', '111122223333'],
      ['alias/app', 'us-east-1', 'eu-west-2', '111122223333'],
    ]);
    expect(logged[0].msg).toContain('--single-region (KMSLITE_SINGLE_REGION=true)');
    // A key of a Region other than KMS_REGION: --single-region would not help, so it is not suggested.
    const third = kmsClient(instance, 'ap-south-1');
    const elsewhere = (await third.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect((await errorOf(() => away.send(new DescribeKeyCommand({ KeyId: elsewhere })))).name).toBe('NotFoundException');
    const last = warnings().filter((entry) => entry.name === elsewhere);
    expect(last).toHaveLength(1);
    expect(last[0].msg).toMatch(/it exists in account 111122223333, Region ap-south-1; each Region has its own keys and the client signed for us-east-1: configure the client for ap-south-1$/);
    third.destroy();
    home.destroy();
    away.destroy();
  });

  test('a key of another account: the warning says the account comes from the access key; a key that exists nowhere logs nothing', async () => {
    const { instance, warnings } = await start();
    const other = kmsClient(instance, 'eu-west-2', { accessKeyId: '444455556666', secretAccessKey: 'x' });
    const keyId = (await other.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const mine = kmsClient(instance);
    expect((await errorOf(() => mine.send(new DescribeKeyCommand({ KeyId: keyId })))).name).toBe('NotFoundException');
    expect((await errorOf(() => mine.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })))).name).toBe('NotFoundException');
    const logged = warnings().filter((entry) => /^NotFoundException for/.test(entry.msg));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ name: keyId, requestAccount: '111122223333', foundAccount: '444455556666' });
    expect(logged[0].msg).toContain('the account comes from the access key');
    other.destroy();
    mine.destroy();
  });

  test("only local-kms's variables (KMS_REGION) do not turn single-Region mode on", async () => {
    const { instance } = await start({ env: { KMS_REGION: 'us-west-2' } });
    expect(instance.kmslite.config.singleRegion).toBe(false);
    const keyId = (await kmsClient(instance, 'us-west-2').send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect((await errorOf(() => kmsClient(instance, 'eu-west-2').send(new DescribeKeyCommand({ KeyId: keyId })))).name).toBe('NotFoundException');
  });
});

describe('--single-region (KMSLITE_SINGLE_REGION=true): one store, as local-kms', () => {
  test.each([
    ['the option', { region: 'eu-west-2', singleRegion: true }],
    ['the environment', { env: { KMS_REGION: 'eu-west-2', KMSLITE_SINGLE_REGION: 'true' } }],
  ] as const)('set by %s: clients of any Region use KMS_REGION’s keys, and new keys are made there', async (_how, options) => {
    const { instance, warnings } = await start(options as StartOptions);
    expect(instance.kmslite.config.singleRegion).toBe(true);
    const east = kmsClient(instance, 'us-east-1');
    const created = (await east.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(created.Arn).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${created.KeyId}`);
    const west = kmsClient(instance, 'ap-southeast-2');
    const described = (await west.send(new DescribeKeyCommand({ KeyId: created.KeyId }))).KeyMetadata!;
    expect(described.Arn).toBe(created.Arn);
    const sealed = await east.send(new EncryptCommand({ KeyId: created.KeyId, Plaintext: Buffer.from('same store') }));
    const opened = await west.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('same store');
    expect((await kmsClient(instance, 'eu-west-2').send(new ListKeysCommand({}))).Keys!.map((key) => key.KeyId)).toEqual([created.KeyId]);
    expect(warnings()).toEqual([]);
    east.destroy();
    west.destroy();
  });
});
