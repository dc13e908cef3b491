import { DescribeKeyCommand, EncryptCommand, DecryptCommand, GetKeyPolicyCommand, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { GenerateMacCommand, GetKeyRotationStatusCommand, GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { Kmslite } from '../../src/index.js';
import { mlDsaKeyPairFromSeed } from '../../src/crypto/keyPairs.js';
import { SeedError } from '../../src/config/seed.js';
import { errorOf, kmsClient, startTestKmslite, withKmslite } from '../helpers/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kmslite-seed-test-'));
let counter = 0;
function seedFile(text: string): string {
  const path = join(dir, `seed-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

const KEY = '11111111-2222-4333-8444-555555555555';
const MATERIAL = 'aa'.repeat(32);

test('a local-kms seed file works unchanged (keys, backing keys, aliases by id and by ARN, an RSA entry)', async () => {
  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
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
${indent(rsaPem, 10)}
Aliases:
  - AliasName: alias/payments
    TargetKeyId: ${KEY}
  - AliasName: alias/payments-arn
    TargetKeyId: arn:aws:kms:eu-west-2:111122223333:key/${KEY}
`);
  await withKmslite({ seedPath: path }, async (running) => {
    const kms = kmsClient(running);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: KEY, Description: 'payments key', Enabled: true, Origin: 'AWS_KMS' });
    const aliases = await kms.send(new ListAliasesCommand({}));
    // After AWS's predefined alias/aws/* aliases, which AWS lists in every account and Region.
    expect(aliases.Aliases!.filter((a) => !a.AliasName!.startsWith('alias/aws/')).map((a) => [a.AliasName, a.TargetKeyId])).toEqual([
      ['alias/payments', KEY],
      ['alias/payments-arn', KEY],
    ]);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/payments-arn', Plaintext: Buffer.from('x') }));
    expect(encrypted.KeyId).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${KEY}`);
  });
});

test("local-kms's older seed layout (before May 2020: Keys is a plain list of AES entries) is read as Keys.Symmetric.Aes", async () => {
  // The example of local-kms's README at commit 27c25da^ (its layout until "Added new seeding file format").
  const path = seedFile(`
Keys:
  - Metadata:
      KeyId: bc436485-5092-42b8-92a3-0aa8b93536dc
      Description: "Your key description"
    NextKeyRotation: "2099-09-12T15:19:21+00:00"
    BackingKeys:
      - 34743777217A25432A46294A404E635266556A586E3272357538782F413F4428
      - 614E645267556B58703273357638792F423F4528472B4B6250655368566D5971

  - Metadata:
      KeyId: 49c5492b-b1bc-42a8-9a5c-b2015e810c1c
    BackingKeys:
      - 5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9

Aliases:
  - AliasName: alias/testing
    TargetKeyId: bc436485-5092-42b8-92a3-0aa8b93536dc
`);
  await withKmslite({ seedPath: path }, async (running) => {
    const kms = kmsClient(running);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/testing' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: 'bc436485-5092-42b8-92a3-0aa8b93536dc', Description: 'Your key description', KeySpec: 'SYMMETRIC_DEFAULT' });
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: 'bc436485-5092-42b8-92a3-0aa8b93536dc' }))).KeyRotationEnabled).toBe(true);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: '49c5492b-b1bc-42a8-9a5c-b2015e810c1c' }))).KeyMetadata!.Enabled).toBe(true);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/testing', Plaintext: Buffer.from('old layout') }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('old layout');
  });
  // A bad entry in the old layout is refused like one in the new, naming where it is.
  const bad = seedFile('Keys:\n  - Metadata:\n      KeyId: k1\n    BackingKeys: [zz]\n');
  const error = await errorOf(() => startTestKmslite({ seedPath: bad }));
  expect(error).toBeInstanceOf(SeedError);
  expect(error.message).toContain(`Invalid seed file ${bad}: entry Keys.Symmetric.Aes.0.BackingKeys.0`);
});

test('an unquoted backing key of digits only is hex text, as local-kms (go-yaml) reads it, not a YAML number', async () => {
  const digits = '11'.repeat(32);
  const path = seedFile(`Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${KEY}\n        BackingKeys:\n          - ${digits}\n`);
  const quoted = seedFile(`Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${KEY}\n        BackingKeys:\n          - "${digits}"\n`);
  const first = await startTestKmslite({ seedPath: path });
  const second = await startTestKmslite({ seedPath: quoted });
  try {
    const sealed = await kmsClient(first).send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('digits') }));
    const opened = await kmsClient(second).send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('digits');
  } finally {
    await first.stop();
    await second.stop();
  }
});

test('ciphertexts made from seeded keys decrypt in another kmslite started from the same seed', async () => {
  const path = seedFile(`Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${KEY}\n        BackingKeys: [${MATERIAL}]\n`);
  const first = await startTestKmslite({ seedPath: path });
  const encrypted = await kmsClient(first).send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('portable'), EncryptionContext: { a: 'b' } }));
  await first.stop();
  await withKmslite({ seedPath: path }, async (second) => {
    const decrypted = await kmsClient(second).send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('portable');
  });
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
  await withKmslite({ seedPath: path }, async (running) => {
    const kms = kmsClient(running, 'us-west-2', { accessKeyId: '444455556666', secretAccessKey: 'x' });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/west' }));
    expect(described.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false, AWSAccountId: '444455556666' });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: KEY }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'payments' }]);
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: KEY, PolicyName: 'default' }))).Policy!)).toEqual(policy);
    const mrk = await kms.send(new DescribeKeyCommand({ KeyId: 'mrk-0123456789abcdef0123456789abcdef' }));
    expect(mrk.KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType).toBe('PRIMARY');
    const disabled = await errorOf(() => kms.send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('x') })));
    expect(disabled.name).toBe('DisabledException');
  });
});

test.each([
  ['not YAML', 'Keys: [unclosed', /^Invalid seed file .*seed-\d+\.yaml: not valid YAML/],
  ['wrong shape', 'Keys:\n  Symmetric:\n    Aes: "nope"\n', /^Invalid seed file .*: entry Keys\.Symmetric\.Aes must be array$/],
  ['bad backing key', `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: ${KEY}}\n        BackingKeys: [abcd]\n`, /entry Keys\.Symmetric\.Aes\.0\.BackingKeys\.0 must match pattern/],
  ['no backing key', `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: ${KEY}}\n`, /Invalid seed entry .*Keys\.Symmetric\.Aes\.0 \(KeyId 11111111-2222-4333-8444-555555555555\): BackingKeys needs at least one/],
  ['reserved alias', `Aliases:\n  - {AliasName: alias/aws/s3, TargetKeyId: ${KEY}}\n`, /Aliases\.0 \(alias\/aws\/s3\): an alias name starts with alias\/ and not alias\/aws\//],
  ['missing KeyId', 'Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {Description: x}\n', /entry Keys\.Symmetric\.Aes\.0\.Metadata must have required property 'KeyId'/],
])('an invalid seed (%s) stops start-up naming the file, the entry and the problem', async (_case, text, message) => {
  const path = seedFile(text);
  let error: unknown;
  try {
    await Kmslite.create({ seedPath: path, logLevel: 'silent', port: 0 }, {});
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(SeedError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(path);
});

test('an explicit seed path that does not exist stops start-up', async () => {
  await expect(Kmslite.create({ seedPath: join(dir, 'missing.yaml'), logLevel: 'silent' }, {})).rejects.toThrow(/Cannot read seed file/);
});

function indent(text: string, spaces: number): string {
  return text
    .trim()
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

function spkiOf(pem: string): Buffer {
  return createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
}

test('asymmetric and HMAC entries: each kind, its spec taken from the key, GetPublicKey gives the matching public key', async () => {
  const rsa1 = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sm2 = generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const seed = randomBytes(32);
  const ids = Array.from({ length: 9 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
  const path = seedFile(`
Keys:
  Symmetric:
    Hmac:
      - Metadata: { KeyId: ${ids[0]}, KeySpec: HMAC_384, KeyUsage: GENERATE_VERIFY_MAC }
        BackingKeys: [${'ab'.repeat(48)}]
  Asymmetric:
    Rsa:
      - Metadata: { KeyId: ${ids[1]}, KeyUsage: ENCRYPT_DECRYPT }
        PrivateKeyPem: |
${indent(rsa1, 10)}
    Ecc:
      - Metadata: { KeyId: ${ids[2]}, KeyUsage: SIGN_VERIFY }
        PrivateKeyPem: |
${indent(p384, 10)}
      - Metadata: { KeyId: ${ids[3]} }
        PrivateKeyPem: |
${indent(k1, 10)}
      - Metadata: { KeyId: ${ids[4]}, KeyUsage: KEY_AGREEMENT }
        PrivateKeyPem: |
${indent(p256, 10)}
    Ed25519:
      - Metadata: { KeyId: ${ids[5]} }
        PrivateKeyPem: |
${indent(ed, 10)}
    MlDsa:
      - Metadata: { KeyId: ${ids[6]}, KeySpec: ML_DSA_65 }
        Seed: ${seed.toString('hex')}
Regions:
  - Region: cn-north-1
    Keys:
      Asymmetric:
        Sm2:
          - Metadata: { KeyId: ${ids[7]}, KeyUsage: SIGN_VERIFY }
            PrivateKeyPem: |
${indent(sm2, 14)}
`);
  await withKmslite({ seedPath: path }, async (running) => {
    const kms = kmsClient(running);
    const expectations: [string, string, string, Buffer][] = [
      [ids[1]!, 'RSA_3072', 'ENCRYPT_DECRYPT', spkiOf(rsa1)],
      [ids[2]!, 'ECC_NIST_P384', 'SIGN_VERIFY', spkiOf(p384)],
      [ids[3]!, 'ECC_SECG_P256K1', 'SIGN_VERIFY', spkiOf(k1)],
      [ids[4]!, 'ECC_NIST_P256', 'KEY_AGREEMENT', spkiOf(p256)],
      [ids[5]!, 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', spkiOf(ed)],
      [ids[6]!, 'ML_DSA_65', 'SIGN_VERIFY', (await mlDsaKeyPairFromSeed('ML_DSA_65', seed)).publicKey],
    ];
    for (const [keyId, keySpec, keyUsage, publicKey] of expectations) {
      const result = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      expect([result.KeySpec, result.KeyUsage]).toEqual([keySpec, keyUsage]);
      expect(Buffer.from(result.PublicKey!)).toEqual(publicKey);
    }
    const hmac = await kms.send(new DescribeKeyCommand({ KeyId: ids[0] }));
    expect(hmac.KeyMetadata).toMatchObject({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_384'] });
    expect(hmac.KeyMetadata).not.toHaveProperty('CurrentKeyMaterialId');
    const mac = await kms.send(new GenerateMacCommand({ KeyId: ids[0], MacAlgorithm: 'HMAC_SHA_384', Message: Buffer.from('seeded') }));
    expect(Buffer.from(mac.Mac!)).toEqual(createHmac('sha384', Buffer.from('ab'.repeat(48), 'hex')).update('seeded').digest());
    const china = kmsClient(running, 'cn-north-1');
    const sm2Key = await china.send(new GetPublicKeyCommand({ KeyId: ids[7] }));
    expect(sm2Key.KeyId).toBe(`arn:aws-cn:kms:cn-north-1:111122223333:key/${ids[7]}`);
    expect(Buffer.from(sm2Key.PublicKey!)).toEqual(spkiOf(sm2));
    expect(sm2Key.SigningAlgorithms).toEqual(['SM2DSA']);
  });
});

test.each([
  ['an RSA key in an Ecc entry', () => `Keys:\n  Asymmetric:\n    Ecc:\n      - Metadata: {KeyId: k1, KeyUsage: SIGN_VERIFY}\n        PrivateKeyPem: |\n${indent(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 10)}\n`, /Asymmetric\.Ecc\.0 \(KeyId k1\): PrivateKeyPem is not a private key of a key spec for Ecc entries \(it is RSA_2048\)/],
  ['an Rsa entry without KeyUsage', () => `Keys:\n  Asymmetric:\n    Rsa:\n      - Metadata: {KeyId: k2}\n        PrivateKeyPem: |\n${indent(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 10)}\n`, /KeyUsage is required for Rsa keys/],
  ['an HMAC key of the wrong length', () => `Keys:\n  Symmetric:\n    Hmac:\n      - Metadata: {KeyId: k3, KeySpec: HMAC_256}\n        BackingKeys: [abcd]\n`, /HMAC_256 needs a backing key of 32 bytes/],
  ['an SM2 key outside China', () => `Keys:\n  Asymmetric:\n    Sm2:\n      - Metadata: {KeyId: k4, KeyUsage: SIGN_VERIFY}\n        PrivateKeyPem: |\n${indent(generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 10)}\n`, /SM2 keys exist only in the China Regions/],
  ['a garbage PEM', () => `Keys:\n  Asymmetric:\n    Rsa:\n      - Metadata: {KeyId: k5, KeyUsage: SIGN_VERIFY}\n        PrivateKeyPem: "nope"\n`, /PrivateKeyPem is not an unencrypted PEM private key/],
])('an invalid key entry (%s) stops start-up', async (_case, text, message) => {
  const path = seedFile(text());
  await expect(Kmslite.create({ seedPath: path, logLevel: 'silent' }, {})).rejects.toThrow(message);
});
