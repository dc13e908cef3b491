/**
 * EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, UpdateKeyDescription through the SDK.
 * Sources: aws-kms-wire.md §7 and Appendix B (key state × operation), aws-recorded-scenarios.md
 * ("Facts from AWS-validated assertion tests": DisableKey/EnableKey, ScheduleKeyDeletion, CancelKeyDeletion,
 * UpdateKeyDescription).
 */
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { ACCOUNT_ID, REGION, rawRequest as signedRequest, useKmslite, expectRejected, keyArnOf, keyLookupCases, createKeyInState, createKey, kms, running, expectWireError } from '../helpers/fixture.js';
import { DAY_MS } from '../../src/util/clock.js';
import { ownAliasNames } from '../../src/store/records.js';

useKmslite();

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

async function metadataOf(keyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

describe('EnableKey', () => {
  describe('validation', () => {
    test('KeyId is required (Coral message)', async () => {
      await expectWireError(running, 'EnableKey', {}, 'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    });

    keyLookupCases((keyId) => kms.send(new EnableKeyCommand({ KeyId: keyId })), { createKey: () => createKey(kms) });
  });

  describe('functionality', () => {
    test('Disabled → Enabled; Enabled is true only when KeyState is Enabled; the response is empty', async () => {
      const keyId = await createKeyInState(kms, 'Disabled');
      const response = await rawRequest('EnableKey', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Enabled');
      expect(metadata.Enabled).toBe(true);
      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('usable again') }));
    });

    test('Enabled stays Enabled (idempotent), also by key ARN', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
      await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
      const metadata = await metadataOf(key.KeyId!);
      expect(metadata.KeyState).toBe('Enabled');
      expect(metadata.Enabled).toBe(true);
    });

    test('PendingDeletion → KMSInvalidStateException "is pending deletion." and the key stays pending', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await expectRejected(() => kms.send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending deletion.`);
      expect((await metadataOf(keyId)).KeyState).toBe('PendingDeletion');
    });

    test('PendingImport → KMSInvalidStateException "is pending import."', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(() => kms.send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending import.`);
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('PendingImport');
      expect(metadata.Enabled).toBe(false);
    });
  });
});

describe('DisableKey', () => {
  describe('validation', () => {
    keyLookupCases((keyId) => kms.send(new DisableKeyCommand({ KeyId: keyId })), { createKey: () => createKey(kms) });
  });

  describe('functionality', () => {
    test('Enabled → Disabled; cryptographic use then answers DisabledException; the response is empty', async () => {
      const keyId = await createKeyInState(kms, 'Enabled');
      const response = await rawRequest('DisableKey', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
      await expectRejected(
        () => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
        'DisabledException',
        `${keyArnOf(keyId)} is disabled.`,
      );
    });

    test('Disabled stays Disabled (idempotent)', async () => {
      const keyId = await createKeyInState(kms, 'Disabled');
      await kms.send(new DisableKeyCommand({ KeyId: keyArnOf(keyId) }));
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
    });

    test('PendingDeletion → KMSInvalidStateException "is pending deletion."', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await expectRejected(() => kms.send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending deletion.`);
    });

    test('PendingImport → KMSInvalidStateException "is pending import."', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(() => kms.send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending import.`);
      expect((await metadataOf(keyId)).KeyState).toBe('PendingImport');
    });
  });
});

describe('ScheduleKeyDeletion', () => {
  describe('validation', () => {
    test('PendingWindowInDays below 7 (the model allows 1) → Coral ValidationException', async () => {
      const key = await createKey(kms);
      await expectRejected(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 })),
        'ValidationException',
        "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
      );
      expect((await metadataOf(key.KeyId!)).KeyState).toBe('Enabled');
    });

    test('PendingWindowInDays above 30 → Coral ValidationException', async () => {
      const key = await createKey(kms);
      await expectRejected(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 31 })),
        'ValidationException',
        "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30",
      );
    });

    keyLookupCases((keyId) => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })), { createKey: () => createKey(kms) });
  });

  describe('functionality', () => {
    test('default window is 30 days: response KeyId (ARN), DeletionDate, KeyState, PendingWindowInDays', async () => {
      const key = await createKey(kms);
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
      const key = await createKey(kms);
      const before = running.kmslite.clock.now();
      const response = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn, PendingWindowInDays: 7 }));
      expect(response.PendingWindowInDays).toBe(7);
      expect(response.DeletionDate!.getTime() - before).toBeGreaterThanOrEqual(7 * DAY_MS - 1);
      expect(response.DeletionDate!.getTime() - before).toBeLessThan(7 * DAY_MS + 60_000);
    });

    test('Disabled and PendingImport keys can be scheduled for deletion', async () => {
      for (const state of ['Disabled', 'PendingImport'] as const) {
        const keyId = await createKeyInState(kms, state);
        const response = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 10 }));
        expect(response.KeyState).toBe('PendingDeletion');
        const metadata = await metadataOf(keyId);
        expect(metadata.KeyState).toBe('PendingDeletion');
        expect(metadata.Enabled).toBe(false);
      }
    });

    test('a key already pending deletion → KMSInvalidStateException; its DeletionDate does not move', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      const deletionDate = (await metadataOf(keyId)).DeletionDate!.getTime();
      await expectRejected(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 30 })),
        'KMSInvalidStateException',
        `${keyArnOf(keyId)} is pending deletion.`,
      );
      expect((await metadataOf(keyId)).DeletionDate!.getTime()).toBe(deletionDate);
    });

    test('a pending key refuses cryptographic use with KMSInvalidStateException', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await expectRejected(
        () => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
        'KMSInvalidStateException',
        `${keyArnOf(keyId)} is pending deletion.`,
      );
    });

    test('after the window the key is gone: DescribeKey NotFound, its aliases gone, ListKeys no longer shows it', async () => {
      const doomed = await createKey(kms);
      const survivor = await createKey(kms);
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
      await expectRejected(() => kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId })), 'NotFoundException', `Key '${doomed.Arn}' does not exist`);
      await expectRejected(
        () => kms.send(new DescribeKeyCommand({ KeyId: aliasName })),
        'NotFoundException',
        `Alias ${store.aliasArn(aliasName)} is not found.`,
      );
      expect(store.aliases.has(aliasName)).toBe(false);
      expect(store.keys.has(doomed.KeyId!)).toBe(false);
      await expectRejected(() => kms.send(new CancelKeyDeletionCommand({ KeyId: doomed.KeyId })), 'NotFoundException', `Key '${doomed.Arn}' does not exist`);

      const listed = await kms.send(new ListKeysCommand({ Limit: 1000 }));
      const ids = listed.Keys!.map((entry) => entry.KeyId);
      expect(ids).not.toContain(doomed.KeyId);
      expect(ids).toContain(survivor.KeyId);
    });

    test('ListKeys drops a key whose deletion date passed even if nothing looked at it', async () => {
      const key = await createKey(kms);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      expect((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((entry) => entry.KeyId)).toContain(key.KeyId);
      advance(8 * DAY_MS);
      expect((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((entry) => entry.KeyId)).not.toContain(key.KeyId);
    });
  });
});

describe('CancelKeyDeletion', () => {
  describe('validation', () => {
    keyLookupCases((keyId) => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })), { createKey: () => createKey(kms) });
  });

  describe('functionality', () => {
    test('PendingDeletion → Disabled (not re-enabled), DeletionDate removed; response KeyId is the ARN', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      const response = await rawRequest('CancelKeyDeletion', { KeyId: keyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ KeyId: keyArnOf(keyId) });
      const metadata = await metadataOf(keyId);
      expect(metadata.KeyState).toBe('Disabled');
      expect(metadata.Enabled).toBe(false);
      expect(metadata.DeletionDate).toBeUndefined();
      const raw = await rawRequest('DescribeKey', { KeyId: keyId });
      expect(raw.json.KeyMetadata).not.toHaveProperty('DeletionDate');
    });

    test('a canceled key is not deleted when its old date passes, and EnableKey brings it back', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await kms.send(new CancelKeyDeletionCommand({ KeyId: keyArnOf(keyId) }));
      advance(8 * DAY_MS);
      expect((await metadataOf(keyId)).KeyState).toBe('Disabled');
      await kms.send(new EnableKeyCommand({ KeyId: keyId }));
      expect((await metadataOf(keyId)).KeyState).toBe('Enabled');
    });

    test.each(['Enabled', 'Disabled', 'PendingImport'] as const)('%s → KMSInvalidStateException "is not pending deletion."', async (state) => {
      const keyId = await createKeyInState(kms, state);
      await expectRejected(
        () => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })),
        'KMSInvalidStateException',
        `${keyArnOf(keyId)} is not pending deletion.`,
      );
      expect((await metadataOf(keyId)).KeyState).toBe(state);
    });
  });
});

describe('UpdateKeyDescription', () => {
  describe('validation', () => {
    test('Description is required', async () => {
      const key = await createKey(kms);
      await expectWireError(running, 'UpdateKeyDescription', { KeyId: key.KeyId }, 'ValidationException',
        "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null");
    });

    test('Description longer than 8192 characters → Coral ValidationException', async () => {
      const key = await createKey(kms, { Description: 'kept' });
      const error = await expectRejected(
        () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'd'.repeat(8193) })),
        'ValidationException',
        `1 validation error detected: Value '${'d'.repeat(8193)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
      );
      expect(error).toBeDefined();
      expect((await metadataOf(key.KeyId!)).Description).toBe('kept');
    });

    keyLookupCases((keyId) => kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'x' })), { createKey: () => createKey(kms) });
  });

  describe('functionality', () => {
    test('sets the description (empty response); "" clears it', async () => {
      const key = await createKey(kms, { Description: 'old' });
      const response = await rawRequest('UpdateKeyDescription', { KeyId: key.KeyId, Description: 'new description' });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect((await metadataOf(key.KeyId!)).Description).toBe('new description');
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.Arn, Description: '' }));
      expect((await metadataOf(key.KeyId!)).Description).toBe('');
    });

    test.each(['Disabled', 'PendingImport'] as const)('works on a %s key', async (state) => {
      const keyId = await createKeyInState(kms, state);
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: `while ${state}` }));
      expect((await metadataOf(keyId)).Description).toBe(`while ${state}`);
    });

    test('PendingDeletion → KMSInvalidStateException; the description is unchanged', async () => {
      const key = await createKey(kms, { Description: 'before' });
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
      await expectRejected(
        () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'after' })),
        'KMSInvalidStateException',
        `${key.Arn} is pending deletion.`,
      );
      expect((await metadataOf(key.KeyId!)).Description).toBe('before');
    });
  });
});
