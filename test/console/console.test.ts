/**
 * The web console (docs/console.md) in real headless Chromium: what it shows is checked against what the SDK
 * made and sees. One browser for the file, one kmslite and one page per test.
 */
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  KMSClient,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { jest } from '@jest/globals';
import { BUNDLED_SEED_PATH } from '../../src/server/kmslite.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, startTestKmslite } from '../helpers/kmslite.js';
import type { RunningKmslite } from '../../src/index.js';
import { describeInBrowser, guardedPage, launchBrowser, screenshot, type ConsoleBrowser, type GuardedPage } from './browser.js';

const SEEDED_DEFAULT = 'bc436485-5092-42b8-92a3-0aa8b93536dc';
const SEEDED_SECOND = '49c5492b-b1bc-42a8-9a5c-b440eb2fbb4a';
const SEEDED_US_EAST_1 = '0d6e0b7a-43c5-4b8f-a1a2-6f3c5d1e7b90';
/** The seeded default key's material (seed.yaml): it must appear nowhere in the console. */
const SEEDED_DEFAULT_MATERIAL = '5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9';
/** Waits for what the page shows: generous, because the whole suite shares two cores with the browser. */
const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

describeInBrowser('web console in Chromium', () => {
  let browser: ConsoleBrowser;
  let running: RunningKmslite;
  let guarded: GuardedPage;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    running = await startTestKmslite({ seedPath: BUNDLED_SEED_PATH });
    guarded = await guardedPage(browser, running.endpoint);
  });
  afterEach(async () => {
    await guarded.close();
    await running.stop();
    // Every test: no script error, no console error, no request outside kmslite, never key material asked for.
    expect(guarded.problems).toEqual([]);
    expect(guarded.requests.filter((url) => url.includes('includeKeyMaterial'))).toEqual([]);
  });

  const open = (hash: string) => guarded.page.goto(`${running.endpoint}/_kmslite/console/${hash}`);
  const keyRow = (keyId: string) => guarded.page.locator(`#keys tbody tr[data-key-id="${keyId}"]`);

  test('lists the seeded keys of the selected account and Region, and only those', async () => {
    const page = guarded.page;
    await open('');
    await keyRow(SEEDED_DEFAULT).waitFor(WAIT);
    expect(await keyRow(SEEDED_DEFAULT).innerText()).toContain('alias/kmslite-default');
    expect(await keyRow(SEEDED_SECOND).innerText()).toContain('alias/kmslite-secondary');
    expect(await page.locator('#keys tbody tr').count()).toBe(2);
    expect(await page.locator('.where').innerText()).toBe(`Account ${ACCOUNT_ID}, Region ${REGION}`);
    await screenshot(page, 'keys');

    await page.getByLabel('Account and Region').selectOption(`${ACCOUNT_ID}/us-east-1`);
    await keyRow(SEEDED_US_EAST_1).waitFor(WAIT);
    expect(await page.locator('#keys tbody tr').count()).toBe(1);

    // Keyboard: the key id is a link; Enter on it opens the key's details.
    await page.getByRole('link', { name: SEEDED_US_EAST_1 }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Key policy' }).waitFor(WAIT);
    expect(await page.locator('h1').innerText()).toContain(SEEDED_US_EAST_1);

    // Phone width: nothing wider than the screen (tables scroll inside their own box).
    await page.setViewportSize({ width: 390, height: 844 });
    await open(`#/keys?account=${ACCOUNT_ID}&region=${REGION}`);
    await keyRow(SEEDED_DEFAULT).waitFor(WAIT);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'keys-phone');
  });

  test('a key created through the SDK appears without a reload; disabled and pending-deletion keys are marked', async () => {
    const kms = kmsClient(running);
    await open('');
    await keyRow(SEEDED_DEFAULT).waitFor(WAIT);

    const created = await kms.send(new CreateKeyCommand({ Description: 'made by the console test', Tags: [{ TagKey: 'team', TagValue: 'console' }] }));
    const keyId = created.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/console-test', TargetKeyId: keyId }));
    await kms.send(new CreateGrantCommand({
      KeyId: keyId,
      GranteePrincipal: 'arn:aws:iam::111122223333:role/console-reader',
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextSubset: { app: 'console' } },
      Name: 'console-grant',
    }));
    await kms.send(new DisableKeyCommand({ KeyId: SEEDED_SECOND }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: SEEDED_DEFAULT, PendingWindowInDays: 7 }));

    await keyRow(keyId).waitFor(WAIT);
    expect(await keyRow(keyId).innerText()).toContain('alias/console-test');
    await guarded.page.locator(`#keys tbody tr.state-Disabled[data-key-id="${SEEDED_SECOND}"]`).waitFor(WAIT);
    await guarded.page.locator(`#keys tbody tr.state-PendingDeletion[data-key-id="${SEEDED_DEFAULT}"]`).waitFor(WAIT);
    expect(await guarded.page.locator('.summary').innerText()).toContain('1 pending deletion, 1 disabled');
    await screenshot(guarded.page, 'keys-states');

    // Details: the policy as GetKeyPolicy returns it, the tag, the grant with its constraint.
    await guarded.page.getByRole('link', { name: keyId }).click();
    await guarded.page.getByRole('heading', { name: 'Grants' }).waitFor(WAIT);
    const policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy!;
    expect(JSON.parse(await guarded.page.getByLabel('policy', { exact: true }).innerText())).toEqual(JSON.parse(policy));
    const tags = guarded.page.locator('table', { has: guarded.page.locator('caption', { hasText: 'Tags' }) });
    expect(await tags.innerText()).toContain('team\tconsole');
    const grants = await guarded.page.locator('table', { has: guarded.page.locator('caption', { hasText: 'Grants' }) }).innerText();
    expect(grants).toContain('console-grant');
    expect(grants).toContain('arn:aws:iam::111122223333:role/console-reader');
    expect(grants).toContain('"app": "console"');
    // Its recent calls: the CreateAlias and CreateGrant just made.
    await guarded.page.locator('#calls ~ div tr', { hasText: 'CreateGrant' }).waitFor(WAIT);
    await screenshot(guarded.page, 'key-details');
  });

  test('key details never show key material', async () => {
    await open(`#/key/${ACCOUNT_ID}/${REGION}/${SEEDED_DEFAULT}`);
    await guarded.page.getByRole('heading', { name: 'Key material' }).waitFor(WAIT);
    const html = await guarded.page.content();
    expect(html).toContain(SEEDED_DEFAULT);
    expect(html.toLowerCase()).not.toContain(SEEDED_DEFAULT_MATERIAL);
    expect(html).not.toContain(Buffer.from(SEEDED_DEFAULT_MATERIAL, 'hex').toString('base64'));
  });

  test('a failing Decrypt appears in Activity with its error and its redacted parameters', async () => {
    const kms = kmsClient(running);
    await open('#/activity');
    await guarded.page.locator('.summary').waitFor(WAIT);
    await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('hello') }));
    const garbage = Buffer.alloc(120, 7);
    const error = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: garbage, EncryptionContext: { purpose: 'console-test' } })));
    expect(error.name).toBe('InvalidCiphertextException');

    const failed = guarded.page.locator('#activity tbody tr.failed', { hasText: 'Decrypt' });
    await failed.waitFor(WAIT);
    expect(await failed.innerText()).toContain('InvalidCiphertextException');
    expect(await guarded.page.locator('#activity tbody tr').first().innerText()).toContain('Decrypt'); // newest first
    await guarded.page.getByLabel('Errors only').check();
    await guarded.page.waitForFunction("document.querySelectorAll('#activity tbody tr:not(.failed)').length === 0", undefined, WAIT);
    expect(await guarded.page.locator('#activity tbody tr.failed').count()).toBe(1);

    await failed.getByText('Parameters').click();
    const parameters = await failed.locator('pre').first().innerText();
    expect(JSON.parse(parameters)).toEqual({ encryptionContext: { purpose: 'console-test' } });
    expect(await guarded.page.content()).not.toContain(garbage.toString('base64'));

    // Live: a new failed call arrives on top; the row the user opened stays open.
    const openedId = await failed.getAttribute('data-event-id');
    await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: garbage })));
    await guarded.page.locator('#activity tbody tr.failed').nth(1).waitFor(WAIT);
    expect(await guarded.page.locator('#activity tbody tr').nth(1).getAttribute('data-event-id')).toBe(openedId);
    expect(await guarded.page.locator(`tr[data-event-id="${openedId}"] details`).getAttribute('open')).not.toBeNull();
    await screenshot(guarded.page, 'activity');
  });

  test('the ciphertext inspector names the key and key material of a real ciphertext', async () => {
    const kms = kmsClient(running);
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-secondary', Plaintext: Buffer.from('secret') }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: SEEDED_SECOND }));
    await open('#/tools');
    await guarded.page.getByLabel('Ciphertext (base64)').fill(Buffer.from(CiphertextBlob!).toString('base64'));
    await guarded.page.getByRole('button', { name: 'Inspect' }).click();
    const result = guarded.page.locator('#inspect-result');
    await result.locator('table').waitFor(WAIT);
    const text = await result.innerText();
    expect(text).toContain(SEEDED_SECOND);
    expect(text).toContain(described.KeyMetadata!.CurrentKeyMaterialId!);
    expect(text).toContain(`${ACCOUNT_ID} · ${REGION}`);
    expect(text).toContain('alias/kmslite-secondary');
    expect(text).toContain('current material #2');
    expect(text).not.toContain('secret');
    await screenshot(guarded.page, 'tools', true);

    await guarded.page.getByLabel('Ciphertext (base64)').fill(Buffer.alloc(40, 9).toString('base64'));
    await guarded.page.getByRole('button', { name: 'Inspect' }).click();
    await result.getByText('Not a kmslite or local-kms symmetric ciphertext').waitFor(WAIT);
  });

  test('advancing the clock makes a pending deletion happen', async () => {
    const kms = kmsClient(running);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await open('');
    await guarded.page.locator(`#keys tbody tr.state-PendingDeletion[data-key-id="${keyId}"]`).waitFor(WAIT);

    await guarded.page.getByRole('link', { name: 'Tools' }).click();
    await guarded.page.getByRole('button', { name: '+7 days' }).click();
    await guarded.page.locator('#status', { hasText: 'Clock:' }).waitFor(WAIT);
    await guarded.page.getByRole('link', { name: 'Keys', exact: true }).click();
    await keyRow(SEEDED_DEFAULT).waitFor(WAIT);
    expect(await keyRow(keyId).count()).toBe(0);
    expect((await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })))).name).toBe('NotFoundException');
    expect(await guarded.page.locator('#clock').innerText()).toContain('d from real time');
  });

  test('reset to the seed removes what the SDK made and brings back the seeded keys', async () => {
    const kms = kmsClient(running);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new TagResourceCommand({ KeyId: SEEDED_DEFAULT, Tags: [{ TagKey: 'changed', TagValue: 'yes' }] }));
    await open('#/tools');
    await guarded.page.getByRole('button', { name: 'Reset to the seed…' }).click();
    await guarded.page.getByRole('button', { name: 'Yes, reset' }).click();
    await guarded.page.locator('#status', { hasText: 'Reset: 3 seeded keys' }).waitFor(WAIT);
    await guarded.page.getByRole('link', { name: 'Keys', exact: true }).click();
    await keyRow(SEEDED_DEFAULT).waitFor(WAIT);
    expect(await keyRow(keyId).count()).toBe(0);
    expect((await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })))).name).toBe('NotFoundException');
  });

  test('with access control: Activity names the statement that denied a call, and the access check gives the same answer', async () => {
    await guarded.close();
    await running.stop();
    const bob = {
      AccessKeyId: 'AKIABOBCONSOLE000000',
      SecretAccessKey: 'bob-secret',
      Arn: `arn:aws:iam::${ACCOUNT_ID}:user/bob`,
      Policies: [{ PolicyName: 'use-any-key', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }],
    };
    running = await startTestKmslite({ seedPath: BUNDLED_SEED_PATH, accessControl: 'enforce', principals: [bob] });
    guarded = await guardedPage(browser, running.endpoint);
    const admin = kmsClient(running);
    const keyId = (await admin.send(new CreateKeyCommand({
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'NoDecryptForBob', Effect: 'Deny', Principal: { AWS: bob.Arn }, Action: 'kms:Decrypt', Resource: '*' },
        ],
      }),
    }))).KeyMetadata!.KeyId!;
    const asBob = new KMSClient({ endpoint: running.endpoint, region: REGION, credentials: { accessKeyId: bob.AccessKeyId, secretAccessKey: bob.SecretAccessKey }, maxAttempts: 1 });
    const { CiphertextBlob } = await asBob.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('for bob') }));
    const refused = await errorOf(() => asBob.send(new DecryptCommand({ CiphertextBlob })));
    expect(refused.name).toBe('AccessDeniedException');
    asBob.destroy();

    await open('#/activity');
    // CloudTrail records the refusal as errorCode AccessDenied (docs/audit.md).
    const denied = guarded.page.locator('#activity tbody tr.failed', { hasText: 'AccessDenied' });
    await denied.waitFor(WAIT);
    expect(await denied.locator('.explain').innerText()).toContain('Denied by key policy, statement "NoDecryptForBob"');
    expect(await denied.innerText()).toContain(bob.Arn);
    await screenshot(guarded.page, 'activity-denied');

    // The key's page links to the access check, filled in with the key.
    await open(`#/key/${ACCOUNT_ID}/${REGION}/${keyId}`);
    await guarded.page.getByRole('link', { name: 'Check who can use this key' }).click();
    await guarded.page.getByLabel('Caller (access key id)').fill(bob.AccessKeyId);
    await guarded.page.getByLabel('Operation').fill('Decrypt');
    expect(await guarded.page.getByLabel('Key', { exact: true }).inputValue()).toBe(keyId);
    await guarded.page.getByRole('button', { name: 'Check' }).click();
    const result = guarded.page.locator('#access-result');
    await result.getByText('Denied (ExplicitDeny)').waitFor(WAIT);
    expect(await result.innerText()).toContain('key policy, statement "NoDecryptForBob"');
    await screenshot(guarded.page, 'tools-access');
    await guarded.page.getByLabel('Operation').fill('Encrypt');
    await guarded.page.getByRole('button', { name: 'Check' }).click();
    await result.getByText('Allowed').waitFor(WAIT);
  });
});
