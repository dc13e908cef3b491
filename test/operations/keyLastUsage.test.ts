/**
 * GetKeyLastUsage through the SDK. Sources: API reference GetKeyLastUsage (response members, "empty object"
 * before any use, KeyId / key ARN input), developer guide "Determine past usage of a KMS key" (tracked
 * operations; examples with KeyId = bare key id and "KeyLastUsage": {} for an unused key). The last use comes
 * from the audit trail (src/audit/trail.ts); test/audit/lastUsage.test.ts covers its bookkeeping.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { errorOf, kmsClient, rawRequest, useKmslite, keyLookupCases, createKey, withKmslite, kms, running, expectWireError } from '../helpers/fixture.js';

useKmslite();

const now = () => running.kmslite.clock.now();

async function lastUsage(keyId: string) {
  return kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
}

describe('GetKeyLastUsage', () => {
  describe('validation', () => {
    test('KeyId is required (Coral message)', async () => {
      await expectWireError(running, 'GetKeyLastUsage', {}, 'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    });

    keyLookupCases(lastUsage, { createKey: () => createKey(kms), otherRegion: 'ap-south-1' });
  });

  describe('functionality', () => {
    test('an unused key: KeyId (bare id), KeyLastUsage {}, TrackingStartDate = KeyCreationDate = CreationDate', async () => {
      const key = await createKey(kms);
      const raw = await rawRequest(running, 'GetKeyLastUsage', { KeyId: key.KeyId });
      expect(raw.status).toBe(200);
      expect(raw.json).toEqual({
        KeyId: key.KeyId,
        KeyLastUsage: {},
        TrackingStartDate: expect.any(Number),
        KeyCreationDate: expect.any(Number),
      });
      const result = await lastUsage(key.Arn!);
      expect(result.KeyId).toBe(key.KeyId);
      expect(result.KeyLastUsage).toEqual({});
      expect(result.KeyCreationDate!.getTime()).toBe(key.CreationDate!.getTime());
      expect(result.TrackingStartDate!.getTime()).toBe(key.CreationDate!.getTime());
    });

    test('after Encrypt: Operation Encrypt, KmsRequestId = the Encrypt request id, Timestamp of that request, CloudTrailEventId', async () => {
      const key = await createKey(kms);
      const before = now();
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('tracked') }));
      const after = now();
      const result = await lastUsage(key.KeyId!);
      expect(result.KeyId).toBe(key.KeyId);
      expect(result.KeyLastUsage).toEqual({
        Operation: 'Encrypt',
        Timestamp: expect.any(Date),
        CloudTrailEventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        KmsRequestId: encrypted.$metadata.requestId,
      });
      expect(encrypted.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.KeyLastUsage!.Timestamp!.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(result.KeyLastUsage!.Timestamp!.getTime()).toBeLessThanOrEqual(after + 1);
      // The event id is the eventID of the Encrypt request's audit event (test/audit has the cross-check).
      const events = running.kmslite.audit.query({ operation: 'Encrypt', keyId: key.KeyId! });
      expect(events.map((event) => event.eventID)).toEqual([result.KeyLastUsage!.CloudTrailEventId]);
      expect(events[0]!.requestID).toBe(encrypted.$metadata.requestId);
    });

    test('each tracked operation replaces the last one: Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext', async () => {
      const key = await createKey(kms);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      let result = await lastUsage(key.KeyId!);
      expect(result.KeyLastUsage!.Operation).toBe('Decrypt');
      expect(result.KeyLastUsage!.KmsRequestId).toBe(decrypted.$metadata.requestId);

      const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
      result = await lastUsage(key.KeyId!);
      expect(result.KeyLastUsage!.Operation).toBe('GenerateDataKey');
      expect(result.KeyLastUsage!.KmsRequestId).toBe(generated.$metadata.requestId);

      const withoutPlaintext = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, NumberOfBytes: 16 }));
      result = await lastUsage(key.KeyId!);
      expect(result.KeyLastUsage!.Operation).toBe('GenerateDataKeyWithoutPlaintext');
      expect(result.KeyLastUsage!.KmsRequestId).toBe(withoutPlaintext.$metadata.requestId);
    });

    test('ReEncrypt is recorded on both the source and the destination key', async () => {
      const source = await createKey(kms);
      const destination = await createKey(kms);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: source.KeyId, Plaintext: Buffer.from('moving') }));
      const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: destination.KeyId }));
      for (const key of [source, destination]) {
        const result = await lastUsage(key.KeyId!);
        expect(result.KeyLastUsage!.Operation).toBe('ReEncrypt');
        expect(result.KeyLastUsage!.KmsRequestId).toBe(moved.$metadata.requestId);
      }
    });

    test('management operations and failed cryptographic requests do not count', async () => {
      const key = await createKey(kms);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
      await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'changed' }));
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
      const failed = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { wrong: 'context' } })),
      );
      expect(failed.name).toBe('InvalidCiphertextException');
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      const refused = await errorOf(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })));
      expect(refused.name).toBe('DisabledException');

      const result = await lastUsage(key.KeyId!);
      expect(result.KeyLastUsage!.Operation).toBe('Encrypt');
      expect(result.KeyLastUsage!.KmsRequestId).toBe(encrypted.$metadata.requestId);
    });

    test('every key state is accepted: Disabled, PendingDeletion, PendingImport', async () => {
      const disabled = await createKey(kms);
      await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
      const pending = await createKey(kms);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.KeyId, PendingWindowInDays: 7 }));
      const external = await createKey(kms, { Origin: 'EXTERNAL' });
      for (const key of [disabled, pending, external]) {
        const result = await lastUsage(key.KeyId!);
        expect(result.KeyId).toBe(key.KeyId);
        expect(result.KeyLastUsage).toEqual({});
        expect(result.KeyCreationDate!.getTime()).toBe(key.CreationDate!.getTime());
      }
    });
  });
});

describe('GetKeyLastUsage identifiers', () => {
  test('aliases are not supported (API reference: "Alias names are not supported")', async () => {
    await withKmslite({}, async (running) => {
      const kms = kmsClient(running);
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/usage', TargetKeyId: key.KeyId! }));
      const error = await errorOf(() => kms.send(new GetKeyLastUsageCommand({ KeyId: 'alias/usage' })));
      expect([error.name, error.message]).toEqual(['NotFoundException', "Invalid keyId 'alias/usage'"]);
      const byArn = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.Arn! }));
      expect(byArn.KeyId).toBe(key.KeyId);
    });
  });
});
