import { CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, ListKeysCommand, paginateListKeys } from '@aws-sdk/client-kms';
import { errorOf, kmsClient, rawRequest, ACCOUNT_ID, REGION, useKmslite, kms, running } from '../helpers/fixture.js';

useKmslite();

describe('CreateKey', () => {
  test('a default key has the full KeyMetadata of a symmetric AWS_KMS key', async () => {
    const before = Date.now() / 1000;
    const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ Description: 'first' }));
    expect(metadata).toMatchObject({
      AWSAccountId: ACCOUNT_ID,
      Enabled: true,
      Description: 'first',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    });
    expect(metadata!.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(metadata!.Arn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${metadata!.KeyId}`);
    expect(metadata!.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata!.CreationDate!.getTime() / 1000).toBeGreaterThanOrEqual(Math.floor(before));
    expect(metadata).not.toHaveProperty('MultiRegionConfiguration');
    expect(metadata).not.toHaveProperty('DeletionDate');
  });

  test('the wire carries epoch-second numbers and no null members', async () => {
    const raw = await rawRequest(running, 'CreateKey', {});
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(raw.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof raw.json.KeyMetadata.CreationDate).toBe('number');
    expect(raw.body).not.toContain('null');
    expect(raw.json.KeyMetadata.Description).toBe('');
  });

  test('MultiRegion creates an mrk- primary key', async () => {
    const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ MultiRegion: true }));
    expect(metadata!.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(metadata!.MultiRegion).toBe(true);
    expect(metadata!.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: metadata!.Arn, Region: REGION },
      ReplicaKeys: [],
    });
  });

  test('Origin EXTERNAL creates a key pending import without key material', async () => {
    const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    expect(metadata).toMatchObject({ Enabled: false, KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    expect(metadata).not.toHaveProperty('CurrentKeyMaterialId');
    expect(metadata).not.toHaveProperty('ExpirationModel');
  });

  test('stores the policy given, or the default policy text AWS writes', async () => {
    const { KeyMetadata: plain } = await kms.send(new CreateKeyCommand({}));
    const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: plain!.KeyId!, PolicyName: 'default' }));
    expect(policy.Policy).toBe(
      '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::111122223333:root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}',
    );
    const custom = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
    const { KeyMetadata: withPolicy } = await kms.send(new CreateKeyCommand({ Policy: custom, BypassPolicyLockoutSafetyCheck: true }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: withPolicy!.KeyId!, PolicyName: 'default' }))).Policy).toBe(custom);
    const malformed = await errorOf(() => kms.send(new CreateKeyCommand({ Policy: 'not a policy' })));
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
  });

  test('KeyUsage rules (AWS-recorded texts)', async () => {
    const noUsage = await errorOf(() => kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256' })));
    expect([noUsage.name, noUsage.message]).toEqual([
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    ]);
    const incompatible = await errorOf(() => kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' })));
    expect(incompatible.message).toBe('KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048');
    const badSpec = await rawRequest(running, 'CreateKey', { KeySpec: 'HMAC_random' });
    expect(badSpec.json).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]",
    });
    const badUsage = await rawRequest(running, 'CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' });
    expect(badUsage.json.message).toBe(
      "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]",
    );
  });

  test('tag rules (AWS-recorded texts) and nothing is created when refused', async () => {
    const count = async () => (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
    const before = await count();
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    const e1 = await errorOf(() => kms.send(new CreateKeyCommand({ Tags: tooMany })));
    expect([e1.name, e1.message]).toEqual(['TagException', 'Too many tags']);
    for (const key of ['aws:key1', 'AWS:key1']) {
      const e2 = await errorOf(() => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: key, TagValue: 'v' }] })));
      expect([e2.name, e2.message]).toEqual(['TagException', 'Tags beginning with aws: are reserved']);
    }
    const e3 = await errorOf(() => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'k', TagValue: 'v'.repeat(257) }] })));
    expect(e3.message).toBe(
      `1 validation error detected: Value '${'v'.repeat(257)}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    const e4 = await errorOf(() => kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'a'.repeat(129), TagValue: 'v' }] })));
    expect(e4.message).toBe(
      `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    expect(await count()).toBe(before);
  });

  test('the deprecated CustomerMasterKeySpec is still accepted', async () => {
    const { KeyMetadata: metadata } = await kms.send(new CreateKeyCommand({ CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }));
    expect(metadata!.KeySpec).toBe('SYMMETRIC_DEFAULT');
  });
});

describe('DescribeKey', () => {
  test('finds a key by id, ARN, alias name and alias ARN', async () => {
    const { KeyMetadata: created } = await kms.send(new CreateKeyCommand({ Description: 'described' }));
    for (const id of [created!.KeyId!, created!.Arn!]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: id }));
      expect(KeyMetadata).toEqual(created);
    }
  });

  test('AWS-recorded NotFound texts', async () => {
    const cases: [string, string][] = [
      ['fake-key-id', "Invalid keyId 'fake-key-id'"],
      ['134f2428cec14b25a1ae9048164dba47', "Invalid keyId '134f2428cec14b25a1ae9048164dba47'"],
      ['mrk-fake-key-id', "Invalid keyId 'mrk-fake-key-id'"],
      ['0b8f8c1e-3d6a-4a57-9b52-3c1f5a3f2d10', `Key 'arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b8f8c1e-3d6a-4a57-9b52-3c1f5a3f2d10' does not exist`],
      ['mrk-0123456789abcdef0123456789abcdef', `Key 'arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/mrk-0123456789abcdef0123456789abcdef' does not exist`],
      [`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b8f8c1e-3d6a-4a57-9b52-3c1f5a3f2d10`, `Key 'arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0b8f8c1e-3d6a-4a57-9b52-3c1f5a3f2d10' does not exist`],
    ];
    for (const [keyId, message] of cases) {
      const error = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['NotFoundException', message, 400]);
    }
  });

  test('a key in another Region: bare id names the caller Region, an ARN says Invalid arn', async () => {
    const east = kmsClient(running, 'us-east-1');
    const { KeyMetadata: created } = await east.send(new CreateKeyCommand({}));
    expect(created!.Arn).toContain(':us-east-1:');
    const byId = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: created!.KeyId! })));
    expect(byId.message).toBe(`Key 'arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${created!.KeyId}' does not exist`);
    const byArn = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: created!.Arn! })));
    expect(byArn.message).toBe('Invalid arn us-east-1');
    const inRegion = await east.send(new DescribeKeyCommand({ KeyId: created!.Arn! }));
    expect(inRegion.KeyMetadata!.KeyId).toBe(created!.KeyId);
  });

  test('each account has its own store; a key ARN reaches another account for DescribeKey', async () => {
    const other = kmsClient(running, REGION, { accessKeyId: '444455556666', secretAccessKey: 'whatever' });
    const { KeyMetadata: created } = await other.send(new CreateKeyCommand({}));
    expect(created!.AWSAccountId).toBe('444455556666');
    const byId = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: created!.KeyId! })));
    expect(byId.name).toBe('NotFoundException');
    const byArn = await kms.send(new DescribeKeyCommand({ KeyId: created!.Arn! }));
    expect(byArn.KeyMetadata!.Arn).toBe(created!.Arn);
  });
});

describe('ListKeys', () => {
  test('pages with Limit and Marker through every key exactly once (the SDK paginator works)', async () => {
    const fresh = kmsClient(running, 'ap-south-1');
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await fresh.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const first = await fresh.send(new ListKeysCommand({ Limit: 3 }));
    expect(first.Keys!.length).toBe(3);
    expect(first.Truncated).toBe(true);
    expect(first.NextMarker).toBeDefined();
    const seen: string[] = [];
    for await (const page of paginateListKeys({ client: fresh, pageSize: 2 }, {})) {
      for (const key of page.Keys ?? []) {
        seen.push(key.KeyId!);
        expect(key.KeyArn).toBe(`arn:aws:kms:ap-south-1:${ACCOUNT_ID}:key/${key.KeyId}`);
      }
    }
    expect(seen.length).toBe(7);
    expect(new Set(seen)).toEqual(created);
    const last = await fresh.send(new ListKeysCommand({ Limit: 1000 }));
    expect(last.Truncated).toBe(false);
    expect(last).not.toHaveProperty('NextMarker');
  });

  test('an invalid Marker answers InvalidMarkerException; Limit is checked', async () => {
    const bad = await errorOf(() => kms.send(new ListKeysCommand({ Marker: 'garbage' })));
    expect(bad.name).toBe('InvalidMarkerException');
    const limit = await rawRequest(running, 'ListKeys', { Limit: 1001 });
    expect(limit.json.message).toBe(
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });
});
