/**
 * EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, UpdateKeyDescription through the SDK.
 * Sources: aws-kms-wire.md §7 and Appendix B (key state × operation), aws-recorded-scenarios.md
 * ("Facts from AWS-validated assertion tests": DisableKey/EnableKey, ScheduleKeyDeletion, CancelKeyDeletion,
 * UpdateKeyDescription).
 */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, rawRequest as signedRequest, startTestKmslite } from '../helpers/kmslite.js';
import type { RunningKmslite } from '../../src/index.js';
import { DAY_MS } from '../../src/util/clock.js';
import { ownAliasNames } from '../../src/store/records.js';

let running: RunningKmslite;
let kms: KMSClient;

beforeAll(async () => {
  running = await startTestKmslite();
  kms = kmsClient(running);
});

afterAll(async () => {
  await running.stop();
});

/**
 * Moves kmslite's clock (lazy deletion and rotation follow it). SigV4 date windows are checked against real
 * time (pipeline.ts), so the SDK keeps signing with its own clock.
 */
function advance(ms: number) {
  running.kmslite.clock.advance(ms);
}

/** A raw signed request, for exact wire bodies. */
function rawRequest(operation: string, body: unknown) {
  return signedRequest(running, operation, body);
}

const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${keyId}`;

async function newKey(options: { Origin?: 'EXTERNAL'; Description?: string } = {}) {
  const created = await kms.send(new CreateKeyCommand(options));
  return created.KeyMetadata!;
}

async function metadataOf(keyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

/** A key in each state of Appendix B that kmslite can reach through the API. */
async function keyIn(state: 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport'): Promise<string> {
  const key = await newKey(state === 'PendingImport' ? { Origin: 'EXTERNAL' } : {});
  if (state === 'Disabled') await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  if (state === 'PendingDeletion') await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
  return key.KeyId!;
}

async function expectError(action: () => Promise<unknown>, name: string, message: string | undefined) {
  const error = await errorOf(action);
  expect(error.name).toBe(name);
  if (message === undefined) expect(error.message).toBe('UnknownError');
  else expect(error.message).toBe(message);
  expect(error.$metadata.httpStatusCode).toBe(400);
  return error;
}

/** Lookup failures shared by every operation of this file (resolveKey; AWS-recorded texts). */
function lookupCases(send: (keyId: string) => Promise<unknown>) {
  test('a malformed key id answers NotFoundException Invalid keyId', async () => {
    await expectError(() => send('not-a-key'), 'NotFoundException', "Invalid keyId 'not-a-key'");
  });

  test('an unknown key id answers NotFoundException with the key ARN', async () => {
    const keyId = '00000000-1111-2222-3333-444444444444';
    await expectError(() => send(keyId), 'NotFoundException', `Key '${arnOf(keyId)}' does not exist`);
  });

  test('a key ARN of another Region answers Invalid arn <region>', async () => {
    const key = await newKey();
    await expectError(() => send(key.Arn!.replace(REGION, 'us-west-1')), 'NotFoundException', 'Invalid arn us-west-1');
  });
}

describe('EnableKey', () => {
  describe('validation', () => {
    test('KeyId is required (Coral message)', async () => {
      const response = await rawRequest('EnableKey', {});
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      });
    });

    lookupCases((keyId) => kms.send(new EnableKeyCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('Disabled → Enabled; Enabled is true only when KeyState is Enabled; the response is empty', async () => {
      const keyId = await keyIn('Disabled');
      const response = await rawRequest('EnableKey', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Enabled');
      expect(metadata.Enabled).toBe(true);
      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('usable again') }));
    });

    test('Enabled stays Enabled (idempotent), also by key ARN', async () => {
      const key = await newKey();
      await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      const metadata = await metadataOf(key.KeyId!);
      expect(metadata.KeyState).toBe('Enabled');
      expect(metadata.Enabled).toBe(true);
    });

    test('PendingDeletion → KMSInvalidStateException "is pending deletion." and the key stays pending', async () => {
      const keyId = await keyIn('PendingDeletion');
      await expectError(() => kms.send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${arnOf(keyId)} is pending deletion.`);
      expect((await metadataOf(keyId)).KeyState).toBe('PendingDeletion');
    });

    test('PendingImport → KMSInvalidStateException "is pending import."', async () => {
      const keyId = await keyIn('PendingImport');
      await expectError(() => kms.send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${arnOf(keyId)} is pending import.`);
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('PendingImport');
      expect(metadata.Enabled).toBe(false);
    });
  });
});

describe('DisableKey', () => {
  describe('validation', () => {
    lookupCases((keyId) => kms.send(new DisableKeyCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('Enabled → Disabled; cryptographic use then answers DisabledException; the response is empty', async () => {
      const keyId = await keyIn('Enabled');
      const response = await rawRequest('DisableKey', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
      await expectError(
        () => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
        'DisabledException',
        `${arnOf(keyId)} is disabled.`,
      );
    });

    test('Disabled stays Disabled (idempotent)', async () => {
      const keyId = await keyIn('Disabled');
      await kms.send(new DisableKeyCommand({ KeyId: arnOf(keyId) }));
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
    });

    test('PendingDeletion → KMSInvalidStateException "is pending deletion."', async () => {
      const keyId = await keyIn('PendingDeletion');
      await expectError(() => kms.send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${arnOf(keyId)} is pending deletion.`);
    });

    test('PendingImport → KMSInvalidStateException "is pending import."', async () => {
      const keyId = await keyIn('PendingImport');
      await expectError(() => kms.send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${arnOf(keyId)} is pending import.`);
      expect((await metadataOf(keyId)).KeyState).toBe('PendingImport');
    });
  });
});

describe('ScheduleKeyDeletion', () => {
  describe('validation', () => {
    test('PendingWindowInDays below 7 (the model allows 1) → Coral ValidationException', async () => {
      const key = await newKey();
      await expectError(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 })),
        'ValidationException',
        "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
      );
      expect((await metadataOf(key.KeyId!)).KeyState).toBe('Enabled');
    });

    test('PendingWindowInDays above 30 → Coral ValidationException', async () => {
      const key = await newKey();
      await expectError(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 31 })),
        'ValidationException',
        "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30",
      );
    });

    lookupCases((keyId) => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('default window is 30 days: response KeyId (ARN), DeletionDate, KeyState, PendingWindowInDays', async () => {
      const key = await newKey();
      const before = running.kmslite.clock.now();
      const response = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
      const after = running.kmslite.clock.now();
      expect(response.KeyId).toBe(key.Arn);
      expect(response.KeyState).toBe('PendingDeletion');
      expect(response.PendingWindowInDays).toBe(30);
      expect(response.DeletionDate).toBeInstanceOf(Date);
      // Epoch seconds with fractions on the wire: allow for the millisecond rounding of the SDK's parsing.
      expect(response.DeletionDate!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 1);
      expect(response.DeletionDate!.getTime()).toBeLessThanOrEqual(after + 30 * DAY_MS + 1);

      const metadata = await metadataOf(key.KeyId!);
      expect(metadata.KeyState).toBe('PendingDeletion');
      expect(metadata.Enabled).toBe(false);
      expect(metadata.DeletionDate!.getTime()).toBe(response.DeletionDate!.getTime());
      expect(metadata.PendingDeletionWindowInDays).toBeUndefined();
    });

    test('an explicit window (by key ARN) sets DeletionDate that many days ahead', async () => {
      const key = await newKey();
      const before = running.kmslite.clock.now();
      const response = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn, PendingWindowInDays: 7 }));
      expect(response.PendingWindowInDays).toBe(7);
      expect(response.DeletionDate!.getTime() - before).toBeGreaterThanOrEqual(7 * DAY_MS - 1);
      expect(response.DeletionDate!.getTime() - before).toBeLessThan(7 * DAY_MS + 60_000);
    });

    test('Disabled and PendingImport keys can be scheduled for deletion', async () => {
      for (const state of ['Disabled', 'PendingImport'] as const) {
        const keyId = await keyIn(state);
        const response = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 10 }));
        expect(response.KeyState).toBe('PendingDeletion');
        const metadata = await metadataOf(keyId);
        expect(metadata.KeyState).toBe('PendingDeletion');
        expect(metadata.Enabled).toBe(false);
      }
    });

    test('a key already pending deletion → KMSInvalidStateException; its DeletionDate does not move', async () => {
      const keyId = await keyIn('PendingDeletion');
      const deletionDate = (await metadataOf(keyId)).DeletionDate!.getTime();
      await expectError(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 30 })),
        'KMSInvalidStateException',
        `${arnOf(keyId)} is pending deletion.`,
      );
      expect((await metadataOf(keyId)).DeletionDate!.getTime()).toBe(deletionDate);
    });

    test('a pending key refuses cryptographic use with KMSInvalidStateException', async () => {
      const keyId = await keyIn('PendingDeletion');
      await expectError(
        () => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
        'KMSInvalidStateException',
        `${arnOf(keyId)} is pending deletion.`,
      );
    });

    test('after the window the key is gone: DescribeKey NotFound, its aliases gone, ListKeys no longer shows it', async () => {
      const doomed = await newKey();
      const survivor = await newKey();
      const store = running.kmslite.stores.get(ACCOUNT_ID, REGION);
      // The alias goes straight into the store so this test does not depend on CreateAlias.
      const aliasName = `alias/doomed-${doomed.KeyId}`;
      const at = new Date(running.kmslite.clock.now());
      store.putAlias({ AliasName: aliasName, AliasArn: store.aliasArn(aliasName), TargetKeyId: doomed.KeyId!, CreationDate: at, LastUpdatedDate: at });
      // A key without aliases shares the empty alias set (src/store/records.ts): it takes its own first, as CreateAlias does.
      ownAliasNames(store.keys.get(doomed.KeyId!)!).add(aliasName);
      expect((await metadataOf(aliasName)).KeyId).toBe(doomed.KeyId);

      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
      advance(7 * DAY_MS - 60_000);
      expect((await metadataOf(doomed.KeyId!)).KeyState).toBe('PendingDeletion');

      advance(2 * 60_000);
      await expectError(() => kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId })), 'NotFoundException', `Key '${doomed.Arn}' does not exist`);
      await expectError(
        () => kms.send(new DescribeKeyCommand({ KeyId: aliasName })),
        'NotFoundException',
        `Alias ${store.aliasArn(aliasName)} is not found.`,
      );
      expect(store.aliases.has(aliasName)).toBe(false);
      expect(store.keys.has(doomed.KeyId!)).toBe(false);
      await expectError(() => kms.send(new CancelKeyDeletionCommand({ KeyId: doomed.KeyId })), 'NotFoundException', `Key '${doomed.Arn}' does not exist`);

      const listed = await kms.send(new ListKeysCommand({ Limit: 1000 }));
      const ids = listed.Keys!.map((entry) => entry.KeyId);
      expect(ids).not.toContain(doomed.KeyId);
      expect(ids).toContain(survivor.KeyId);
    });

    test('ListKeys drops a key whose deletion date passed even if nothing looked at it', async () => {
      const key = await newKey();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      expect((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((entry) => entry.KeyId)).toContain(key.KeyId);
      advance(8 * DAY_MS);
      expect((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((entry) => entry.KeyId)).not.toContain(key.KeyId);
    });
  });
});

describe('CancelKeyDeletion', () => {
  describe('validation', () => {
    lookupCases((keyId) => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('PendingDeletion → Disabled (not re-enabled), DeletionDate removed; response KeyId is the ARN', async () => {
      const keyId = await keyIn('PendingDeletion');
      const response = await rawRequest('CancelKeyDeletion', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ KeyId: arnOf(keyId) });
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
      expect(metadata.DeletionDate).toBeUndefined();
      const raw = await rawRequest('DescribeKey', { KeyId: keyId });
      expect(raw.json.KeyMetadata).not.toHaveProperty('DeletionDate');
    });

    test('a canceled key is not deleted when its old date passes, and EnableKey brings it back', async () => {
      const keyId = await keyIn('PendingDeletion');
      await kms.send(new CancelKeyDeletionCommand({ KeyId: arnOf(keyId) }));
      advance(8 * DAY_MS);
      expect((await metadataOf(keyId)).KeyState).toBe('Disabled');
      await kms.send(new EnableKeyCommand({ KeyId: keyId }));
      expect((await metadataOf(keyId)).KeyState).toBe('Enabled');
    });

    test.each(['Enabled', 'Disabled', 'PendingImport'] as const)('%s → KMSInvalidStateException "is not pending deletion."', async (state) => {
      const keyId = await keyIn(state);
      await expectError(
        () => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })),
        'KMSInvalidStateException',
        `${arnOf(keyId)} is not pending deletion.`,
      );
      expect((await metadataOf(keyId)).KeyState).toBe(state);
    });
  });
});

describe('UpdateKeyDescription', () => {
  describe('validation', () => {
    test('Description is required', async () => {
      const key = await newKey();
      const response = await rawRequest('UpdateKeyDescription', { KeyId: key.KeyId });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
      });
    });

    test('Description longer than 8192 characters → Coral ValidationException', async () => {
      const key = await newKey({ Description: 'kept' });
      const error = await expectError(
        () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'd'.repeat(8193) })),
        'ValidationException',
        `1 validation error detected: Value '${'d'.repeat(8193)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
      );
      expect(error).toBeDefined();
      expect((await metadataOf(key.KeyId!)).Description).toBe('kept');
    });

    lookupCases((keyId) => kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'x' })));
  });

  describe('functionality', () => {
    test('sets the description (empty response); "" clears it', async () => {
      const key = await newKey({ Description: 'old' });
      const response = await rawRequest('UpdateKeyDescription', { KeyId: key.KeyId, Description: 'new description' });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect((await metadataOf(key.KeyId!)).Description).toBe('new description');
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.Arn, Description: '' }));
      expect((await metadataOf(key.KeyId!)).Description).toBe('');
    });

    test.each(['Disabled', 'PendingImport'] as const)('works on a %s key', async (state) => {
      const keyId = await keyIn(state);
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: `while ${state}` }));
      expect((await metadataOf(keyId)).Description).toBe(`while ${state}`);
    });

    test('PendingDeletion → KMSInvalidStateException; the description is unchanged', async () => {
      const key = await newKey({ Description: 'before' });
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
      await expectError(
        () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'after' })),
        'KMSInvalidStateException',
        `${key.Arn} is pending deletion.`,
      );
      expect((await metadataOf(key.KeyId!)).Description).toBe('before');
    });
  });
});
