/**
 * LocalStack's CreateKey tags (src/kms/localStackTags.ts): `_custom_id_` picks the KeyId and
 * `_custom_key_material_` the key material (base64), so LocalStack set-up scripts keep working and fixtures
 * decrypt everywhere. Bad input is an AWS-shaped error with nothing created and no material in any message.
 * Semantics from LocalStack's services/kms/models.py and its tests test_create_key_custom_id /
 * test_create_key_custom_key_material_hmac.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  SignCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify as nodeVerify } from 'node:crypto';
import { errorOf, kmsClient, useKmslite, withKmslite, kms, running } from '../helpers/fixture.js';
import { auditEvents } from '../audit/helpers.js';

useKmslite();
afterAll(() => kms.destroy());

const keyCount = async () => (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
const material = (bytes: Buffer) => ({ TagKey: '_custom_key_material_', TagValue: bytes.toString('base64') });
const customId = (id: string) => ({ TagKey: '_custom_id_', TagValue: id });

/** CreateKey must fail with `name` (and `message`), create nothing, and never echo the material. */
async function expectRefused(input: CreateKeyCommandInput, name: string, message: string | RegExp) {
  const before = await keyCount();
  const error = await errorOf(() => kms.send(new CreateKeyCommand(input)));
  expect(error.name).toBe(name);
  expect(error.$metadata.httpStatusCode).toBe(400);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  for (const tag of input.Tags ?? []) if (tag.TagKey === '_custom_key_material_' && tag.TagValue!.length > 8) expect(error.message).not.toContain(tag.TagValue);
  expect(await keyCount()).toBe(before);
}

describe('_custom_id_', () => {
  test('is the new key’s KeyId (trimmed), in its ARN; the tag stays on the key as in LocalStack', async () => {
    const id = randomUUID();
    const created = (await kms.send(new CreateKeyCommand({ Tags: [customId(` ${id} `), { TagKey: 'team', TagValue: 'a' }] }))).KeyMetadata!;
    expect(created.KeyId).toBe(id);
    expect(created.Arn).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${id}`);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(id);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: id }))).Tags).toEqual([customId(` ${id} `), { TagKey: 'team', TagValue: 'a' }]);
  });

  test('a multi-Region key takes an mrk- id', async () => {
    const id = `mrk-${randomBytes(16).toString('hex')}`;
    const created = (await kms.send(new CreateKeyCommand({ MultiRegion: true, Tags: [customId(id)] }))).KeyMetadata!;
    expect([created.KeyId, created.MultiRegion]).toEqual([id, true]);
  });

  test('an id in use → AlreadyExistsException; a malformed id or an mrk- mismatch → ValidationException; nothing created', async () => {
    const id = randomUUID();
    await kms.send(new CreateKeyCommand({ Tags: [customId(id)] }));
    await expectRefused({ Tags: [customId(id)] }, 'AlreadyExistsException', `arn:aws:kms:eu-west-2:111122223333:key/${id} already exists.`);
    await expectRefused({ Tags: [customId('alias/x')] }, 'ValidationException', /^The _custom_id_ tag must be 1 to 128 letters/);
    await expectRefused({ Tags: [customId('   ')] }, 'ValidationException', /^The _custom_id_ tag must be/);
    await expectRefused({ MultiRegion: true, Tags: [customId(randomUUID())] }, 'ValidationException', /must start with mrk-/);
    await expectRefused({ Tags: [customId(`mrk-${randomBytes(16).toString('hex')}`)] }, 'ValidationException', /must start with mrk-/);
  });
});

describe('_custom_key_material_', () => {
  test('SYMMETRIC_DEFAULT: 32 bytes; the same id and material in another kmslite decrypt this one’s ciphertexts; the tag is not kept, and the audit event hides it', async () => {
    const id = randomUUID();
    const bytes = randomBytes(32);
    const tags = [customId(id), material(bytes)];
    const created = await kms.send(new CreateKeyCommand({ Tags: tags }));
    expect(created.KeyMetadata!.KeyId).toBe(id);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: id }))).Tags).toEqual([customId(id)]);
    const sealed = await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('fixture'), EncryptionContext: { app: 'x' } }));

    await withKmslite({}, async (other) => {
      const otherKms = kmsClient(other);
      await otherKms.send(new CreateKeyCommand({ Tags: tags }));
      const opened = await otherKms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { app: 'x' } }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe('fixture');
      otherKms.destroy();
    });
    const events = (await auditEvents(running, { operation: 'CreateKey' })).filter((event) => event.responseElements?.keyMetadata?.keyId === id);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain(bytes.toString('base64'));
    expect(events[0].requestParameters.tags).toContainEqual({ tagKey: '_custom_key_material_', tagValue: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  });

  test('HMAC_256 with LocalStack’s own 24-byte material: GenerateMac is HMAC-SHA-256 with that key (node:crypto)', async () => {
    const key = Buffer.from('custom test key material');
    const { KeyId } = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Tags: [material(key)] }))).KeyMetadata!;
    const mac = await kms.send(new GenerateMacCommand({ KeyId, Message: Buffer.from('some important message'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(mac.Mac!)).toEqual(createHmac('sha256', key).update('some important message').digest());
  });

  test.each([
    ['ECC_NIST_P256 from SEC1 DER (as LocalStack users write it)', 'ECC_NIST_P256', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'der' })],
    ['ECC_SECG_P256K1 from PKCS#8 DER', 'ECC_SECG_P256K1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['ECC_NIST_P384 from PKCS#8 DER (248 base64 characters: within the 256 a tag value may have)', 'ECC_NIST_P384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'der' })],
  ] as const)('%s: GetPublicKey is that key’s, and signatures verify with it (node:crypto)', async (_name, keySpec, make) => {
    const der = make();
    const { KeyId } = (await kms.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY', Tags: [material(der)] }))).KeyMetadata!;
    const type = keySpec === 'ECC_NIST_P256' ? 'sec1' : 'pkcs8';
    const expected = createPublicKey(createPrivateKey({ key: der, format: 'der', type })).export({ type: 'spki', format: 'der' });
    const publicKey = Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId }))).PublicKey!);
    expect(publicKey).toEqual(expected);
    const [algorithm, hash] = keySpec === 'ECC_NIST_P384' ? (['ECDSA_SHA_384', 'sha384'] as const) : (['ECDSA_SHA_256', 'sha256'] as const);
    const signed = await kms.send(new SignCommand({ KeyId, Message: Buffer.from('m'), SigningAlgorithm: algorithm }));
    const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
    expect(nodeVerify(hash, Buffer.from('m'), key, Buffer.from(signed.Signature!))).toBe(true);
  });

  test('bad material → ValidationException naming the problem, never the material; nothing created', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    await expectRefused({ Tags: [{ TagKey: '_custom_key_material_', TagValue: 'not base64!' }] }, 'ValidationException', 'The _custom_key_material_ tag is not base64-encoded key material.');
    await expectRefused({ Tags: [material(randomBytes(16))] }, 'ValidationException', 'The _custom_key_material_ tag of a SYMMETRIC_DEFAULT key must hold 32 bytes of key material, not 16.');
    await expectRefused(
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Tags: [material(p384)] },
      'ValidationException',
      'The _custom_key_material_ tag of a ECC_NIST_P256 key must hold a DER private key (PKCS#8, SEC1 or PKCS#1) of that key spec.',
    );
    await expectRefused(
      { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', Tags: [material(randomBytes(48))] },
      'ValidationException',
      'The _custom_key_material_ tag of a ECC_NIST_EDWARDS25519 key must hold a DER private key (PKCS#8, SEC1 or PKCS#1) of that key spec.',
    );
    // An RSA private key does not fit in a tag value (256 characters at most, the model's limit): the validation
    // message names the member without echoing the value, as it does for sensitive members.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' });
    await expectRefused(
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Tags: [material(rsa)] },
      'ValidationException',
      "1 validation error detected: Value at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    await expectRefused({ Origin: 'EXTERNAL', Tags: [material(randomBytes(32))] }, 'ValidationException', 'The _custom_key_material_ tag can only be used with keys whose Origin is AWS_KMS.');
    // A good material with a bad id: nothing created either.
    await expectRefused({ Tags: [customId('a/b'), material(randomBytes(32))] }, 'ValidationException', /^The _custom_id_ tag/);
  });
});
