/**
 * The operator endpoints the web console reads (src/server/adminKeys.ts) and the console's files
 * (src/server/adminConsole.ts), through plain HTTP: shapes, errors, and never any key material.
 */
import { CreateKeyCommand, EncryptCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, CreateKeyCommandOutput } from '@aws-sdk/client-kms';
import { BUNDLED_SEED_PATH } from '../../src/server/kmslite.js';
import { ACCOUNT_ID, REGION, advanceClock, kmsClient, ON_DEMAND_ROTATION_MS, useKmsliteForEachTest } from '../helpers/fixture.js';
import type { RunningKmslite } from '../../src/index.js';

const SEEDED_DEFAULT = 'bc436485-5092-42b8-92a3-0aa8b93536dc';
const SEEDED_DEFAULT_MATERIAL = '5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9';

let running: RunningKmslite;
useKmsliteForEachTest((server) => ({ running } = server), { seedPath: BUNDLED_SEED_PATH });

/** fetch, with json() typed loosely as the tests read it. */
type Answer = Omit<Response, 'json'> & { json(): Promise<any> };
const get = (path: string, headers: Record<string, string> = {}): Promise<Answer> => fetch(`${running.endpoint}${path}`, { headers, redirect: 'manual' });
const post = (path: string, body: unknown): Promise<Answer> =>
  fetch(`${running.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('GET /_kmslite/ links to the console, as JSON or as a page', async () => {
  const json = await get('/_kmslite/');
  expect(json.status).toBe(200);
  expect((await json.json()).console).toBe('/_kmslite/console/');
  const html = await get('/_kmslite/', { accept: 'text/html' });
  expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await html.text()).toContain('<a href="/_kmslite/console/">');
  expect((await get('/_kmslite')).headers.get('location')).toBe('/_kmslite/');
});

test('the console files are served with a strict Content-Security-Policy, no framing and an ETag', async () => {
  expect((await get('/_kmslite/console')).headers.get('location')).toBe('/_kmslite/console/');
  const page = await get('/_kmslite/console/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  const html = await page.text();
  // Every script and stylesheet is the console's own, by a relative URL: nothing from another origin.
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  for (const name of ['app.js', 'api.js', 'dom.js', 'keys.js', 'activity.js', 'tools.js', 'style.css']) {
    const file = await get(`/_kmslite/console/${name}`);
    expect(file.status).toBe(200);
    const text = await file.text();
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toContain('innerHTML');
    const etag = file.headers.get('etag')!;
    expect((await get(`/_kmslite/console/${name}`, { 'if-none-match': etag })).status).toBe(304);
  }
  const missing = await get('/_kmslite/console/secrets.json');
  expect(missing.status).toBe(404);
  expect((await missing.json()).__type).toBe('NotFoundException');
  expect((await get('/_kmslite/console/..%2Fserver%2FadminApp.ts')).status).toBe(404);
});

test('GET /_kmslite/stores and /_kmslite/keys list the stores and their keys', async () => {
  const stores = await (await get('/_kmslite/stores')).json();
  expect(stores.defaultAccountId).toBe(ACCOUNT_ID);
  expect(stores.defaultRegion).toBe(REGION);
  expect(stores.stores).toEqual(
    expect.arrayContaining([
      { accountId: ACCOUNT_ID, region: REGION, keys: 2, aliases: 2, pendingDeletion: 0, disabled: 0 },
      { accountId: ACCOUNT_ID, region: 'us-east-1', keys: 1, aliases: 1, pendingDeletion: 0, disabled: 0 },
    ]),
  );
  const { keys } = await (await get(`/_kmslite/keys?account=${ACCOUNT_ID}&region=${REGION}`)).json();
  expect(keys.map((key: { keyId: string }) => key.keyId)).toEqual([SEEDED_DEFAULT, '49c5492b-b1bc-42a8-9a5c-b440eb2fbb4a']);
  expect(keys[0]).toMatchObject({ aliases: ['alias/kmslite-default'], keyState: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyManager: 'CUSTOMER', multiRegionRole: null });
  // A store never used: no keys, not an error.
  expect(await (await get('/_kmslite/keys?account=999988887777&region=ap-south-1')).json()).toEqual({ keys: [] });
  const bad = await get('/_kmslite/keys?account=12&region=eu-west-2');
  expect(bad.status).toBe(400);
  expect((await bad.json()).__type).toBe('ValidationException');
});

test('the key list applies elapsed time as ListKeys does: a deletion that fell due has happened', async () => {
  const kms = kmsClient(running);
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
  const before = await (await get(`/_kmslite/stores`)).json();
  expect(before.stores.find((store: { region: string }) => store.region === REGION).pendingDeletion).toBe(1);
  await advanceClock(running, 7 * 86_400_000);
  const { keys } = await (await get(`/_kmslite/keys?account=${ACCOUNT_ID}&region=${REGION}`)).json();
  expect(keys.map((key: { keyId: string }) => key.keyId)).not.toContain(keyId);
  expect((await get(`/_kmslite/keys/${ACCOUNT_ID}/${REGION}/${keyId}`)).status).toBe(404);
});

test('key details: metadata, policy, aliases, tags, rotations, material ids and public key, never key material', async () => {
  const details = await (await get(`/_kmslite/keys/${ACCOUNT_ID}/${REGION}/${SEEDED_DEFAULT}`)).json();
  expect(details.metadata.KeyId).toBe(SEEDED_DEFAULT);
  expect(JSON.parse(details.policy).Version).toBe('2012-10-17');
  expect(details.aliases.map((alias: { aliasName: string }) => alias.aliasName)).toEqual(['alias/kmslite-default']);
  expect(details.keyMaterials).toHaveLength(1);
  expect(details.keyMaterials[0]).toMatchObject({ current: true, rotationDate: null });
  expect(details.publicKeyPem).toBeNull();
  expect(JSON.stringify(details)).not.toContain(SEEDED_DEFAULT_MATERIAL);

  const kms = kmsClient(running);
  const signing = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  const signingDetails = await (await get(`/_kmslite/keys/${ACCOUNT_ID}/${REGION}/${signing.KeyMetadata!.KeyId}`)).json();
  expect(signingDetails.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  expect(JSON.stringify(signingDetails)).not.toContain('PRIVATE');

  const missing = await get(`/_kmslite/keys/${ACCOUNT_ID}/${REGION}/no-such-key`);
  expect(missing.status).toBe(404);
  expect((await missing.json()).__type).toBe('NotFoundException');
});

test('the ciphertext inspector names the key and material of a blob, including an older one after rotation', async () => {
  const kms = kmsClient(running);
  const created: CreateKeyCommandOutput = await kms.send(new CreateKeyCommand({}));
  const keyId = created.KeyMetadata!.KeyId!;
  const oldBlob = Buffer.from((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('one') }))).CiphertextBlob!).toString('base64');
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
  await advanceClock(running, ON_DEMAND_ROTATION_MS);
  const newBlob = Buffer.from((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('two') }))).CiphertextBlob!).toString('base64');

  const old = await (await post('/_kmslite/ciphertext/inspect', { ciphertextBlob: oldBlob })).json();
  expect(old).toMatchObject({ format: 'kmslite-v1', keyId, keyMaterialId: created.KeyMetadata!.CurrentKeyMaterialId, ciphertextBytes: 3 });
  expect(old.matches).toEqual([
    { accountId: ACCOUNT_ID, region: REGION, keyArn: created.KeyMetadata!.Arn, keyState: 'Enabled', aliases: [], keyMaterial: { found: true, index: 0, current: false, rotationDate: null, rotationType: null } },
  ]);
  const fresh = await (await post('/_kmslite/ciphertext/inspect', { ciphertextBlob: newBlob })).json();
  expect(fresh.matches[0].keyMaterial).toMatchObject({ found: true, index: 1, current: true, rotationType: 'ON_DEMAND' });

  expect(await (await post('/_kmslite/ciphertext/inspect', { ciphertextBlob: Buffer.alloc(50, 3).toString('base64') })).json()).toMatchObject({ format: 'unknown' });
  for (const body of [{}, { ciphertextBlob: 'not base64!' }, { ciphertextBlob: 'A'.repeat(20_000) }]) {
    const answer = await post('/_kmslite/ciphertext/inspect', body);
    expect(answer.status).toBe(400);
    expect((await answer.json()).__type).toBe('ValidationException');
  }
});
