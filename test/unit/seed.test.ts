import { DescribeKeyCommand, EncryptCommand, DecryptCommand, GetKeyPolicyCommand, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kmslite } from '../../src/index.js';
import { SeedError } from '../../src/config/seed.js';
import { errorOf, kmsClient, startTestKmslite } from '../helpers/kmslite.js';

const dir = mkdtempSync(join(tmpdir(), 'kmslite-seed-test-'));
let counter = 0;
function seedFile(text: string): string {
  const path = join(dir, `seed-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

const KEY = '11111111-2222-4333-8444-555555555555';
const MATERIAL = 'aa'.repeat(32);

test('a local-kms seed file works unchanged (keys, backing keys, aliases by id and by ARN, RSA entries skipped with a warning)', async () => {
  const path = seedFile(`
Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ${KEY}
          Description: "payments key"
        NextKeyRotation: "2099-01-01T00:00:00Z"
        BackingKeys:
          - ${MATERIAL}
  Asymmetric:
    Rsa:
      - Metadata:
          KeyId: 9a8b7c6d-0000-4000-8000-000000000001
          KeyUsage: SIGN_VERIFY
        PrivateKeyPem: |
          -----BEGIN PRIVATE KEY-----
          MIIB
          -----END PRIVATE KEY-----
Aliases:
  - AliasName: alias/payments
    TargetKeyId: ${KEY}
  - AliasName: alias/payments-arn
    TargetKeyId: arn:aws:kms:eu-west-2:111122223333:key/${KEY}
`);
  const running = await startTestKmslite({ seedPath: path });
  try {
    const kms = kmsClient(running);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: KEY, Description: 'payments key', Enabled: true, Origin: 'AWS_KMS' });
    const aliases = await kms.send(new ListAliasesCommand({}));
    expect(aliases.Aliases!.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([
      ['alias/payments', KEY],
      ['alias/payments-arn', KEY],
    ]);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/payments-arn', Plaintext: Buffer.from('x') }));
    expect(encrypted.KeyId).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${KEY}`);
  } finally {
    await running.stop();
  }
});

test('ciphertexts made from seeded keys decrypt in another kmslite started from the same seed', async () => {
  const path = seedFile(`Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${KEY}\n        BackingKeys: [${MATERIAL}]\n`);
  const first = await startTestKmslite({ seedPath: path });
  const encrypted = await kmsClient(first).send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('portable'), EncryptionContext: { a: 'b' } }));
  await first.stop();
  const second = await startTestKmslite({ seedPath: path });
  try {
    const decrypted = await kmsClient(second).send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('portable');
  } finally {
    await second.stop();
  }
});

test('kmslite extensions: Regions with accounts, tags, policy, Enabled false, multi-Region ids', async () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] };
  const path = seedFile(`
Regions:
  - Region: us-west-2
    AccountId: 444455556666
    Keys:
      Symmetric:
        Aes:
          - Metadata:
              KeyId: ${KEY}
              Enabled: false
            BackingKeys: [${MATERIAL}]
            Tags:
              - { TagKey: team, TagValue: payments }
            Policy: ${JSON.stringify(JSON.stringify(policy))}
          - Metadata:
              KeyId: mrk-0123456789abcdef0123456789abcdef
              MultiRegion: true
            BackingKeys: [${'bb'.repeat(32)}]
    Aliases:
      - { AliasName: alias/west, TargetKeyId: ${KEY} }
`);
  const running = await startTestKmslite({ seedPath: path });
  try {
    const kms = kmsClient(running, 'us-west-2', { accessKeyId: '444455556666', secretAccessKey: 'x' });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/west' }));
    expect(described.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false, AWSAccountId: '444455556666' });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: KEY }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'payments' }]);
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: KEY, PolicyName: 'default' }))).Policy!)).toEqual(policy);
    const mrk = await kms.send(new DescribeKeyCommand({ KeyId: 'mrk-0123456789abcdef0123456789abcdef' }));
    expect(mrk.KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType).toBe('PRIMARY');
    const disabled = await errorOf(() => kms.send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('x') })));
    expect(disabled.name).toBe('DisabledException');
  } finally {
    await running.stop();
  }
});

test.each([
  ['not YAML', 'Keys: [unclosed', /^Invalid seed file .*seed-\d+\.yaml: not valid YAML/],
  ['wrong shape', 'Keys:\n  Symmetric:\n    Aes: "nope"\n', /^Invalid seed file .*: entry Keys\.Symmetric\.Aes must be array$/],
  ['bad backing key', `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: ${KEY}}\n        BackingKeys: [abcd]\n`, /entry Keys\.Symmetric\.Aes\.0\.BackingKeys\.0 must match pattern/],
  ['no backing key', `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: ${KEY}}\n`, /Invalid seed entry .*Keys\.Symmetric\.Aes\.0 \(KeyId 11111111-2222-4333-8444-555555555555\): BackingKeys needs at least one/],
  ['reserved alias', `Aliases:\n  - {AliasName: alias/aws/s3, TargetKeyId: ${KEY}}\n`, /Aliases\.0 \(alias\/aws\/s3\): an alias name starts with alias\/ and not alias\/aws\//],
  ['missing KeyId', 'Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {Description: x}\n', /entry Keys\.Symmetric\.Aes\.0\.Metadata must have required property 'KeyId'/],
])('an invalid seed (%s) stops start-up naming the file, the entry and the problem', (_case, text, message) => {
  const path = seedFile(text);
  let error: unknown;
  try {
    new Kmslite({ seedPath: path, logLevel: 'silent', port: 0 }, {});
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(SeedError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(path);
});

test('an explicit seed path that does not exist stops start-up', () => {
  expect(() => new Kmslite({ seedPath: join(dir, 'missing.yaml'), logLevel: 'silent' }, {})).toThrow(/Cannot read seed file/);
});
