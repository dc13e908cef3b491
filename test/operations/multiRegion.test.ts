/**
 * Multi-Region keys through the SDK, with clients in two (and three) Regions: ReplicateKey, DescribeKey's
 * MultiRegionConfiguration on both sides, cross-Region Encrypt/Decrypt, Sign/Verify and GenerateMac, rotation
 * shared through the primary, UpdatePrimaryRegion, ScheduleKeyDeletion of a primary with replicas
 * (PendingReplicaDeletion) and the error cases.
 * Sources: aws-recorded-scenarios.md (ReplicateKey section, DescribeKey rows test_replicate_key, AWS-validated
 * facts CreateKey MultiRegion / ReplicateKey), aws-kms-wire.md §7, §9, §10, Appendix B, the API reference of
 * ReplicateKey, UpdatePrimaryRegion and ScheduleKeyDeletion, and the developer guide "Multi-Region keys".
 */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KMSClient,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { ACCOUNT_ID, ON_DEMAND_ROTATION_MS, REGION, advanceClock, errorOf, kmsClient, rawRequest, useKmslite, keyArnOf, createMultiRegionKey, kms as kmsA, running } from '../helpers/fixture.js';
import { DAY_MS } from '../../src/util/clock.js';
import { defaultKeyPolicy } from '../../src/kms/newKey.js';

const REGION_B = 'ap-southeast-1';
const REGION_C = 'us-east-1';

let kmsB: KMSClient;
let kmsC: KMSClient;

useKmslite(() => {
  kmsB = kmsClient(running, REGION_B);
  kmsC = kmsClient(running, REGION_C);
});

const advance = (ms: number) => running.kmslite.clock.advance(ms);

async function primaryKey(keySpec: KeySpec = 'SYMMETRIC_DEFAULT', keyUsage?: KeyUsageType, description = 'primary key') {
  return createMultiRegionKey(kmsA, { KeySpec: keySpec, KeyUsage: keyUsage, Description: description });
}

async function replicated(keySpec: KeySpec = 'SYMMETRIC_DEFAULT', keyUsage?: KeyUsageType) {
  const primary = await primaryKey(keySpec, keyUsage);
  await kmsA.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REGION_B }));
  return primary.KeyId!;
}

async function describe_(client: KMSClient, keyId: string) {
  return (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

function expectAwsError(error: any, name: string, message: string | undefined) {
  expect(error.name).toBe(name);
  expect(error.$metadata.httpStatusCode).toBe(400);
  if (message !== undefined) expect(error.message).toBe(message);
}

describe('ReplicateKey', () => {
  describe('validation', () => {
    test('ReplicaRegion must match the model pattern', async () => {
      const primary = await primaryKey();
      const response = await rawRequest(running, 'ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'Not A Region!' });
      expect(response.status).toBe(400);
      expect(response.json.__type).toBe('ValidationException');
    });

    test('replicating a replica: UnsupportedOperationException, recorded text', async () => {
      const keyId = await replicated();
      const error = await errorOf(() => kmsB.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_B })));
      expectAwsError(error, 'UnsupportedOperationException', `${keyArnOf(keyId, REGION_B)} is not a multi-region primary key.`);
    });

    test('a single-Region key cannot be replicated', async () => {
      const key = (await kmsA.send(new CreateKeyCommand({}))).KeyMetadata!;
      const error = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: REGION_B })));
      expectAwsError(error, 'UnsupportedOperationException', `${key.Arn} is not a multi-region primary key.`);
    });

    test("into the primary's own Region or a Region that already has a replica: AlreadyExistsException", async () => {
      const keyId = await replicated();
      const own = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION })));
      expectAwsError(own, 'AlreadyExistsException', `${keyArnOf(keyId, REGION)} already exists.`);
      const again = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_B })));
      expectAwsError(again, 'AlreadyExistsException', `${keyArnOf(keyId, REGION_B)} already exists.`);
    });

    test('a disabled primary: DisabledException; reserved tags: TagException; nothing is created', async () => {
      const primary = await primaryKey();
      await kmsA.send(new DisableKeyCommand({ KeyId: primary.KeyId }));
      const disabled = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REGION_B })));
      expectAwsError(disabled, 'DisabledException', `${primary.Arn} is disabled.`);
      await kmsA.send(new EnableKeyCommand({ KeyId: primary.KeyId }));
      const tags = await errorOf(() =>
        kmsA.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REGION_B, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })),
      );
      expectAwsError(tags, 'TagException', 'Tags beginning with aws: are reserved');
      const missing = await errorOf(() => kmsB.send(new DescribeKeyCommand({ KeyId: primary.KeyId })));
      expectAwsError(missing, 'NotFoundException', `Key '${keyArnOf(primary.KeyId!, REGION_B)}' does not exist`);
      expect((await describe_(kmsA, primary.KeyId!)).MultiRegionConfiguration!.ReplicaKeys).toEqual([]);
    });
  });

  describe('functionality', () => {
    test('recorded response shape: Creating, Enabled false, Description not inherited, default policy', async () => {
      const primary = await primaryKey();
      const before = await errorOf(() => kmsB.send(new DescribeKeyCommand({ KeyId: primary.KeyId })));
      expectAwsError(before, 'NotFoundException', `Key '${keyArnOf(primary.KeyId!, REGION_B)}' does not exist`);

      const response = await kmsA.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REGION_B }));
      const replicaArn = keyArnOf(primary.KeyId!, REGION_B);
      const metadata = response.ReplicaKeyMetadata!;
      expect(metadata).toMatchObject({
        AWSAccountId: ACCOUNT_ID,
        KeyId: primary.KeyId,
        Arn: replicaArn,
        Enabled: false,
        KeyState: 'Creating',
        Description: '',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: true,
        MultiRegionConfiguration: {
          MultiRegionKeyType: 'REPLICA',
          PrimaryKey: { Arn: primary.Arn, Region: REGION },
          ReplicaKeys: [{ Arn: replicaArn, Region: REGION_B }],
        },
      });
      expect(metadata.CurrentKeyMaterialId).toBeUndefined();
      expect(response.ReplicaPolicy).toBe(defaultKeyPolicy('aws', ACCOUNT_ID));
      expect(response.ReplicaTags).toBeUndefined(); // AWS-recorded: no ReplicaTags member when the replica has none

      // The primary lists the replica right away (recorded: describe-key-from-region).
      const primaryNow = await describe_(kmsA, primary.KeyId!);
      expect(primaryNow.MultiRegionConfiguration).toEqual({
        MultiRegionKeyType: 'PRIMARY',
        PrimaryKey: { Arn: primary.Arn, Region: REGION },
        ReplicaKeys: [{ Arn: replicaArn, Region: REGION_B }],
      });
      // Then the replica is Enabled with the primary's material (recorded: describe-replicated-key).
      const replica = await describe_(kmsB, primary.KeyId!);
      expect(replica).toMatchObject({ Enabled: true, KeyState: 'Enabled', Description: '', MultiRegion: true });
      expect(replica.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      expect(replica.CurrentKeyMaterialId).toBe(primaryNow.CurrentKeyMaterialId);
      expect(replica.MultiRegionConfiguration!.MultiRegionKeyType).toBe('REPLICA');
    });

    test('Description, Policy and Tags given in the request are the replica’s own', async () => {
      const primary = await primaryKey();
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }] });
      const response = await kmsA.send(
        new ReplicateKeyCommand({
          KeyId: primary.Arn,
          ReplicaRegion: REGION_B,
          Description: 'replica in B',
          Policy: policy,
          Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'a', TagValue: '1' }],
        }),
      );
      expect(response.ReplicaKeyMetadata!.Description).toBe('replica in B');
      expect(response.ReplicaPolicy).toBe(policy);
      expect(response.ReplicaTags).toEqual([{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }]);
      expect((await describe_(kmsA, primary.KeyId!)).Description).toBe('primary key');
    });

    test('a second replica appears in every key’s ReplicaKeys', async () => {
      const keyId = await replicated();
      await kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_C }));
      const expected = [
        { Arn: keyArnOf(keyId, REGION_B), Region: REGION_B },
        { Arn: keyArnOf(keyId, REGION_C), Region: REGION_C },
      ];
      for (const client of [kmsA, kmsB, kmsC]) {
        const config = (await describe_(client, keyId)).MultiRegionConfiguration!;
        expect(config.PrimaryKey).toEqual({ Arn: keyArnOf(keyId, REGION), Region: REGION });
        expect(config.ReplicaKeys).toEqual(expected);
      }
    });

    test('Encrypt in one Region decrypts in the other, both ways; the key id in the blob is the caller’s ARN', async () => {
      const keyId = await replicated();
      const context = { purpose: 'cross-region' };
      const inA = await kmsA.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('from A'), EncryptionContext: context }));
      const inB = await kmsB.send(new DecryptCommand({ CiphertextBlob: inA.CiphertextBlob, EncryptionContext: context }));
      expect(Buffer.from(inB.Plaintext!).toString()).toBe('from A');
      expect(inB.KeyId).toBe(keyArnOf(keyId, REGION_B));

      const fromB = await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('from B') }));
      const backInA = await kmsA.send(new DecryptCommand({ CiphertextBlob: fromB.CiphertextBlob, KeyId: keyArnOf(keyId, REGION) }));
      expect(Buffer.from(backInA.Plaintext!).toString()).toBe('from B');
      expect(backInA.KeyId).toBe(keyArnOf(keyId, REGION));

      const wrongContext = await errorOf(() => kmsB.send(new DecryptCommand({ CiphertextBlob: inA.CiphertextBlob })));
      expectAwsError(wrongContext, 'InvalidCiphertextException', undefined);
    });

    test('a signature made by a replica verifies independently with the primary’s public key', async () => {
      const keyId = await replicated('ECC_NIST_P256', 'SIGN_VERIFY');
      const message = Buffer.from('signed in Region B');
      const signed = await kmsB.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
      const publicA = Buffer.from((await kmsA.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!);
      const publicB = Buffer.from((await kmsB.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!);
      expect(publicB.equals(publicA)).toBe(true);
      const spki = createPublicKey({ key: publicA, format: 'der', type: 'spki' });
      expect(nodeVerify('sha256', message, spki, Buffer.from(signed.Signature!))).toBe(true);
      const verified = await kmsA.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
      expect(verified.SignatureValid).toBe(true);
    });

    test('an RSA signing replica signs exactly as the primary (PKCS#1 v1.5 is deterministic)', async () => {
      const keyId = await replicated('RSA_2048', 'SIGN_VERIFY');
      const message = Buffer.from('same key in two Regions');
      const a = await kmsA.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
      const b = await kmsB.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
      expect(Buffer.from(a.Signature!).equals(Buffer.from(b.Signature!))).toBe(true);
    });

    test('GenerateMac gives the same MAC in both Regions; VerifyMac accepts it across Regions', async () => {
      const keyId = await replicated('HMAC_256', 'GENERATE_VERIFY_MAC');
      const message = Buffer.from('mac me');
      const a = await kmsA.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
      const b = await kmsB.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
      expect(Buffer.from(a.Mac!).equals(Buffer.from(b.Mac!))).toBe(true);
      const verified = await kmsB.send(new VerifyMacCommand({ KeyId: keyId, Message: message, Mac: a.Mac, MacAlgorithm: 'HMAC_SHA_256' }));
      expect(verified.MacValid).toBe(true);
      const replica = await describe_(kmsB, keyId);
      expect(replica.CurrentKeyMaterialId).toBeUndefined();
      expect(replica.MacAlgorithms).toEqual(['HMAC_SHA_256']);
    });

    test('rotation on the primary is the replicas’ current material; old ciphertexts still decrypt everywhere', async () => {
      const keyId = await replicated();
      const before = await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('old') }));
      const firstMaterial = (await describe_(kmsA, keyId)).CurrentKeyMaterialId;
      await kmsA.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      await advanceClock(running, ON_DEMAND_ROTATION_MS);
      const replica = await describe_(kmsB, keyId);
      const primary = await describe_(kmsA, keyId);
      expect(primary.CurrentKeyMaterialId).not.toBe(firstMaterial);
      expect(replica.CurrentKeyMaterialId).toBe(primary.CurrentKeyMaterialId);
      const after = await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('new') }));
      const opened = await kmsA.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }));
      expect(opened.KeyMaterialId).toBe(primary.CurrentKeyMaterialId);
      const old = await kmsA.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
      expect(Buffer.from(old.Plaintext!).toString()).toBe('old');
      expect(old.KeyMaterialId).toBe(firstMaterial);
    });

    test('automatic rotation is a shared property: enabled on the primary, due rotations show on a replica read first', async () => {
      const keyId = await replicated();
      await kmsA.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      expect((await kmsB.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(true);
      const material = (await describe_(kmsB, keyId)).CurrentKeyMaterialId;
      advance(91 * DAY_MS);
      const replica = await describe_(kmsB, keyId);
      expect(replica.CurrentKeyMaterialId).not.toBe(material);
      expect((await describe_(kmsA, keyId)).CurrentKeyMaterialId).toBe(replica.CurrentKeyMaterialId);
    });

    test('an EXTERNAL primary still pending import cannot be replicated (key-state table)', async () => {
      const primary = (await kmsA.send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
      expect(primary.KeyState).toBe('PendingImport');
      const refused = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: REGION_B })));
      expectAwsError(refused, 'KMSInvalidStateException', `${primary.Arn} is pending import.`);
    });
  });
});

describe('UpdatePrimaryRegion', () => {
  describe('validation', () => {
    test('PrimaryRegion must match the model pattern', async () => {
      const keyId = await replicated();
      const response = await rawRequest(running, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'no region' });
      expect(response.status).toBe(400);
      expect(response.json.__type).toBe('ValidationException');
    });

    test('a replica or a single-Region key: UnsupportedOperationException', async () => {
      const keyId = await replicated();
      const onReplica = await errorOf(() => kmsB.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: REGION })));
      expectAwsError(onReplica, 'UnsupportedOperationException', `${keyArnOf(keyId, REGION_B)} is not a multi-region primary key.`);
      const single = (await kmsA.send(new CreateKeyCommand({}))).KeyMetadata!;
      const onSingle = await errorOf(() => kmsA.send(new UpdatePrimaryRegionCommand({ KeyId: single.KeyId, PrimaryRegion: REGION_B })));
      expectAwsError(onSingle, 'UnsupportedOperationException', `${single.Arn} is not a multi-region primary key.`);
    });

    test('no replica in PrimaryRegion: NotFoundException; a disabled replica: DisabledException', async () => {
      const keyId = await replicated();
      const none = await errorOf(() => kmsA.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: REGION_C })));
      expectAwsError(none, 'NotFoundException', `Key '${keyArnOf(keyId, REGION_C)}' does not exist`);
      await kmsB.send(new DisableKeyCommand({ KeyId: keyId }));
      const disabled = await errorOf(() => kmsA.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: REGION_B })));
      expectAwsError(disabled, 'DisabledException', `${keyArnOf(keyId, REGION_B)} is disabled.`);
      expect((await describe_(kmsA, keyId)).MultiRegionConfiguration!.MultiRegionKeyType).toBe('PRIMARY');
    });
  });

  describe('functionality', () => {
    test('the replica becomes PRIMARY, the old primary a REPLICA, in every key of the set', async () => {
      const keyId = await replicated();
      await kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_C }));
      await describe_(kmsB, keyId); // replicas created
      await kmsA.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: REGION_B }));
      for (const [client, type] of [[kmsA, 'REPLICA'], [kmsB, 'PRIMARY'], [kmsC, 'REPLICA']] as const) {
        const metadata = await describe_(client, keyId);
        expect(metadata.KeyState).toBe('Enabled');
        expect(metadata.MultiRegionConfiguration!.MultiRegionKeyType).toBe(type);
        expect(metadata.MultiRegionConfiguration!.PrimaryKey).toEqual({ Arn: keyArnOf(keyId, REGION_B), Region: REGION_B });
        expect(metadata.MultiRegionConfiguration!.ReplicaKeys).toEqual([
          { Arn: keyArnOf(keyId, REGION), Region: REGION },
          { Arn: keyArnOf(keyId, REGION_C), Region: REGION_C },
        ]);
      }
      // Only the new primary can be replicated now; the old one answers as a replica.
      const old = await errorOf(() => kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-central-1' })));
      expectAwsError(old, 'UnsupportedOperationException', `${keyArnOf(keyId, REGION)} is not a multi-region primary key.`);
      const replica = await kmsB.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-central-1' }));
      expect(replica.ReplicaKeyMetadata!.MultiRegionConfiguration!.PrimaryKey!.Region).toBe(REGION_B);
      // The keys still interoperate.
      const blob = await kmsC.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('after update') }));
      expect(Buffer.from((await kmsB.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }))).Plaintext!).toString()).toBe('after update');
    });
  });
});

describe('ScheduleKeyDeletion of multi-Region keys', () => {
  describe('functionality', () => {
    test('a primary with replicas waits in PendingReplicaDeletion, then its window starts when the last replica goes', async () => {
      const keyId = await replicated();
      await kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_C }));
      const scheduled = await kmsA.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      expect(scheduled).toMatchObject({ KeyId: keyArnOf(keyId, REGION), KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
      expect(scheduled.DeletionDate).toBeUndefined();
      const primary = await describe_(kmsA, keyId);
      expect(primary).toMatchObject({ KeyState: 'PendingReplicaDeletion', Enabled: false, PendingDeletionWindowInDays: 7 });
      expect(primary.DeletionDate).toBeUndefined();

      const encrypt = await errorOf(() => kmsA.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
      expectAwsError(encrypt, 'KMSInvalidStateException', `${keyArnOf(keyId, REGION)} is pending replica deletion.`);
      const again = await errorOf(() => kmsA.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })));
      expectAwsError(again, 'KMSInvalidStateException', `${keyArnOf(keyId, REGION)} is pending replica deletion.`);

      // Replicas keep working meanwhile.
      await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('still fine') }));

      await kmsB.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      advance(1 * DAY_MS);
      const lastReplica = await kmsC.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 10 }));
      advance(7 * DAY_MS); // B is gone (day 7), C is not (day 11)
      expect((await describe_(kmsA, keyId)).MultiRegionConfiguration!.ReplicaKeys).toEqual([{ Arn: keyArnOf(keyId, REGION_C), Region: REGION_C }]);
      const goneB = await errorOf(() => kmsB.send(new DescribeKeyCommand({ KeyId: keyId })));
      expectAwsError(goneB, 'NotFoundException', `Key '${keyArnOf(keyId, REGION_B)}' does not exist`);
      expect((await describe_(kmsA, keyId)).KeyState).toBe('PendingReplicaDeletion');

      advance(5 * DAY_MS); // day 13: C went at day 11, the primary's 7 days run from there
      const waiting = await describe_(kmsA, keyId);
      expect(waiting.KeyState).toBe('PendingDeletion');
      expect(waiting.PendingDeletionWindowInDays).toBeUndefined();
      expect(waiting.MultiRegionConfiguration!.ReplicaKeys).toEqual([]);
      expect(new Date(waiting.DeletionDate as unknown as Date).getTime()).toBe(lastReplica.DeletionDate!.getTime() + 7 * DAY_MS);

      advance(6 * DAY_MS);
      const gone = await errorOf(() => kmsA.send(new DescribeKeyCommand({ KeyId: keyId })));
      expectAwsError(gone, 'NotFoundException', `Key '${keyArnOf(keyId, REGION)}' does not exist`);
    });

    test('CancelKeyDeletion of a PendingReplicaDeletion primary: Disabled, no window left', async () => {
      const keyId = await replicated();
      await kmsA.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
      await kmsA.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
      const primary = await describe_(kmsA, keyId);
      expect(primary).toMatchObject({ KeyState: 'Disabled', Enabled: false });
      expect(primary.PendingDeletionWindowInDays).toBeUndefined();
      expect(primary.DeletionDate).toBeUndefined();
    });

    test('a deleted replica can be replicated again into its Region', async () => {
      const keyId = await replicated();
      await kmsB.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      advance(8 * DAY_MS);
      expect((await describe_(kmsA, keyId)).MultiRegionConfiguration!.ReplicaKeys).toEqual([]);
      const again = await kmsA.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: REGION_B }));
      expect(again.ReplicaKeyMetadata!.KeyState).toBe('Creating');
      expect((await describe_(kmsB, keyId)).KeyState).toBe('Enabled');
    });
  });
});
