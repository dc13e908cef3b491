/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations and
 * automatic rotation as time passes, through the SDK.
 * Sources: aws-recorded-scenarios.md (GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations rows and the
 * AWS-validated facts), aws-kms-wire.md §7, §11 and Appendix B, the API reference of each operation and the
 * developer guide "Rotate AWS KMS keys" / "Resource quotas" (on-demand quota 25).
 */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, ON_DEMAND_ROTATION_MS, REGION, advanceClock, errorOf, kmsClient, rawRequest as signedRequest, useKmslite, expectRejected, expectBareError, keyArnOf, keyLookupCases, createKeyInState, createKey, kms, running, expectWireError } from '../helpers/fixture.js';
import { DAY_MS } from '../../src/util/clock.js';
import { buildKey } from '../../src/kms/newKey.js';

let foreign: KMSClient;
const FOREIGN_ACCOUNT = '444455556666';

useKmslite(() => {
  // A 12-digit access key id is that account (ARCHITECTURE.md, Identity and regions).
  foreign = kmsClient(running, REGION, { accessKeyId: FOREIGN_ACCOUNT, secretAccessKey: 'any' });
});

/**
 * Moves kmslite's clock (lazy deletion and rotation follow it). SigV4 date windows are checked against real
 * time (pipeline.ts), so the SDK keeps signing with its own clock.
 */
function advance(ms: number) {
  running.kmslite.clock.advance(ms);
}

/** RotateKeyOnDemand, then the time AWS would take to finish it in the background (kmslite: one minute). */
async function rotateOnDemand(keyId: string) {
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
  await advanceClock(running, ON_DEMAND_ROTATION_MS);
}

/** A raw signed request, for exact wire bodies. */
function rawRequest(operation: string, body: unknown) {
  return signedRequest(running, operation, body);
}

const now = () => running.kmslite.clock.now();
/**
 * An RSA_4096 ENCRYPT_DECRYPT key, put straight into the store: CreateKey does not make asymmetric keys yet.
 * Its metadata follows aws-kms-wire.md §9 (no CurrentKeyMaterialId).
 */
function asymmetricKey(state: 'Enabled' | 'Disabled' = 'Enabled'): string {
  const store = running.kmslite.stores.get(ACCOUNT_ID, REGION);
  const record = buildKey(store, { keyId: randomUUID(), materials: [], creationDate: new Date(now()) });
  Object.assign(record.metadata, {
    KeySpec: 'RSA_4096',
    CustomerMasterKeySpec: 'RSA_4096',
    EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    KeyState: state,
    Enabled: state === 'Enabled',
  });
  delete record.metadata.CurrentKeyMaterialId;
  store.putKey(record);
  return record.metadata.KeyId;
}

async function status(keyId: string) {
  return kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
}

async function currentMaterialOf(keyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId!;
}

async function rotations(keyId: string, include?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY') {
  return (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, IncludeKeyMaterial: include }))).Rotations!;
}

describe('EnableKeyRotation', () => {
  describe('validation', () => {
    test('RotationPeriodInDays below 90 → Coral ValidationException; nothing changes', async () => {
      const key = await createKey(kms);
      await expectRejected(
        () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 89 })),
        'ValidationException',
        "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
      );
      expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(false);
    });

    test('RotationPeriodInDays above 2560 → Coral ValidationException', async () => {
      const key = await createKey(kms);
      await expectRejected(
        () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 2561 })),
        'ValidationException',
        "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560",
      );
    });

    keyLookupCases((keyId) => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('default period 365: status shows it and NextRotationDate one period after the enable date; empty response', async () => {
      const key = await createKey(kms);
      const before = now();
      const response = await rawRequest('EnableKeyRotation', { KeyId: key.KeyId });
      const after = now();
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const result = await status(key.KeyId!);
      expect(result.KeyId).toBe(key.Arn);
      expect(result.KeyRotationEnabled).toBe(true);
      expect(result.RotationPeriodInDays).toBe(365);
      expect(result.NextRotationDate!.getTime()).toBeGreaterThanOrEqual(before + 365 * DAY_MS - 1);
      expect(result.NextRotationDate!.getTime()).toBeLessThanOrEqual(after + 365 * DAY_MS + 1);
      expect(result.OnDemandRotationStartDate).toBeUndefined();
    });

    test.each([90, 180, 2560])('a custom period of %i days (by key ARN)', async (days) => {
      const key = await createKey(kms);
      const before = now();
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.Arn, RotationPeriodInDays: days }));
      const result = await status(key.KeyId!);
      expect(result.RotationPeriodInDays).toBe(days);
      expect(result.NextRotationDate!.getTime() - before).toBeGreaterThanOrEqual(days * DAY_MS - 1);
      expect(result.NextRotationDate!.getTime() - before).toBeLessThan(days * DAY_MS + 60_000);
    });

    test('enabling again with the same period keeps the schedule (idempotent)', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 200 }));
      const first = (await status(key.KeyId!)).NextRotationDate!.getTime();
      advance(DAY_MS);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 200 }));
      expect((await status(key.KeyId!)).NextRotationDate!.getTime()).toBe(first);
    });

    test('a new period while enabled counts from the same anchor (the enable date)', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 365 }));
      const anchor = (await status(key.KeyId!)).NextRotationDate!.getTime() - 365 * DAY_MS;
      advance(10 * DAY_MS);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 180 }));
      const result = await status(key.KeyId!);
      expect(result.RotationPeriodInDays).toBe(180);
      expect(result.NextRotationDate!.getTime()).toBe(anchor + 180 * DAY_MS);
      expect(await rotations(key.KeyId!)).toEqual([]);
    });

    test('a shorter period whose date has already passed rotates at once and schedules one period from now', async () => {
      const key = await createKey(kms);
      const original = await currentMaterialOf(key.KeyId!);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 365 }));
      advance(100 * DAY_MS);
      const before = now();
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      const after = now();
      const listed = await rotations(key.KeyId!);
      expect(listed).toHaveLength(1);
      expect(listed[0]!.RotationType).toBe('AUTOMATIC');
      expect(listed[0]!.RotationDate!.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(listed[0]!.RotationDate!.getTime()).toBeLessThanOrEqual(after + 1);
      expect(await currentMaterialOf(key.KeyId!)).not.toBe(original);
      const next = (await status(key.KeyId!)).NextRotationDate!.getTime();
      expect(next).toBe(listed[0]!.RotationDate!.getTime() + 90 * DAY_MS);
    });

    test('Disabled key → DisabledException; the setting does not change', async () => {
      const keyId = await createKeyInState(kms, 'Disabled');
      await expectRejected(() => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'DisabledException', `${keyArnOf(keyId)} is disabled.`);
      expect((await status(keyId)).KeyRotationEnabled).toBe(false);
    });

    test('PendingDeletion key → KMSInvalidStateException "is pending deletion."', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await expectRejected(() => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending deletion.`);
    });

    test('PendingImport (Origin EXTERNAL) → UnsupportedOperationException "origin is EXTERNAL …"', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(
        () => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
        'UnsupportedOperationException',
        `${keyArnOf(keyId)} origin is EXTERNAL which is not valid for this operation.`,
      );
    });

    test('an asymmetric key → UnsupportedOperationException without a message', async () => {
      const keyId = asymmetricKey();
      const error = await errorOf(() => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })));
      expect(error.name).toBe('UnsupportedOperationException');
      await expectBareError(running, 'EnableKeyRotation', { KeyId: keyId }, 'UnsupportedOperationException');
    });

    test('a disabled asymmetric key → DisabledException (key state is checked first)', async () => {
      const keyId = asymmetricKey('Disabled');
      await expectRejected(() => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'DisabledException', `${keyArnOf(keyId)} is disabled.`);
    });
  });
});

describe('DisableKeyRotation', () => {
  describe('validation', () => {
    test('KeyId is required', async () => {
      await expectWireError(running, 'DisableKeyRotation', {}, 'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    });

    keyLookupCases((keyId) => kms.send(new DisableKeyRotationCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('turns rotation off: status shows only KeyId and KeyRotationEnabled (AWS-recorded shape)', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      const response = await rawRequest('DisableKeyRotation', { KeyId: key.Arn });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      const raw = await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId });
      expect(raw.json).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
    });

    test('is idempotent on a key whose rotation was never on', async () => {
      const key = await createKey(kms);
      await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
      await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
      expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(false);
    });

    test('a disabled rotation does not rotate; enabling again starts from the new enable date', async () => {
      const key = await createKey(kms);
      const material = await currentMaterialOf(key.KeyId!);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
      advance(100 * DAY_MS);
      expect(await currentMaterialOf(key.KeyId!)).toBe(material);
      expect(await rotations(key.KeyId!)).toEqual([]);
      const before = now();
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      expect(await rotations(key.KeyId!)).toEqual([]);
      const next = (await status(key.KeyId!)).NextRotationDate!.getTime();
      expect(next - before).toBeGreaterThanOrEqual(90 * DAY_MS - 1);
      expect(next - before).toBeLessThan(90 * DAY_MS + 60_000);
    });

    test('Disabled key → DisabledException; rotation stays on', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      await expectRejected(() => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })), 'DisabledException', `${key.Arn} is disabled.`);
      expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(true);
    });

    test('PendingDeletion key → KMSInvalidStateException "is pending deletion."', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      await expectRejected(() => kms.send(new DisableKeyRotationCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending deletion.`);
    });

    test('PendingImport (Origin EXTERNAL) → UnsupportedOperationException "origin is EXTERNAL …"', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(
        () => kms.send(new DisableKeyRotationCommand({ KeyId: keyId })),
        'UnsupportedOperationException',
        `${keyArnOf(keyId)} origin is EXTERNAL which is not valid for this operation.`,
      );
    });

    test('an asymmetric key → UnsupportedOperationException without a message', async () => {
      await expectBareError(running, 'DisableKeyRotation', { KeyId: asymmetricKey() }, 'UnsupportedOperationException');
    });
  });
});

describe('GetKeyRotationStatus', () => {
  describe('validation', () => {
    keyLookupCases((keyId) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));

    test('another account\'s key by bare id is looked up in the caller\'s account', async () => {
      const theirs = (await foreign.send(new CreateKeyCommand({}))).KeyMetadata!;
      await expectRejected(() => status(theirs.KeyId!), 'NotFoundException', `Key '${keyArnOf(theirs.KeyId!)}' does not exist`);
    });
  });

  describe('functionality', () => {
    test('a new key: exactly {KeyId: key ARN, KeyRotationEnabled: false}', async () => {
      const key = await createKey(kms);
      const raw = await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId });
      expect(raw.status).toBe(200);
      expect(raw.json).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
    });

    test('works cross-account by key ARN', async () => {
      const theirs = (await foreign.send(new CreateKeyCommand({}))).KeyMetadata!;
      expect(theirs.Arn).toBe(keyArnOf(theirs.KeyId!, REGION, FOREIGN_ACCOUNT));
      await foreign.send(new EnableKeyRotationCommand({ KeyId: theirs.KeyId, RotationPeriodInDays: 120 }));
      const result = await status(theirs.Arn!);
      expect(result.KeyId).toBe(theirs.Arn);
      expect(result.KeyRotationEnabled).toBe(true);
      expect(result.RotationPeriodInDays).toBe(120);
    });

    test('a Disabled key keeps reporting its setting', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 100 }));
      const next = (await status(key.KeyId!)).NextRotationDate!.getTime();
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      const result = await status(key.KeyId!);
      expect(result.KeyRotationEnabled).toBe(true);
      expect(result.RotationPeriodInDays).toBe(100);
      expect(result.NextRotationDate!.getTime()).toBe(next);
    });

    test('PendingDeletion reports false; after CancelKeyDeletion the setting is back', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 100 }));
      const next = (await status(key.KeyId!)).NextRotationDate!.getTime();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      expect((await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId })).json).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
      await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
      const result = await status(key.KeyId!);
      expect(result.KeyRotationEnabled).toBe(true);
      expect(result.RotationPeriodInDays).toBe(100);
      expect(result.NextRotationDate!.getTime()).toBe(next);
    });

    test('PendingImport (Origin EXTERNAL) → UnsupportedOperationException "origin is EXTERNAL …"', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(() => status(keyId), 'UnsupportedOperationException', `${keyArnOf(keyId)} origin is EXTERNAL which is not valid for this operation.`);
    });

    test('an asymmetric key reports {KeyId, KeyRotationEnabled: false}', async () => {
      const keyId = asymmetricKey();
      expect((await rawRequest('GetKeyRotationStatus', { KeyId: keyId })).json).toEqual({ KeyId: keyArnOf(keyId), KeyRotationEnabled: false });
    });
  });
});

describe('RotateKeyOnDemand', () => {
  describe('validation', () => {
    keyLookupCases((keyId) => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('response {KeyId: key ARN} (by bare id); the new material is current once the rotation completes; old ciphertexts still decrypt', async () => {
      const key = await createKey(kms);
      const before = await currentMaterialOf(key.KeyId!);
      const sealed = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('before rotation') }));

      const response = await rawRequest('RotateKeyOnDemand', { KeyId: key.KeyId });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ KeyId: key.Arn });
      // In progress: the old material is still current, and encrypts.
      expect(await currentMaterialOf(key.KeyId!)).toBe(before);
      const during = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('during rotation') }));
      expect((await kms.send(new DecryptCommand({ CiphertextBlob: during.CiphertextBlob }))).KeyMaterialId).toBe(before);
      await advanceClock(running, ON_DEMAND_ROTATION_MS);

      const after = await currentMaterialOf(key.KeyId!);
      expect(after).toMatch(/^[0-9a-f]{64}$/);
      expect(after).not.toBe(before);
      const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe('before rotation');
      expect(opened.KeyMaterialId).toBe(before);

      const fresh = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('after rotation') }));
      expect(Buffer.from(fresh.CiphertextBlob!).equals(Buffer.from(sealed.CiphertextBlob!))).toBe(false);
      const reopened = await kms.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }));
      expect(reopened.KeyMaterialId).toBe(after);
    });

    test('automatic rotation off: OnDemandRotationStartDate while in progress (AWS-recorded), then only KeyId and KeyRotationEnabled', async () => {
      const key = await createKey(kms);
      const started = Math.floor(now() / 1000);
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
      const during = (await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId })).json;
      expect(Object.keys(during).sort()).toEqual(['KeyId', 'KeyRotationEnabled', 'OnDemandRotationStartDate']);
      expect(during).toMatchObject({ KeyId: key.Arn, KeyRotationEnabled: false });
      expect(Math.floor(during.OnDemandRotationStartDate)).toBeGreaterThanOrEqual(started);
      expect(during.OnDemandRotationStartDate).toBeLessThanOrEqual(now() / 1000);
      // Still in progress a second before the minute is up; done at the minute.
      await advanceClock(running, ON_DEMAND_ROTATION_MS - 1000);
      expect((await status(key.KeyId!)).OnDemandRotationStartDate).toBeInstanceOf(Date);
      expect(await rotations(key.KeyId!)).toEqual([]);
      await advanceClock(running, 1000);
      expect((await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId })).json).toEqual({ KeyId: key.Arn, KeyRotationEnabled: false });
      const listed = await rotations(key.KeyId!);
      expect(listed).toHaveLength(1);
      // Dated when it completed: the start plus one minute.
      expect(listed[0]!.RotationDate!.getTime()).toBe(Math.round(during.OnDemandRotationStartDate * 1000) + ON_DEMAND_ROTATION_MS);
    });

    test('a second RotateKeyOnDemand while the first is in progress → ConflictException; it succeeds once the first completed', async () => {
      const key = await createKey(kms);
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      await expectRejected(
        () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
        'ConflictException',
        `A key rotation is already in progress for the key: ${key.Arn}.`,
      );
      await advanceClock(running, ON_DEMAND_ROTATION_MS);
      await rotateOnDemand(key.KeyId!);
      expect(await rotations(key.KeyId!)).toHaveLength(2);
    });

    test('an automatic rotation due within 20 minutes → ConflictException (API reference)', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
      advance(90 * DAY_MS - 19 * 60_000);
      await expectRejected(
        () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
        'ConflictException',
        `An automatic key rotation is scheduled to begin within the next 20 minutes for the key: ${key.Arn}.`,
      );
      expect((await status(key.KeyId!)).OnDemandRotationStartDate).toBeUndefined();
    });

    test('automatic rotation on: NextRotationDate and the period do not move', async () => {
      const key = await createKey(kms);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
      const before = await status(key.KeyId!);
      advance(5 * DAY_MS);
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      const during = (await rawRequest('GetKeyRotationStatus', { KeyId: key.KeyId })).json;
      // AWS-recorded members while in progress with automatic rotation on.
      expect(Object.keys(during).sort()).toEqual(['KeyId', 'KeyRotationEnabled', 'NextRotationDate', 'OnDemandRotationStartDate', 'RotationPeriodInDays']);
      await advanceClock(running, ON_DEMAND_ROTATION_MS);
      const after = await status(key.KeyId!);
      expect(after.KeyRotationEnabled).toBe(true);
      expect(after.RotationPeriodInDays).toBe(365);
      expect(after.NextRotationDate!.getTime()).toBe(before.NextRotationDate!.getTime());
      expect(after.OnDemandRotationStartDate).toBeUndefined();
    });

    test('quota: 25 on-demand rotations succeed, the 26th → LimitExceededException and changes nothing', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 25; i++) await rotateOnDemand(key.KeyId!);
      const current = await currentMaterialOf(key.KeyId!);
      await expectRejected(
        () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
        'LimitExceededException',
        `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.Arn}`,
      );
      expect(await currentMaterialOf(key.KeyId!)).toBe(current);
      expect(await rotations(key.KeyId!)).toHaveLength(25);
    });

    test('Disabled key → DisabledException', async () => {
      const keyId = await createKeyInState(kms, 'Disabled');
      await expectRejected(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'DisabledException', `${keyArnOf(keyId)} is disabled.`);
    });

    test('a disabled RSA_4096 key → DisabledException (state before key spec, AWS-recorded)', async () => {
      const keyId = asymmetricKey('Disabled');
      await expectRejected(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'DisabledException', `${keyArnOf(keyId)} is disabled.`);
    });

    test('an enabled RSA_4096 key → UnsupportedOperationException with no message (AWS-recorded)', async () => {
      const keyId = asymmetricKey();
      const error = await errorOf(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })));
      expect(error.name).toBe('UnsupportedOperationException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      await expectBareError(running, 'RotateKeyOnDemand', { KeyId: keyId }, 'UnsupportedOperationException');
    });

    test('PendingImport (EXTERNAL, no material) → KMSInvalidStateException "is pending import." (AWS-recorded)', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      await expectRejected(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending import.`);
    });

    test('PendingDeletion → KMSInvalidStateException "is pending deletion."; no rotation happens', async () => {
      const keyId = await createKeyInState(kms, 'PendingDeletion');
      const material = await currentMaterialOf(keyId);
      await expectRejected(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${keyArnOf(keyId)} is pending deletion.`);
      expect(await currentMaterialOf(keyId)).toBe(material);
    });
  });
});

describe('ListKeyRotations', () => {
  describe('validation', () => {
    test('IncludeKeyMaterial outside the enum → ValidationException (AWS-recorded text)', async () => {
      const key = await createKey(kms);
      await expectWireError(running, 'ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'INVALID_VALUE' }, 'ValidationException',
        "1 validation error detected: Value 'INVALID_VALUE' at 'includeKeyMaterial' failed to satisfy constraint: Member must satisfy enum value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]");
    });

    test.each([
      [0, 'greater than or equal to 1'],
      [1001, 'less than or equal to 1000'],
    ])('Limit %i → Coral ValidationException', async (limit, bound) => {
      const key = await createKey(kms);
      await expectRejected(
        () => kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, Limit: limit })),
        'ValidationException',
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${bound}`,
      );
    });

    test('a marker kmslite did not issue → InvalidMarkerException', async () => {
      const key = await createKey(kms);
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      await expectRejected(() => kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, Marker: 'bogus' })), 'InvalidMarkerException', 'Invalid marker');
    });

    test('IncludeKeyMaterial on an asymmetric key → ValidationException (AWS-recorded)', async () => {
      const keyId = asymmetricKey();
      for (const include of ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] as const) {
        await expectRejected(
          () => kms.send(new ListKeyRotationsCommand({ KeyId: keyId, IncludeKeyMaterial: include })),
          'ValidationException',
          'Input parameter includeKeyMaterial can only be used with symmetric keys.',
        );
      }
    });

    test('an asymmetric key without IncludeKeyMaterial → UnsupportedOperationException without a message', async () => {
      await expectBareError(running, 'ListKeyRotations', { KeyId: asymmetricKey() }, 'UnsupportedOperationException');
    });

    keyLookupCases((keyId) => kms.send(new ListKeyRotationsCommand({ KeyId: keyId })));
  });

  describe('functionality', () => {
    test('a new key: no rotations; ALL_KEY_MATERIAL shows its first material as CURRENT without rotation fields', async () => {
      const key = await createKey(kms);
      expect((await rawRequest('ListKeyRotations', { KeyId: key.KeyId })).json).toEqual({ Rotations: [], Truncated: false });
      expect((await rawRequest('ListKeyRotations', { KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).json).toEqual({
        Rotations: [{ KeyId: key.KeyId, KeyMaterialId: key.CurrentKeyMaterialId, KeyMaterialState: 'CURRENT' }],
        Truncated: false,
      });
    });

    test('after one on-demand rotation: [{CURRENT, ON_DEMAND}] by default and with ROTATIONS_ONLY; ALL_KEY_MATERIAL adds the first', async () => {
      const key = await createKey(kms);
      const before = now();
      await rotateOnDemand(key.KeyId!);
      const current = await currentMaterialOf(key.KeyId!);

      const byDefault = await rotations(key.KeyId!);
      expect(byDefault).toEqual([
        { KeyId: key.KeyId, KeyMaterialId: current, KeyMaterialState: 'CURRENT', RotationDate: expect.any(Date), RotationType: 'ON_DEMAND' },
      ]);
      expect(byDefault[0]!.RotationDate!.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(await rotations(key.KeyId!, 'ROTATIONS_ONLY')).toEqual(byDefault);
      expect(await rotations(key.KeyId!, 'ALL_KEY_MATERIAL')).toEqual([
        { KeyId: key.KeyId, KeyMaterialId: key.CurrentKeyMaterialId, KeyMaterialState: 'NON_CURRENT' },
        byDefault[0],
      ]);
    });

    test('ALL_KEY_MATERIAL after 3 rotations, oldest first: {NON_CURRENT}, 2 × {NON_CURRENT, ON_DEMAND}, {CURRENT, ON_DEMAND}', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 3; i++) await rotateOnDemand(key.KeyId!);
      const listed = await rotations(key.KeyId!, 'ALL_KEY_MATERIAL');
      expect(listed.map((entry) => [entry.KeyMaterialState, entry.RotationType])).toEqual([
        ['NON_CURRENT', undefined],
        ['NON_CURRENT', 'ON_DEMAND'],
        ['NON_CURRENT', 'ON_DEMAND'],
        ['CURRENT', 'ON_DEMAND'],
      ]);
      expect(listed[0]!.KeyMaterialId).toBe(key.CurrentKeyMaterialId);
      expect(listed[0]!.RotationDate).toBeUndefined();
      expect(listed[3]!.KeyMaterialId).toBe(await currentMaterialOf(key.KeyId!));
      expect(new Set(listed.map((entry) => entry.KeyMaterialId)).size).toBe(4);
      expect(listed.every((entry) => entry.KeyId === key.KeyId)).toBe(true);
    });

    test.each(['Disabled', 'PendingDeletion'] as const)('works on a %s key (AWS-recorded)', async (state) => {
      const keyId = await createKeyInState(kms, state);
      const listed = await rotations(keyId, 'ALL_KEY_MATERIAL');
      expect(listed).toEqual([{ KeyId: keyId, KeyMaterialId: await currentMaterialOf(keyId), KeyMaterialState: 'CURRENT' }]);
    });

    test('a PendingImport key has no key material to list', async () => {
      const keyId = await createKeyInState(kms, 'PendingImport');
      expect(await rotations(keyId, 'ALL_KEY_MATERIAL')).toEqual([]);
      expect(await rotations(keyId)).toEqual([]);
    });

    test('pages with Limit and NextMarker; Truncated only while more remain', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 4; i++) await rotateOnDemand(key.KeyId!);
      const all = await rotations(key.KeyId!, 'ALL_KEY_MATERIAL');
      expect(all).toHaveLength(5);

      const seen: string[] = [];
      let marker: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 2, Marker: marker }));
        sizes.push(page.Rotations!.length);
        seen.push(...page.Rotations!.map((entry) => entry.KeyMaterialId!));
        expect(page.Truncated).toBe(page.NextMarker !== undefined);
        marker = page.NextMarker;
      } while (marker !== undefined);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(all.map((entry) => entry.KeyMaterialId));
    });
  });
});

describe('automatic rotation', () => {
  test('happens when due: new current material, old ciphertexts decrypt, an AUTOMATIC entry, the date moves one period on', async () => {
    const key = await createKey(kms);
    const original = key.CurrentKeyMaterialId!;
    const sealed = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('old secret') }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const due = (await status(key.KeyId!)).NextRotationDate!.getTime();

    advance(89 * DAY_MS);
    expect(await currentMaterialOf(key.KeyId!)).toBe(original);

    advance(2 * DAY_MS);
    const rotated = await currentMaterialOf(key.KeyId!);
    expect(rotated).not.toBe(original);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('old secret');
    expect(opened.KeyMaterialId).toBe(original);

    expect(await rotations(key.KeyId!)).toEqual([
      { KeyId: key.KeyId, KeyMaterialId: rotated, KeyMaterialState: 'CURRENT', RotationDate: new Date(due), RotationType: 'AUTOMATIC' },
    ]);
    const next = await status(key.KeyId!);
    expect(next.KeyRotationEnabled).toBe(true);
    expect(next.NextRotationDate!.getTime()).toBe(due + 90 * DAY_MS);
  });

  test('catches up on every period that passed, each rotation dated when it was due', async () => {
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const due = (await status(key.KeyId!)).NextRotationDate!.getTime();
    advance(3 * 90 * DAY_MS + DAY_MS);
    const listed = await rotations(key.KeyId!);
    expect(listed.map((entry) => entry.RotationDate!.getTime())).toEqual([due, due + 90 * DAY_MS, due + 180 * DAY_MS]);
    expect(listed.map((entry) => entry.KeyMaterialState)).toEqual(['NON_CURRENT', 'NON_CURRENT', 'CURRENT']);
    expect((await status(key.KeyId!)).NextRotationDate!.getTime()).toBe(due + 270 * DAY_MS);
  });

  test('a disabled key does not rotate; re-enabled past its date it rotates at once, then every period', async () => {
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    advance(200 * DAY_MS);
    expect(await rotations(key.KeyId!)).toEqual([]);
    expect(await currentMaterialOf(key.KeyId!)).toBe(key.CurrentKeyMaterialId);
    expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(true);

    const before = now();
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    const listed = await rotations(key.KeyId!);
    expect(listed).toHaveLength(1);
    expect(listed[0]!.RotationType).toBe('AUTOMATIC');
    const rotatedAt = listed[0]!.RotationDate!.getTime();
    expect(rotatedAt).toBeGreaterThanOrEqual(before - 1);
    expect((await status(key.KeyId!)).NextRotationDate!.getTime()).toBe(rotatedAt + 90 * DAY_MS);
  });

  test('a key re-enabled before its date keeps its original schedule', async () => {
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const due = (await status(key.KeyId!)).NextRotationDate!.getTime();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    advance(30 * DAY_MS);
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    expect(await rotations(key.KeyId!)).toEqual([]);
    expect((await status(key.KeyId!)).NextRotationDate!.getTime()).toBe(due);
  });

  test('a key pending deletion does not rotate; canceled and re-enabled past its date it rotates at once', async () => {
    const key = await createKey(kms);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    advance(80 * DAY_MS);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 30 }));
    advance(20 * DAY_MS);
    expect(await rotations(key.KeyId!)).toEqual([]);
    expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(false);

    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    expect(await rotations(key.KeyId!)).toEqual([]);
    expect((await status(key.KeyId!)).KeyRotationEnabled).toBe(true);
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    const listed = await rotations(key.KeyId!);
    expect(listed.map((entry) => entry.RotationType)).toEqual(['AUTOMATIC']);
  });
});

describe('rotation settings of keys that never changed them (one shared frozen object, src/store/records.ts)', () => {
  test("a change to one key's settings leaves every other key's as they were", async () => {
    const [first, second, third] = [await createKey(kms), await createKey(kms), await createKey(kms)];
    await kms.send(new EnableKeyRotationCommand({ KeyId: first.KeyId, RotationPeriodInDays: 90 }));
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: second.KeyId }));
    await kms.send(new DisableKeyRotationCommand({ KeyId: third.KeyId }));
    const status = async (keyId: string) => {
      const { KeyRotationEnabled, RotationPeriodInDays, OnDemandRotationStartDate } = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      return { KeyRotationEnabled, RotationPeriodInDays, OnDemandRotationStartDate: OnDemandRotationStartDate !== undefined };
    };
    expect(await status(first.KeyId!)).toEqual({ KeyRotationEnabled: true, RotationPeriodInDays: 90, OnDemandRotationStartDate: false });
    expect(await status(second.KeyId!)).toEqual({ KeyRotationEnabled: false, RotationPeriodInDays: undefined, OnDemandRotationStartDate: true });
    expect(await status(third.KeyId!)).toEqual({ KeyRotationEnabled: false, RotationPeriodInDays: undefined, OnDemandRotationStartDate: false });
    const untouched = await createKey(kms);
    expect(await status(untouched.KeyId!)).toEqual({ KeyRotationEnabled: false, RotationPeriodInDays: undefined, OnDemandRotationStartDate: false });
  });

  test('a new key holds the frozen default; a change made to it in place throws instead of reaching other keys', () => {
    const store = running.kmslite.stores.get(ACCOUNT_ID, REGION);
    const key = buildKey(store, { keyId: randomUUID(), materials: [], origin: 'EXTERNAL', creationDate: new Date() });
    expect(Object.isFrozen(key.rotation)).toBe(true);
    expect(() => {
      key.rotation.onDemandRotations++;
    }).toThrow(TypeError);
  });
});
