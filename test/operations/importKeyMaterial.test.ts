/**
 * GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial, material expiry and on-demand rotation of
 * imported material, through the SDK. The wrapping is done independently, with node:crypto (test/helpers/wrapKeyMaterial.ts: RSA-OAEP with
 * the returned PublicKey; RFC 5649 AES key wrap with padding via 'id-aes256-wrap-pad').
 * Sources: aws-recorded-scenarios.md (GetParametersForImport, ImportKeyMaterial, DescribeKey import rows,
 * RotateKeyOnDemand on EXTERNAL keys, AWS-validated import facts); API reference of each operation.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyMacCommand,
  type AlgorithmSpec,
  type GetParametersForImportCommandOutput,
  type ImportKeyMaterialCommandInput,
  type KeySpec,
  type KeyUsageType,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import {
  constants,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
  verify as cryptoVerify,
} from 'node:crypto';
import { ON_DEMAND_ROTATION_MS, advanceClock, errorOf, kmsClient, rawRequest, useKmslite, expectRejected, keyArnOf, kms, running } from '../helpers/fixture.js';
import { DAY_MS } from '../../src/util/clock.js';
import { importWrappedKeyMaterial, wrapKeyMaterial, type ImportOptions } from '../helpers/wrapKeyMaterial.js';

useKmslite();

const now = () => running.kmslite.clock.now();
async function externalKey(KeySpec?: KeySpec, KeyUsage?: KeyUsageType) {
  return (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec, KeyUsage }))).KeyMetadata!;
}

async function describe_(keyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

async function parameters(keyId: string, WrappingAlgorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256', WrappingKeySpec: WrappingKeySpec = 'RSA_2048') {
  return kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm, WrappingKeySpec }));
}

/** ImportKeyMaterial onto `keyId` of 32 random bytes wrapped (RSAES_OAEP_SHA_256) for `params`, with its ImportToken unless `input` gives another. */
function importRandomMaterial(keyId: string, params: GetParametersForImportCommandOutput, input: Partial<ImportKeyMaterialCommandInput> = {}) {
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapKeyMaterial('RSAES_OAEP_SHA_256', params.PublicKey!, randomBytes(32)),
      ...input,
    }),
  );
}

const importMaterial = async (keyId: string, material: Buffer, options?: ImportOptions) => (await importWrappedKeyMaterial(kms, keyId, material, options)).imported;

const pendingImport = (keyId: string) => `${keyArnOf(keyId)} is pending import.`;

describe('GetParametersForImport', () => {
  describe('validation', () => {
    test('an AWS_KMS key answers UnsupportedOperationException (AWS-recorded text)', async () => {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await expectRejected(() => parameters(key.KeyId!), 'UnsupportedOperationException', `${key.Arn} origin is AWS_KMS which is not valid for this operation.`);
    });

    test('RSAES_PKCS1_V1_5 is refused (no longer supported since 2023-10-10)', async () => {
      const key = await externalKey();
      await expectRejected(() => parameters(key.KeyId!, 'RSAES_PKCS1_V1_5'), 'ValidationException', undefined);
    });

    test('SM2 wrapping outside China Regions is refused', async () => {
      const key = await externalKey();
      await expectRejected(() => parameters(key.KeyId!, 'SM2PKE', 'SM2'), 'ValidationException', 'WrappingKeySpec SM2 is supported only in China Regions.');
      await expectRejected(() => parameters(key.KeyId!, 'SM2PKE', 'RSA_2048'), 'ValidationException', 'WrappingAlgorithm SM2PKE is supported only in China Regions.');
    });

    test('a key pending deletion answers KMSInvalidStateException', async () => {
      const key = await externalKey();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      await expectRejected(() => parameters(key.KeyId!), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    });

    test('an unknown key answers NotFoundException', async () => {
      const id = '11111111-2222-3333-4444-555555555555';
      await expectRejected(() => parameters(id), 'NotFoundException', `Key '${keyArnOf(id)}' does not exist`);
    });
  });

  describe('functionality', () => {
    test.each(['RSA_2048', 'RSA_3072'] as const)('returns the ARN, a token, an SPKI %s public key valid 24 hours', async (spec) => {
      const key = await externalKey();
      const before = now();
      const response = await parameters(key.KeyId!, 'RSA_AES_KEY_WRAP_SHA_256', spec);
      expect(response.KeyId).toBe(key.Arn);
      expect(response.ImportToken!.length).toBeGreaterThan(0);
      const publicKey = createPublicKey({ key: Buffer.from(response.PublicKey!), format: 'der', type: 'spki' });
      expect(publicKey.asymmetricKeyDetails!.modulusLength).toBe(spec === 'RSA_2048' ? 2048 : 3072);
      const validTo = response.ParametersValidTo!.getTime();
      expect(validTo).toBeGreaterThanOrEqual(before + DAY_MS - 1000);
      expect(validTo).toBeLessThanOrEqual(now() + DAY_MS + 1000);
      expect((await describe_(key.KeyId!)).KeyState).toBe('PendingImport');
    });
  });
});

describe('ImportKeyMaterial', () => {
  describe('validation', () => {
    test('no ExpirationModel and no ValidTo: ValidationException (AWS-recorded text)', async () => {
      const key = await externalKey();
      const params = await parameters(key.KeyId!);
      await expectRejected(
        () => importRandomMaterial(key.KeyId!, params),
        'ValidationException',
        'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
      );
      expect((await describe_(key.KeyId!)).KeyState).toBe('PendingImport');
    });

    test('ValidTo with KEY_MATERIAL_DOES_NOT_EXPIRE, in the past, or beyond 365 days is refused', async () => {
      const key = await externalKey();
      const params = await parameters(key.KeyId!);
      const send = (ExpirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: Date) =>
        importRandomMaterial(key.KeyId!, params, { ExpirationModel, ValidTo });
      await expectRejected(() => send('KEY_MATERIAL_DOES_NOT_EXPIRE', new Date(now() + DAY_MS)), 'ValidationException', undefined);
      await expectRejected(() => send('KEY_MATERIAL_EXPIRES', new Date(now() - DAY_MS)), 'ValidationException', 'The validTo date must be in the future.');
      await expectRejected(() => send('KEY_MATERIAL_EXPIRES', new Date(now() + 400 * DAY_MS)), 'ValidationException', undefined);
    });

    test('a token of another key, or garbage, answers InvalidImportTokenException', async () => {
      const key = await externalKey();
      const other = await externalKey();
      const params = await parameters(other.KeyId!);
      const send = (ImportToken: Uint8Array) => importRandomMaterial(key.KeyId!, params, { ImportToken, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      await expectRejected(() => send(params.ImportToken!), 'InvalidImportTokenException', 'The import token is invalid or is associated with a different KMS key.');
      await expectRejected(() => send(randomBytes(64)), 'InvalidImportTokenException', 'The import token is invalid or is associated with a different KMS key.');
    });

    test('a token older than 24 hours answers ExpiredImportTokenException', async () => {
      const key = await externalKey();
      const params = await parameters(key.KeyId!);
      running.kmslite.clock.advance(DAY_MS + 1000);
      await expectRejected(
        () => importRandomMaterial(key.KeyId!, params, { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        'ExpiredImportTokenException',
        'The import token has expired. Use GetParametersForImport to get a new import token and public key.',
      );
    });

    test('material that does not unwrap answers InvalidCiphertextException with no message', async () => {
      const key = await externalKey();
      const params = await parameters(key.KeyId!);
      const response = await rawRequest(running, 'ImportKeyMaterial', {
        KeyId: key.KeyId,
        ImportToken: Buffer.from(params.ImportToken!).toString('base64'),
        EncryptedKeyMaterial: randomBytes(256).toString('base64'),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ __type: 'InvalidCiphertextException' });
    });

    test('material of the wrong shape, or different material on reimport, answers IncorrectKeyMaterialException', async () => {
      const key = await externalKey();
      const message = 'The key material is invalid or is not the same key material that was previously imported into this KMS key.';
      await expectRejected(() => importMaterial(key.KeyId!, randomBytes(16)), 'IncorrectKeyMaterialException', message);
      const hmac = await externalKey('HMAC_256', 'GENERATE_VERIFY_MAC');
      await expectRejected(() => importMaterial(hmac.KeyId!, randomBytes(28)), 'IncorrectKeyMaterialException', message);
      await importMaterial(key.KeyId!, randomBytes(32));
      await expectRejected(() => importMaterial(key.KeyId!, randomBytes(32)), 'IncorrectKeyMaterialException', message);
      const ecc = await externalKey('ECC_NIST_P256', 'SIGN_VERIFY');
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
      await expectRejected(() => importMaterial(ecc.KeyId!, p384, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }), 'IncorrectKeyMaterialException', message);
    });

    test('an AWS_KMS key answers UnsupportedOperationException', async () => {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await expectRejected(
        () => kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: randomBytes(40), EncryptedKeyMaterial: randomBytes(256) })),
        'UnsupportedOperationException',
        `${key.Arn} origin is AWS_KMS which is not valid for this operation.`,
      );
    });
  });

  describe('functionality', () => {
    test.each([
      ['RSAES_OAEP_SHA_1', 'RSA_2048'],
      ['RSAES_OAEP_SHA_256', 'RSA_2048'],
      ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048'],
      ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072'],
    ] as const)('symmetric key via %s / %s: DescribeKey shapes, Encrypt/Decrypt, delete, reimport', async (algorithm, wrappingKeySpec) => {
      const key = await externalKey();
      await expectRejected(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', pendingImport(key.KeyId!));
      const before = await describe_(key.KeyId!);
      expect(before).toMatchObject({ KeyState: 'PendingImport', Enabled: false, Origin: 'EXTERNAL' });
      expect(before.CurrentKeyMaterialId).toBeUndefined();
      expect(before.ExpirationModel).toBeUndefined();

      const material = randomBytes(32);
      const imported = await importMaterial(key.KeyId!, material, { algorithm, wrappingKeySpec });
      expect(imported.KeyId).toBe(key.Arn);
      expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      const after = await describe_(key.KeyId!);
      expect(after).toMatchObject({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: imported.KeyMaterialId });
      expect(after.ValidTo).toBeUndefined();

      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('imported') }));
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('imported');

      const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
      expect(deleted.KeyId).toBe(key.Arn);
      expect(deleted.KeyMaterialId).toBe(imported.KeyMaterialId);
      const afterDelete = await describe_(key.KeyId!);
      expect(afterDelete).toMatchObject({ KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: imported.KeyMaterialId });
      expect(afterDelete.ExpirationModel).toBeUndefined();
      await expectRejected(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', pendingImport(key.KeyId!));
      await expectRejected(() => kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })), 'KMSInvalidStateException', pendingImport(key.KeyId!));

      await expectRejected(() => importMaterial(key.KeyId!, randomBytes(32)), 'IncorrectKeyMaterialException', undefined);
      const again = await importMaterial(key.KeyId!, material, { algorithm, wrappingKeySpec });
      expect(again.KeyMaterialId).toBe(imported.KeyMaterialId);
      const restored = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(restored.Plaintext!).toString()).toBe('imported');
    });

    test.each([
      ['HMAC_224', 28, 'HMAC_SHA_224', 'sha224'],
      ['HMAC_256', 32, 'HMAC_SHA_256', 'sha256'],
      ['HMAC_384', 48, 'HMAC_SHA_384', 'sha384'],
      ['HMAC_512', 64, 'HMAC_SHA_512', 'sha512'],
    ] as const)('%s key: imported %i bytes make the MACs', async (spec, length, macAlgorithm, hash) => {
      const key = await externalKey(spec, 'GENERATE_VERIFY_MAC');
      const material = randomBytes(length);
      const imported = await importMaterial(key.KeyId!, material);
      expect(imported.KeyId).toBe(key.Arn);
      const after = await describe_(key.KeyId!);
      expect(after).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      expect(after.CurrentKeyMaterialId).toBeUndefined();
      const message = Buffer.from('message');
      const mac = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: macAlgorithm }));
      expect(mac.KeyId).toBe(key.Arn);
      expect(Buffer.from(mac.Mac!)).toEqual(createHmac(hash, material).update(message).digest());
      const verified = await kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: macAlgorithm, Mac: mac.Mac }));
      expect(verified.MacValid).toBe(true);
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
      expect((await describe_(key.KeyId!)).KeyState).toBe('PendingImport');
    });

    test.each([
      ['ECC_NIST_P256', 'prime256v1', 'RSAES_OAEP_SHA_1', 'RSA_2048', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'secp384r1', 'RSAES_OAEP_SHA_1', 'RSA_2048', 'ECDSA_SHA_384', 'sha384'],
      ['ECC_SECG_P256K1', 'secp256k1', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P521', 'secp521r1', 'RSAES_OAEP_SHA_256', 'RSA_4096', 'ECDSA_SHA_512', 'sha512'],
    ] as const)('%s key: imported PKCS#8 signs; signatures verify with the original public key', async (spec, curve, algorithm, wrappingKeySpec, signing, hash) => {
      const key = await externalKey(spec, 'SIGN_VERIFY');
      const pair = generateKeyPairSync('ec', { namedCurve: curve });
      const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
      const imported = await importMaterial(key.KeyId!, pkcs8, { algorithm, wrappingKeySpec });
      expect(imported.KeyId).toBe(key.Arn);
      const after = await describe_(key.KeyId!);
      expect(after).toMatchObject({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      expect(after.CurrentKeyMaterialId).toBeUndefined();
      const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      expect(Buffer.from(publicKey.PublicKey!)).toEqual(pair.publicKey.export({ type: 'spki', format: 'der' }));
      const message = Buffer.from('sign me');
      const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: signing }));
      expect(signed.KeyId).toBe(key.Arn);
      expect(cryptoVerify(hash, message, pair.publicKey, Buffer.from(signed.Signature!))).toBe(true);
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
      const deleted = await describe_(key.KeyId!);
      expect(deleted).toMatchObject({ KeyState: 'PendingImport', Enabled: false });
      expect(deleted.ExpirationModel).toBeUndefined();
    });

    test('RSA_2048 SIGN_VERIFY key via RSA_AES_KEY_WRAP_SHA_256: PSS signatures verify independently', async () => {
      const key = await externalKey('RSA_2048', 'SIGN_VERIFY');
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await importMaterial(key.KeyId!, pair.privateKey.export({ type: 'pkcs8', format: 'der' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
      const message = Buffer.from('rsa message');
      const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
      expect(
        cryptoVerify('sha256', message, { key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(signed.Signature!)),
      ).toBe(true);
    });

    test('RSA_2048 ENCRYPT_DECRYPT key: KMS ciphertexts open with the original private key', async () => {
      const key = await externalKey('RSA_2048', 'ENCRYPT_DECRYPT');
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await importMaterial(key.KeyId!, pair.privateKey.export({ type: 'pkcs8', format: 'der' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('secret'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
      const opened = privateDecrypt(
        { key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from(encrypted.CiphertextBlob!),
      );
      expect(opened.toString()).toBe('secret');
    });

    test('material expires at ValidTo: the key goes back to PendingImport', async () => {
      const key = await externalKey();
      const material = randomBytes(32);
      const validTo = new Date(Math.floor((now() + DAY_MS) / 1000) * 1000);
      await importMaterial(key.KeyId!, material, { ValidTo: validTo });
      const after = await describe_(key.KeyId!);
      expect(after).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
      expect(after.ValidTo!.getTime()).toBe(validTo.getTime());
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('soon gone') }));
      running.kmslite.clock.advance(DAY_MS + 1000);
      const expired = await describe_(key.KeyId!);
      expect(expired).toMatchObject({ KeyState: 'PendingImport', Enabled: false });
      expect(expired.ExpirationModel).toBeUndefined();
      expect(expired.ValidTo).toBeUndefined();
      await expectRejected(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', pendingImport(key.KeyId!));
      await importMaterial(key.KeyId!, material);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('soon gone');
    });
  });
});

describe('DeleteImportedKeyMaterial', () => {
  describe('validation', () => {
    test('an AWS_KMS key answers UnsupportedOperationException', async () => {
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await expectRejected(
        () => kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId })),
        'UnsupportedOperationException',
        `${key.Arn} origin is AWS_KMS which is not valid for this operation.`,
      );
    });
  });

  describe('functionality', () => {
    test('a key pending import is left as it is', async () => {
      const key = await externalKey();
      const response = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
      expect(response.KeyId).toBe(key.Arn);
      expect(response.KeyMaterialId).toBeUndefined();
      expect((await describe_(key.KeyId!)).KeyState).toBe('PendingImport');
    });

    test('a key pending deletion keeps its state', async () => {
      const key = await externalKey();
      await importMaterial(key.KeyId!, randomBytes(32));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
      await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
      expect((await describe_(key.KeyId!)).KeyState).toBe('PendingDeletion');
    });
  });
});

describe('RotateKeyOnDemand of imported material', () => {
  test('new material is pending until rotation; old ciphertexts decrypt after it (AWS-recorded flow)', async () => {
    const key = await externalKey();
    const first = await importMaterial(key.KeyId!, randomBytes(32));
    await expectRejected(
      () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
      'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${key.Arn}.`,
    );
    const old = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('before rotation') }));
    const second = await importMaterial(key.KeyId!, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second' });
    expect(second.KeyMaterialId).not.toBe(first.KeyMaterialId);
    expect((await describe_(key.KeyId!)).CurrentKeyMaterialId).toBe(first.KeyMaterialId);

    const third = randomBytes(32);
    const error = await errorOf(() => importMaterial(key.KeyId!, third, { ImportType: 'NEW_KEY_MATERIAL' }));
    expect(error.name).toBe('KMSInvalidStateException');
    expect(error.message).toMatch(
      new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${key.Arn}, because another key material \\(id: ${second.KeyMaterialId}\\) is pending rotation\\.$`),
    );

    const all = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    expect(all.map((entry) => [entry.KeyMaterialId, entry.KeyMaterialState, entry.ImportState])).toEqual([
      [first.KeyMaterialId, 'CURRENT', 'IMPORTED'],
      [second.KeyMaterialId, 'PENDING_ROTATION', 'IMPORTED'],
    ]);

    const rotated = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    expect(rotated.KeyId).toBe(key.Arn);
    // In progress (AWS rotates in the background): the first material stays current until it completes.
    expect((await describe_(key.KeyId!)).CurrentKeyMaterialId).toBe(first.KeyMaterialId);
    await advanceClock(running, ON_DEMAND_ROTATION_MS);
    const after = await describe_(key.KeyId!);
    expect(after.CurrentKeyMaterialId).toBe(second.KeyMaterialId);
    expect(after.ExpirationModel).toBe('KEY_MATERIAL_DOES_NOT_EXPIRE');
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('before rotation');
    const fresh = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('after') }));
    expect(Buffer.from(fresh.CiphertextBlob!)).not.toEqual(Buffer.from(old.CiphertextBlob!));

    const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations!;
    expect(rotations).toHaveLength(1);
    expect(rotations[0]).toMatchObject({ KeyMaterialId: second.KeyMaterialId, KeyMaterialState: 'CURRENT', RotationType: 'ON_DEMAND', ImportState: 'IMPORTED', KeyMaterialDescription: 'second' });
    await expectRejected(
      () => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
      'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${key.Arn}.`,
    );
  });

  test('an EXTERNAL key without material answers pending import (AWS-recorded)', async () => {
    const key = await externalKey();
    await expectRejected(() => kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', pendingImport(key.KeyId!));
  });

  test('NEW_KEY_MATERIAL into an HMAC key that has material is refused', async () => {
    const key = await externalKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await importMaterial(key.KeyId!, randomBytes(32));
    await expectRejected(() => importMaterial(key.KeyId!, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' }), 'ValidationException', undefined);
  });
});

describe('SM2PKE wrapping (China Regions)', () => {
  test('an SM2 wrapping key unwraps SM2PKE-encrypted symmetric material in cn-north-1', async () => {
    const { sm2Encrypt } = await import('../../src/crypto/sm2.js');
    const china = kmsClient(running, 'cn-north-1');
    const key = (await china.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    await expectRejected(
      () => china.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'RSA_2048' })),
      'ValidationException',
      'WrappingAlgorithm SM2PKE is not compatible with WrappingKeySpec RSA_2048.',
    );
    const params = await china.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'SM2' }));
    expect(params.KeyId).toBe(key.Arn);
    expect(key.Arn!.startsWith('arn:aws-cn:kms:cn-north-1:')).toBe(true);
    // node:crypto has no SM2 encryption: the project's SM2 (GB/T 32918.4, cross-checked in test/unit/sm2.test.ts) wraps.
    const material = randomBytes(32);
    const imported = await china.send(
      new ImportKeyMaterialCommand({
        KeyId: key.KeyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: sm2Encrypt(Buffer.from(params.PublicKey!), material),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const encrypted = await china.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('sm2') }));
    const decrypted = await china.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('sm2');
  });
});
