/**
 * Rotation changes on a multi-Region REPLICA key are refused: rotation is a shared property that only the
 * primary key controls (developer guide "Multi-Region keys"; API reference ReplicateKey: replicas have the same
 * "automatic key rotation status", synchronised from the primary). The error name and text are unconfirmed
 * (kmslite reuses the recorded ReplicateKey-on-a-replica text). The refused call changes nothing.
 */
import {
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { ACCOUNT_ID, ON_DEMAND_ROTATION_MS, advanceClock, errorOf, kmsClient, useKmslite, createMultiRegionKey, kms as kmsA, running } from '../helpers/fixture.js';

const REGION_B = 'ap-southeast-1';
let kmsB: KMSClient;

useKmslite(() => {
  kmsB = kmsClient(running, REGION_B);
});

async function replicatedKey(): Promise<string> {
  const keyId = (await createMultiRegionKey(kmsA)).KeyId!;
  await kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_B }));
  running.kmslite.clock.advance(10 * 60 * 1000); // the replica leaves Creating
  expect((await kmsB.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('Enabled');
  return keyId;
}

describe('rotation on a multi-Region replica key', () => {
  describe('validation', () => {
    test.each([
      ['RotateKeyOnDemand', (keyId: string) => new RotateKeyOnDemandCommand({ KeyId: keyId })],
      ['EnableKeyRotation', (keyId: string) => new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 })],
      ['DisableKeyRotation', (keyId: string) => new DisableKeyRotationCommand({ KeyId: keyId })],
    ] as const)('%s on the replica → UnsupportedOperationException, nothing changes', async (_op, command) => {
      const keyId = await replicatedKey();
      await kmsA.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 180 }));
      const before = await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      const material = (await kmsB.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
      const error = await errorOf(() => kmsB.send(command(keyId) as never));
      expect(error.name).toBe('UnsupportedOperationException');
      expect(error.message).toBe(`arn:aws:kms:${REGION_B}:${ACCOUNT_ID}:key/${keyId} is not a multi-region primary key.`);
      expect(error.$metadata.httpStatusCode).toBe(400);
      const after = await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      expect([after.KeyRotationEnabled, after.RotationPeriodInDays, after.NextRotationDate]).toEqual([
        before.KeyRotationEnabled,
        before.RotationPeriodInDays,
        before.NextRotationDate,
      ]);
      expect((await kmsB.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(material);
    });
  });

  describe('functionality', () => {
    test('the primary still rotates, enables and disables rotation for the whole set', async () => {
      const keyId = await replicatedKey();
      await kmsA.send(new EnableKeyRotationCommand({ KeyId: keyId }));
      expect((await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(true);
      await kmsA.send(new DisableKeyRotationCommand({ KeyId: keyId }));
      expect((await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
      const first = (await kmsB.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
      await kmsA.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      // The rotation in progress is the set's: the replica shows it too, and completes it when read first.
      expect((await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).OnDemandRotationStartDate).toBeInstanceOf(Date);
      await advanceClock(running, ON_DEMAND_ROTATION_MS);
      const second = (await kmsB.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
      expect(second).not.toBe(first);
      expect((await kmsA.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).OnDemandRotationStartDate).toBeUndefined();
    });
  });
});
