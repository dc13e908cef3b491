/**
 * AWS managed keys: the predefined alias/aws/* aliases, the key AWS creates on first use (KeyManager AWS, AWS's
 * description and policy, yearly rotation), the management operations AWS refuses on it, ListKeys, per account
 * and Region stores, seeding and persistence. Through the official SDK.
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  UpdatePrimaryRegionCommand,
  type AliasListEntry,
} from '@aws-sdk/client-kms';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kmslite, type RunningKmslite } from '../../src/index.js';
import { applySeed, parseSeed } from '../../src/config/seed.js';
import { StoreBundle } from '../../src/store/bundle.js';
import { DAY_MS } from '../../src/util/clock.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, startTestKmslite, useKmslite, expectError, withKmslite, running } from '../helpers/fixture.js';

/** AWS's predefined aliases, as this test expects them (kept apart from the implementation's list on purpose). */
const PREDEFINED = [
  'alias/aws/acm', 'alias/aws/dynamodb', 'alias/aws/ebs', 'alias/aws/elasticfilesystem', 'alias/aws/es', 'alias/aws/glue',
  'alias/aws/kinesisvideo', 'alias/aws/lambda', 'alias/aws/rds', 'alias/aws/redshift', 'alias/aws/s3',
  'alias/aws/secretsmanager', 'alias/aws/ssm', 'alias/aws/xray',
];

const aliasArn = (name: string, region = REGION, account = ACCOUNT_ID) => `arn:aws:kms:${region}:${account}:${name}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GetKeyPolicy of alias/aws/s3 in us-east-1 as AWS returns it (FogSecurity/aws-managed-kms-keys, reference_key_policies/s3.json). */
const S3_POLICY = (account: string, region: string) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-s3-2",
  "Statement" : [ {
    "Sid" : "Allow access through S3 for all principals in the account that are authorized to use S3",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${account}",
        "kms:ViaService" : "s3.${region}.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`;

useKmslite();

/** A client for a Region no other test in this file uses, so each test starts from AWS's initial state. */
let regionIndex = 0;
const FRESH_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1', 'eu-central-1', 'eu-west-3', 'eu-north-1', 'ca-central-1'];
function freshRegion(): { kms: KMSClient; region: string } {
  const region = FRESH_REGIONS[regionIndex++]!;
  return { kms: kmsClient(running, region), region };
}

async function listAll(kms: KMSClient, limit?: number): Promise<AliasListEntry[]> {
  const all: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Limit: limit, Marker: marker }));
    expect(page.Truncated).toBe(page.NextMarker !== undefined);
    all.push(...page.Aliases!);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

describe('ListAliases and first use', () => {
  test('a new account and Region lists the predefined aliases without a TargetKeyId (moto test_list_aliases)', async () => {
    const { kms, region } = freshRegion();
    await kms.send(new CreateKeyCommand({})); // moto's test creates one key without an alias first
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!;
    expect(aliases).toHaveLength(14);
    expect(aliases).toEqual(PREDEFINED.map((name) => ({ AliasName: name, AliasArn: aliasArn(name, region) })));
    // moto checks these four by name and ARN (it also pins target key ids of its own; AWS has none before first use).
    for (const name of ['alias/aws/ebs', 'alias/aws/s3', 'alias/aws/redshift', 'alias/aws/rds']) {
      expect(aliases).toContainEqual({ AliasName: name, AliasArn: aliasArn(name, region) });
    }
    expect((await kms.send(new ListKeysCommand({}))).Keys).toHaveLength(1); // no managed key yet
  });

  test('DescribeKey by alias name creates the AWS managed key once; ListAliases then shows its target', async () => {
    const { kms, region } = freshRegion();
    const before = Date.now();
    const first = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(first.KeyId).toMatch(UUID);
    expect(first).toMatchObject({
      AWSAccountId: ACCOUNT_ID,
      Arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${first.KeyId}`,
      Enabled: true,
      Description: 'Default key that protects my S3 objects when no other key is defined',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'AWS',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    });
    expect(first.CreationDate!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const again = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(again.KeyId).toBe(first.KeyId);
    const byArn = (await kms.send(new DescribeKeyCommand({ KeyId: aliasArn('alias/aws/s3', region) }))).KeyMetadata!;
    expect(byArn.KeyId).toBe(first.KeyId);

    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!;
    expect(aliases.map((alias) => alias.AliasName)).toEqual(PREDEFINED);
    const s3 = aliases.find((alias) => alias.AliasName === 'alias/aws/s3')!;
    expect(s3).toMatchObject({ AliasArn: aliasArn('alias/aws/s3', region), TargetKeyId: first.KeyId });
    expect(s3.CreationDate).toBeInstanceOf(Date);
    expect(aliases.filter((alias) => alias.TargetKeyId !== undefined)).toHaveLength(1);
    expect((await kms.send(new ListAliasesCommand({ KeyId: first.KeyId }))).Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/aws/s3']);
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([{ KeyId: first.KeyId, KeyArn: first.Arn }]);
  });

  test('DescribeKey by alias ARN creates it too; each predefined alias has its own key and description', async () => {
    const { kms, region } = freshRegion();
    const ssm = (await kms.send(new DescribeKeyCommand({ KeyId: aliasArn('alias/aws/ssm', region) }))).KeyMetadata!;
    expect(ssm.KeyManager).toBe('AWS');
    expect(ssm.Description).toBe('Default key that protects my SSM parameters when no other key is defined');
    const ebs = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!;
    expect(ebs.Description).toBe('Default key that protects my EBS volumes when no other key is defined');
    expect(ebs.KeyId).not.toBe(ssm.KeyId);
  });

  test('Encrypt with alias/aws/s3 creates the key; Decrypt round trip; GenerateDataKey with alias/aws/secretsmanager', async () => {
    const { kms } = freshRegion();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('managed'), EncryptionContext: { bucket: 'b' } }));
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(encrypted.KeyId).toBe(key.Arn);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { bucket: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('managed');
    expect(decrypted.KeyId).toBe(key.Arn);
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/aws/secretsmanager', KeySpec: 'AES_256' }));
    expect(Buffer.from(dataKey.Plaintext!)).toHaveLength(32);
    const secrets = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }))).KeyMetadata!;
    expect(dataKey.KeyId).toBe(secrets.Arn);
  });

  test('an alias/aws/ name that is not predefined is not found, and creates nothing', async () => {
    const { kms, region } = freshRegion();
    expectError(
      await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/notaservice' }))),
      'NotFoundException',
      `Alias ${aliasArn('alias/aws/notaservice', region)} is not found.`,
    );
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  test('ListAliases pages through the predefined aliases and then the customer aliases', async () => {
    const { kms } = freshRegion();
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: key.KeyId }));
    await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/rds' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/after', TargetKeyId: key.KeyId }));
    for (const limit of [1, 3, 14, 15, 50]) {
      const names = (await listAll(kms, limit)).map((alias) => alias.AliasName);
      expect(names).toEqual([...PREDEFINED, 'alias/mine', 'alias/after']);
    }
    const first = await kms.send(new ListAliasesCommand({ Limit: 14 }));
    expect(first.Truncated).toBe(true);
    const rest = await kms.send(new ListAliasesCommand({ Marker: first.NextMarker }));
    expect(rest.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/mine', 'alias/after']);
    expect(rest.Truncated).toBe(false);
  });
});

describe('what AWS gives the key', () => {
  test('GetKeyPolicy returns AWS policy for the key, with kms:ViaService and kms:CallerAccount', async () => {
    const { kms, region } = freshRegion();
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
    expect(policy.Policy).toBe(S3_POLICY(ACCOUNT_ID, region));
    expect(policy.PolicyName).toBe('default');
    const dynamodb = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/dynamodb' }))).KeyMetadata!;
    const document = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: dynamodb.Arn }))).Policy!);
    expect(document.Id).toBe('auto-dynamodb-3');
    expect(document.Statement[0].Condition).toEqual({ StringEquals: { 'kms:CallerAccount': ACCOUNT_ID }, StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } });
    expect(document.Statement[1].Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` });
  });

  test('the China Regions get their partition and DNS suffix in the policy', async () => {
    const kms = kmsClient(running, 'cn-north-1');
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ssm' }))).KeyMetadata!;
    expect(key.Arn).toBe(`arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/${key.KeyId}`);
    const document = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy!);
    expect(document.Statement[0].Condition.StringEquals['kms:ViaService']).toBe('ssm.cn-north-1.amazonaws.com.cn');
    expect(document.Statement[1].Principal.AWS).toBe(`arn:aws-cn:iam::${ACCOUNT_ID}:root`);
  });

  test('automatic rotation every 365 days, on and unchangeable; applied lazily; old ciphertexts still decrypt', async () => {
    const { kms } = freshRegion();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/aws/lambda', Plaintext: Buffer.from('old') }));
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/lambda' }))).KeyMetadata!;
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect(status.KeyRotationEnabled).toBe(true);
    expect(status.RotationPeriodInDays).toBe(365);
    expect(status.NextRotationDate!.getTime() - key.CreationDate!.getTime()).toBeGreaterThan(365 * DAY_MS - 1000);
    expect(status.NextRotationDate!.getTime() - key.CreationDate!.getTime()).toBeLessThan(365 * DAY_MS + 1000);
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations).toEqual([]);

    running.kmslite.clock.advance(366 * DAY_MS);
    try {
      const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
      expect(rotations).toHaveLength(1);
      expect(rotations[0]!.RotationType).toBe('AUTOMATIC');
      const after = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
      expect(after.CurrentKeyMaterialId).not.toBe(key.CurrentKeyMaterialId);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('old');
    } finally {
      running.kmslite.clock.reset();
    }
  });
});

describe('management operations are refused', () => {
  test('each with AccessDeniedException and AWS text; the key is unchanged', async () => {
    const { kms, region } = freshRegion();
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!;
    const policyBefore = (await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy;
    const customer = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/customer', TargetKeyId: customer.KeyId }));
    const denied = (operation: string) =>
      `User: arn:aws:iam::${ACCOUNT_ID}:root is not authorized to perform: kms:${operation} on resource: ${key.Arn} because no resource-based policy allows the kms:${operation} action`;
    const attempts: [string, () => Promise<unknown>][] = [
      ['PutKeyPolicy', () => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: '{"Statement":[]}' }))],
      ['ScheduleKeyDeletion', () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }))],
      ['CancelKeyDeletion', () => kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))],
      ['EnableKeyRotation', () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }))],
      ['DisableKeyRotation', () => kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }))],
      ['RotateKeyOnDemand', () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }))],
      ['TagResource', () => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }))],
      ['UntagResource', () => kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['a'] }))],
      ['UpdateKeyDescription', () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'mine' }))],
      ['EnableKey', () => kms.send(new EnableKeyCommand({ KeyId: key.KeyId }))],
      ['DisableKey', () => kms.send(new DisableKeyCommand({ KeyId: key.KeyId }))],
      ['CreateAlias', () => kms.send(new CreateAliasCommand({ AliasName: 'alias/to-managed', TargetKeyId: key.KeyId }))],
      ['UpdateAlias', () => kms.send(new UpdateAliasCommand({ AliasName: 'alias/customer', TargetKeyId: key.Arn }))],
      ['ImportKeyMaterial', () => kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: Buffer.alloc(8), EncryptedKeyMaterial: Buffer.alloc(8), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }))],
      ['DeleteImportedKeyMaterial', () => kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }))],
      ['ReplicateKey', () => kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: 'eu-west-1' }))],
      ['UpdatePrimaryRegion', () => kms.send(new UpdatePrimaryRegionCommand({ KeyId: key.KeyId, PrimaryRegion: 'eu-west-1' }))],
    ];
    for (const [operation, attempt] of attempts) expectError(await errorOf(attempt), 'AccessDeniedException', denied(operation));

    // alias/aws/ names stay reserved, as for any other alias/aws/ name.
    for (const attempt of [
      () => kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: customer.KeyId })),
      () => kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/ebs', TargetKeyId: customer.KeyId })),
      () => kms.send(new DeleteAliasCommand({ AliasName: 'alias/aws/ebs' })),
    ]) {
      const error = await errorOf(attempt);
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }

    const after = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    expect(after).toEqual(key);
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy).toBe(policyBefore);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags).toEqual([]);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled).toBe(true);
    expect((await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }))).Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/aws/ebs']);
    expect((await kms.send(new ListAliasesCommand({ KeyId: customer.KeyId }))).Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/customer']);
    expect((await kms.send(new ListKeysCommand({}))).Keys!.map((entry) => entry.KeyId).sort()).toEqual([key.KeyId, customer.KeyId].sort());
    expect(key.Arn).toBe(`arn:aws:kms:${region}:${ACCOUNT_ID}:key/${key.KeyId}`);
  });
});

describe('accounts and Regions', () => {
  test('every account and Region has its own managed keys; another account alias ARN creates nothing there', async () => {
    const mine = kmsClient(running, 'me-south-1');
    const otherRegion = kmsClient(running, 'af-south-1');
    const otherAccount = kmsClient(running, 'me-south-1', { accessKeyId: '444455556666', secretAccessKey: 'x' });
    const a = (await mine.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const b = (await otherRegion.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(b.KeyId).not.toBe(a.KeyId);
    expect(b.Arn).toBe(`arn:aws:kms:af-south-1:${ACCOUNT_ID}:key/${b.KeyId}`);

    // The other account has not used alias/aws/s3: its alias has no target, and naming it by ARN from here creates nothing.
    const foreignArn = aliasArn('alias/aws/s3', 'me-south-1', '444455556666');
    const theirs = (await otherAccount.send(new ListAliasesCommand({}))).Aliases!;
    expect(theirs.find((alias) => alias.AliasName === 'alias/aws/s3')).toEqual({ AliasName: 'alias/aws/s3', AliasArn: foreignArn });
    expectError(await errorOf(() => mine.send(new DescribeKeyCommand({ KeyId: foreignArn }))), 'NotFoundException', `Alias ${foreignArn} is not found.`);
    expect((await otherAccount.send(new ListKeysCommand({}))).Keys).toEqual([]);
    const c = (await otherAccount.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(c.AWSAccountId).toBe('444455556666');
    expect(c.KeyId).not.toBe(a.KeyId);
    // Now it exists, the key ARN works across accounts for DescribeKey, as for any key (policies are not evaluated yet).
    expect((await mine.send(new DescribeKeyCommand({ KeyId: c.Arn }))).KeyMetadata!.KeyId).toBe(c.KeyId);
  });

  test('GET /_kmslite/state shows the managed key', async () => {
    const kms = kmsClient(running, 'il-central-1');
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/xray' }))).KeyMetadata!;
    const state = await (await fetch(`${running.endpoint}/_kmslite/state`)).json();
    expect(JSON.stringify(state)).toContain(key.KeyId);
    expect(JSON.stringify(state)).toContain('"KeyManager":"AWS"');
  });
});

describe('seeding and persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-managed-'));
  let counter = 0;
  const seedFile = (text: string) => {
    const path = join(dir, `seed-${++counter}.yaml`);
    writeFileSync(path, text);
    return path;
  };
  const PINNED_ID = '5a7c1e2f-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
  const PINNED_MATERIAL = '0f'.repeat(32);
  const pinnedSeed = `ManagedKeys:
  - AliasName: alias/aws/s3
    KeyId: ${PINNED_ID}
    BackingKeys: [ ${PINNED_MATERIAL} ]
Regions:
  - Region: us-east-1
    ManagedKeys:
      - AliasName: alias/aws/ssm
`;

  test('a seed pins a managed key id and material: a ciphertext made by one instance decrypts in another', async () => {
    const path = seedFile(pinnedSeed);
    const one = await startTestKmslite({ seedPath: path });
    const two = await startTestKmslite({ seedPath: path });
    try {
      const kmsOne = kmsClient(one);
      const kmsTwo = kmsClient(two);
      expect((await kmsOne.send(new ListKeysCommand({}))).Keys).toEqual([{ KeyId: PINNED_ID, KeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${PINNED_ID}` }]);
      const described = (await kmsOne.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
      expect(described).toMatchObject({ KeyId: PINNED_ID, KeyManager: 'AWS', Description: 'Default key that protects my S3 objects when no other key is defined' });
      expect((await kmsOne.send(new GetKeyRotationStatusCommand({ KeyId: PINNED_ID }))).KeyRotationEnabled).toBe(true);
      const encrypted = await kmsOne.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('fixture') }));
      const decrypted = await kmsTwo.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('fixture');
      // The Regions entry's key exists from the start, with a random id.
      const ssm = (await kmsClient(one, 'us-east-1').send(new ListAliasesCommand({}))).Aliases!.find((alias) => alias.AliasName === 'alias/aws/ssm')!;
      expect(ssm.TargetKeyId).toMatch(UUID);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  test.each([
    ['alias/mine', 'ManagedKeys.0 (alias/mine): an AWS managed key\'s AliasName starts with alias/aws/'],
    ['alias/aws/notaservice', 'ManagedKeys.0 (alias/aws/notaservice): alias/aws/notaservice is not a predefined AWS alias'],
  ])('a seed naming %s stops start-up with a message naming the entry', async (aliasName, message) => {
    const path = seedFile(`ManagedKeys:\n  - AliasName: ${aliasName}\n`);
    const error = await errorOf(() => Kmslite.create({ seedPath: path, logLevel: 'silent' }, {}));
    expect(error.message).toContain(message);
  });

  test('a bad entry anywhere leaves nothing created; a customer alias cannot point at a managed key', async () => {
    const document = await parseSeed(
      `ManagedKeys:\n  - AliasName: alias/aws/s3\nRegions:\n  - Region: us-east-1\n    ManagedKeys:\n      - AliasName: alias/aws/s3\n      - AliasName: alias/aws/s3\n`,
      'inline',
    );
    const stores = new StoreBundle();
    await expect(applySeed(document, stores, { accountId: ACCOUNT_ID, region: REGION }, new Date(), 'inline')).rejects.toThrow(
      'Regions.0.ManagedKeys.1 (alias/aws/s3): alias/aws/s3 appears twice',
    );
    expect(stores.all().every((store) => store.keys.size === 0 && store.aliases.size === 0)).toBe(true);

    const aliasToManaged = await parseSeed(`ManagedKeys:\n  - AliasName: alias/aws/s3\n    KeyId: ${PINNED_ID}\nAliases:\n  - AliasName: alias/x\n    TargetKeyId: ${PINNED_ID}\n`, 'inline');
    await expect(applySeed(aliasToManaged, new StoreBundle(), { accountId: ACCOUNT_ID, region: REGION }, new Date(), 'inline')).rejects.toThrow(
      `Aliases.0 (alias/x): ${PINNED_ID} is an AWS managed key, which takes no other alias`,
    );
    const badId = seedFile(`ManagedKeys:\n  - AliasName: alias/aws/s3\n    KeyId: not-a-uuid\n`);
    await expect(Kmslite.create({ seedPath: badId, logLevel: 'silent' }, {})).rejects.toThrow(/ManagedKeys\.0\.KeyId/);
  });

  test('managed keys persist with --data-path, and the seed does not replace one created before', async () => {
    const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-managed-data-'));
    const first = await startTestKmslite({ dataPath });
    let key;
    let encrypted;
    try {
      const kms = kmsClient(first);
      encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('kept') }));
      key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    } finally {
      await first.stop();
    }
    await withKmslite({ dataPath, seedPath: seedFile(pinnedSeed) }, async (second) => {
      const kms = kmsClient(second);
      expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata).toEqual(key);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('kept');
      expect((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy).toBe(
        S3_POLICY(ACCOUNT_ID, REGION),
      );
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
      expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
      const s3 = (await kms.send(new ListAliasesCommand({}))).Aliases!.find((alias) => alias.AliasName === 'alias/aws/s3');
      expect(s3!.TargetKeyId).toBe(key.KeyId);
      expectError(
        await errorOf(() => kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }))),
        'AccessDeniedException',
        `User: arn:aws:iam::${ACCOUNT_ID}:root is not authorized to perform: kms:ScheduleKeyDeletion on resource: ${key.Arn} because no resource-based policy allows the kms:ScheduleKeyDeletion action`,
      );
    });
  });
});
