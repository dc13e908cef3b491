/**
 * SM2 keys end to end through the SDK, in the China (Beijing) Region cn-north-1 — the only place AWS offers
 * them. Sources: AWS KMS Developer Guide "SM2 key spec (China Regions only)" (SM2DSA with the default
 * distinguishing ID 1234567812345678, MessageType DIGEST = the caller's SM3(Z_A || M), SM2PKE ciphertext in
 * the GM/T 0009 ASN.1 form, OpenSSL 3.0 compatible), API reference DeriveSharedSecret (ECDH, raw secret).
 *
 * Independent checks: the `openssl` command (SM2DSA with -pkeyopt distid, SM2PKE encrypt/decrypt; skipped when
 * openssl is missing), node:crypto ECDH on the SM2 curve, the test's own Z_A/e computation with SM3, and the
 * GB/T 32918.5-2017 Annex A example key, signature and ciphertext put into the store.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createHash, diffieHellman, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, rawRequest, useKmslite, expectRejected, running, useTemporaryDirectory, createKey } from '../helpers/fixture.js';
import { buildKey } from '../../src/kms/newKey.js';
import { der, derOid } from '../../src/crypto/der.js';
import { pkeyutl, run } from '../helpers/openssl.js';

type KeyUsageType = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' | 'KEY_AGREEMENT';

const CHINA = 'cn-north-1';
const hasOpenssl = await run('openssl', ['version']).then(
  () => true,
  () => false,
);
const withOpenssl = hasOpenssl ? test : test.skip;

let kms: KMSClient;
let elsewhere: KMSClient;
let dir: string;
let fileCounter = 0;

useKmslite();

beforeAll(async () => {
  kms = kmsClient(running, CHINA);
  elsewhere = kmsClient(running, REGION);
});
useTemporaryDirectory('kmslite-sm2-ops-', (path) => (dir = path));

const arnOf = (keyId: string) => `arn:aws-cn:kms:${CHINA}:${ACCOUNT_ID}:key/${keyId}`;
const store = () => running.kmslite.stores.get(ACCOUNT_ID, CHINA);

async function file(content: Buffer | string): Promise<string> {
  const path = join(dir, `f${++fileCounter}`);
  await writeFile(path, content);
  return path;
}

function pem(label: string, derBytes: Buffer): string {
  return `-----BEGIN ${label}-----\n${derBytes.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

/** `openssl pkeyutl -verify` of an SM2DSA signature over the raw message with distinguishing ID 1234567812345678. */
async function opensslVerifies(spki: Buffer, message: Buffer, signature: Buffer): Promise<boolean> {
  const args = ['-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'];
  args.push('-pubin', '-inkey', await file(pem('PUBLIC KEY', spki)), '-sigfile', await file(signature), '-in', await file(message));
  return (await pkeyutl(args)).ok;
}

/** An error AWS sends with no message member at all (raw request: the SDK would invent a message). */
async function expectBare(operation: string, body: Record<string, unknown>, type: string) {
  const encoded = Object.fromEntries(Object.entries(body).map(([name, value]) => [name, Buffer.isBuffer(value) ? value.toString('base64') : value]));
  const response = await rawRequest(running, operation, encoded, { region: CHINA });
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ __type: type });
}

async function createSm2(usage: KeyUsageType) {
  return createKey(kms, { KeySpec: 'SM2', KeyUsage: usage });
}

async function publicKeyOf(keyId: string): Promise<Buffer> {
  return Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!);
}

/** A key in cn-north-1 whose PKCS#8 private key the test knows. */
function knownKey(usage: KeyUsageType, pkcs8: Buffer): string {
  const keyId = randomUUID();
  store().putKey(buildKey(store(), { keyId, keySpec: 'SM2', keyUsage: usage, materials: [pkcs8], creationDate: new Date(running.kmslite.clock.now()) }));
  return keyId;
}

function newPkcs8(): Buffer {
  return generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey.export({ type: 'pkcs8', format: 'der' });
}

// SM2 recommended curve, GB/T 32918.5-2017 — for the test's own Z_A (GB/T 32918.2-2016 §5.5).
const CURVE_A = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC';
const CURVE_B = '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93';
const G_X = '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7';
const G_Y = 'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0';

/** e = SM3(Z_A || M) with ID 1234567812345678, computed here from the SPKI's uncompressed point. */
function sm2DigestOf(spki: Buffer, message: Buffer, id = '1234567812345678'): Buffer {
  const point = spki.subarray(spki.length - 64);
  expect(spki[spki.length - 65]).toBe(0x04);
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(Buffer.byteLength(id) * 8);
  const z = createHash('sm3')
    .update(Buffer.concat([entl, Buffer.from(id), Buffer.from(CURVE_A + CURVE_B + G_X + G_Y, 'hex'), point]))
    .digest();
  return createHash('sm3').update(z).update(message).digest();
}

// GB/T 32918.5-2017 Annex A (= GM/T 0003.5-2012) example on the recommended curve.
const ecAlgorithm = der(0x30, derOid('1.2.840.10045.2.1'), derOid('1.2.156.10197.1.301'));
const EXAMPLE_D = Buffer.from('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8', 'hex');
const EXAMPLE_PKCS8 = der(0x30, der(0x02, Buffer.from([0])), ecAlgorithm, der(0x04, der(0x30, der(0x02, Buffer.from([1])), der(0x04, EXAMPLE_D))));
const EXAMPLE_SIGNATURE = Buffer.from(
  '3046022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  'hex',
);
const EXAMPLE_CIPHERTEXT = Buffer.from(
  '307C022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0042059983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766041321886CA989CA9C7D58087307CA93092D651EFA',
  'hex',
);

describe('SM2', () => {
  describe('validation', () => {
    test('outside the China Regions SM2 fails like a value outside the KeySpec enum', async () => {
      const sm2 = await errorOf(() => elsewhere.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })));
      const unknown = await errorOf(() => elsewhere.send(new CreateKeyCommand({ KeySpec: 'NOT_A_SPEC' as 'SM2', KeyUsage: 'SIGN_VERIFY' })));
      expect(sm2.name).toBe('ValidationException');
      expect(sm2.$metadata.httpStatusCode).toBe(400);
      expect(sm2.message).toMatch(/^1 validation error detected: Value 'SM2' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/);
      expect(sm2.message).toBe(unknown.message.replace("'NOT_A_SPEC'", "'SM2'"));
      const cmk = await errorOf(() => elsewhere.send(new CreateKeyCommand({ CustomerMasterKeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' })));
      expect(cmk.name).toBe('ValidationException');
      expect(cmk.message).toMatch(/^1 validation error detected: Value 'SM2' at 'customerMasterKeySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    });

    test('CreateKey SM2 needs a KeyUsage, and one of the three SM2 allows', async () => {
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ KeySpec: 'SM2' })),
        'ValidationException',
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'GENERATE_VERIFY_MAC' })),
        'ValidationException',
        'KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec SM2',
      );
    });

    test('Sign/Verify: key usage, algorithm, DIGEST length, bad signature', async () => {
      const signing = await createSm2('SIGN_VERIFY');
      const encrypting = await createSm2('ENCRYPT_DECRYPT');
      const message = Buffer.from('some message');
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: encrypting.KeyId, Message: message, SigningAlgorithm: 'SM2DSA' })),
        'InvalidKeyUsageException',
        `${arnOf(encrypting.KeyId!)} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`,
      );
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: signing.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
        'InvalidKeyUsageException',
        'Algorithm ECDSA_SHA_256 is incompatible with key spec SM2.',
      );
      // SM2DSA's digest is SM3: 32 bytes.
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: signing.KeyId, Message: message, MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' })),
        'ValidationException',
        'Digest is invalid length for algorithm SM2DSA.',
      );
      const signature = (await kms.send(new SignCommand({ KeyId: signing.KeyId, Message: message, SigningAlgorithm: 'SM2DSA' }))).Signature!;
      const verify = { KeyId: signing.KeyId, SigningAlgorithm: 'SM2DSA' };
      await expectBare('Verify', { ...verify, Message: Buffer.from('other message'), Signature: Buffer.from(signature) }, 'KMSInvalidSignatureException');
      await expectBare('Verify', { ...verify, Message: message, Signature: Buffer.from('not DER') }, 'KMSInvalidSignatureException');
    });

    test('Encrypt/Decrypt: algorithm, the 1024-byte SM2PKE limit, ciphertexts that do not decrypt', async () => {
      const key = await createSm2('ENCRYPT_DECRYPT');
      const signing = await createSm2('SIGN_VERIFY');
      await expectRejected(
        () => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
        'InvalidKeyUsageException',
        'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SM2.',
      );
      await expectRejected(
        () => kms.send(new EncryptCommand({ KeyId: signing.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'SM2PKE' })),
        'InvalidKeyUsageException',
        `${arnOf(signing.KeyId!)} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
      );
      await expectRejected(
        () => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.alloc(1025, 1), EncryptionAlgorithm: 'SM2PKE' })),
        'ValidationException',
        'Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes.',
      );
      const ciphertext = Buffer.from(
        (await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('secret'), EncryptionAlgorithm: 'SM2PKE' }))).CiphertextBlob!,
      );
      const tampered = Buffer.from(ciphertext);
      tampered[tampered.length - 1]! ^= 1;
      await expectBare('Decrypt', { KeyId: key.KeyId, CiphertextBlob: tampered, EncryptionAlgorithm: 'SM2PKE' }, 'InvalidCiphertextException');
      const other = await createSm2('ENCRYPT_DECRYPT');
      await expectBare('Decrypt', { KeyId: other.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'SM2PKE' }, 'InvalidCiphertextException');
      // The raw C1 || C3 || C2 bytes (Bouncy Castle's output before AWS's documented ASN.1 conversion) do not decrypt.
      await expectBare('Decrypt', { KeyId: key.KeyId, CiphertextBlob: Buffer.concat([Buffer.from([4]), ciphertext.subarray(-70)]), EncryptionAlgorithm: 'SM2PKE' }, 'InvalidCiphertextException');
    });

    test('DeriveSharedSecret: a peer key that is not an SM2 public key is a ValidationException', async () => {
      const key = await createSm2('KEY_AGREEMENT');
      const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
      await expectBare('DeriveSharedSecret', { KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256 }, 'ValidationException');
      const signing = await createSm2('SIGN_VERIFY');
      await expectRejected(
        () => kms.send(new DeriveSharedSecretCommand({ KeyId: signing.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256 })),
        'InvalidKeyUsageException',
        `${arnOf(signing.KeyId!)} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`,
      );
    });
  });

  describe('functionality', () => {
    test('CreateKey makes SM2 keys for each usage, with aws-cn ARNs and the SM2 algorithm lists', async () => {
      const expected: Record<string, object> = {
        SIGN_VERIFY: { SigningAlgorithms: ['SM2DSA'] },
        ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SM2PKE'] },
        KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] },
      };
      for (const usage of ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT'] as const) {
        const metadata = await createSm2(usage);
        expect(metadata).toMatchObject({ KeySpec: 'SM2', CustomerMasterKeySpec: 'SM2', KeyUsage: usage, Arn: arnOf(metadata.KeyId!), ...expected[usage] });
        const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: metadata.KeyId }));
        expect(publicKey).toMatchObject({ KeyId: arnOf(metadata.KeyId!), KeySpec: 'SM2', CustomerMasterKeySpec: 'SM2', KeyUsage: usage, ...expected[usage] });
        // DER SubjectPublicKeyInfo { id-ecPublicKey, SM2 curve } with an uncompressed point.
        const spki = Buffer.from(publicKey.PublicKey!);
        expect(spki.subarray(0, 26).equals(Buffer.concat([Buffer.from('3059', 'hex'), der(0x30, derOid('1.2.840.10045.2.1'), derOid('1.2.156.10197.1.301')), Buffer.from('034200', 'hex')]))).toBe(true);
        expect(spki).toHaveLength(91);
        expect(spki[26]).toBe(0x04);
      }
    });

    withOpenssl('GetPublicKey output reads as an SM2 key in OpenSSL', async () => {
      const key = await createSm2('SIGN_VERIFY');
      const { stdout } = await run('openssl', ['pkey', '-pubin', '-in', await file(pem('PUBLIC KEY', await publicKeyOf(key.KeyId!))), '-text', '-noout']);
      expect(stdout).toMatch(/ASN1 OID: SM2/);
    });

    withOpenssl('Sign SM2DSA RAW: the signature verifies with openssl (distid 1234567812345678) and with Verify', async () => {
      const key = await createSm2('SIGN_VERIFY');
      const spki = await publicKeyOf(key.KeyId!);
      for (const message of [Buffer.from('x'), Buffer.from('a message for SM2DSA'), Buffer.alloc(4096, 0x61)]) {
        const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'SM2DSA' }));
        expect(signed).toMatchObject({ KeyId: arnOf(key.KeyId!), SigningAlgorithm: 'SM2DSA' });
        const signature = Buffer.from(signed.Signature!);
        expect(signature[0]).toBe(0x30);
        expect(await opensslVerifies(spki, message, signature)).toBe(true);
        const verified = await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: signature, SigningAlgorithm: 'SM2DSA' }));
        expect(verified).toMatchObject({ KeyId: arnOf(key.KeyId!), SignatureValid: true, SigningAlgorithm: 'SM2DSA' });
      }
      const signature = Buffer.from((await kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('one'), SigningAlgorithm: 'SM2DSA' }))).Signature!);
      expect(await opensslVerifies(spki, Buffer.from('two'), signature)).toBe(false);
    });

    withOpenssl('Sign SM2DSA DIGEST signs e = SM3(Z_A || M) as given; RAW and DIGEST signatures are interchangeable', async () => {
      const key = await createSm2('SIGN_VERIFY');
      const spki = await publicKeyOf(key.KeyId!);
      const message = Buffer.from('digest me offline, as AWS calculateSM2Digest does');
      const digest = sm2DigestOf(spki, message);
      const fromDigest = Buffer.from(
        (await kms.send(new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' }))).Signature!,
      );
      expect(await opensslVerifies(spki, message, fromDigest)).toBe(true);
      const raw = await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: fromDigest, SigningAlgorithm: 'SM2DSA' }));
      expect(raw.SignatureValid).toBe(true);
      const fromRaw = Buffer.from((await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'SM2DSA' }))).Signature!);
      const digested = await kms.send(
        new VerifyCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', Signature: fromRaw, SigningAlgorithm: 'SM2DSA' }),
      );
      expect(digested.SignatureValid).toBe(true);
      // A digest made with another distinguishing ID verifies offline with that ID (AWS: "specify your own").
      const custom = sm2DigestOf(spki, message, 'alice@example.com');
      const customSignature = Buffer.from(
        (await kms.send(new SignCommand({ KeyId: key.KeyId, Message: custom, MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' }))).Signature!,
      );
      const args = ['-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:alice@example.com', '-pubin', '-inkey', await file(pem('PUBLIC KEY', spki))];
      args.push('-sigfile', await file(customSignature), '-in', await file(message));
      expect((await pkeyutl(args)).ok).toBe(true);
      await expectBare('Verify', { KeyId: key.KeyId, Message: message, Signature: customSignature, SigningAlgorithm: 'SM2DSA' }, 'KMSInvalidSignatureException');
    });

    withOpenssl('Verify accepts SM2DSA signatures made by openssl with the same key material', async () => {
      const pkcs8 = newPkcs8();
      const keyId = knownKey('SIGN_VERIFY', pkcs8);
      const message = Buffer.from('signed outside kmslite');
      const out = join(dir, `sig${++fileCounter}`);
      const signed = await pkeyutl([
        '-sign', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678',
        '-inkey', await file(pem('PRIVATE KEY', pkcs8)), '-in', await file(message), '-out', out,
      ]);
      expect(signed.ok).toBe(true);
      const signature = await readFile(out);
      const verified = await kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: signature, SigningAlgorithm: 'SM2DSA' }));
      expect(verified.SignatureValid).toBe(true);
    });

    test('the GB/T 32918.5 example: its signature verifies and its ciphertext decrypts', async () => {
      const signing = knownKey('SIGN_VERIFY', EXAMPLE_PKCS8);
      const verified = await kms.send(
        new VerifyCommand({ KeyId: signing, Message: Buffer.from('message digest'), Signature: EXAMPLE_SIGNATURE, SigningAlgorithm: 'SM2DSA' }),
      );
      expect(verified.SignatureValid).toBe(true);
      const encrypting = knownKey('ENCRYPT_DECRYPT', EXAMPLE_PKCS8);
      const decrypted = await kms.send(new DecryptCommand({ KeyId: encrypting, CiphertextBlob: EXAMPLE_CIPHERTEXT, EncryptionAlgorithm: 'SM2PKE' }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('encryption standard');
      expect(decrypted).toMatchObject({ KeyId: arnOf(encrypting), EncryptionAlgorithm: 'SM2PKE' });
    });

    withOpenssl('Encrypt SM2PKE: the ciphertext decrypts with openssl; openssl ciphertexts from GetPublicKey decrypt in Decrypt', async () => {
      const pkcs8 = newPkcs8();
      const keyId = knownKey('ENCRYPT_DECRYPT', pkcs8);
      const privatePem = await file(pem('PRIVATE KEY', pkcs8));
      const publicPem = await file(pem('PUBLIC KEY', await publicKeyOf(keyId)));
      for (const size of [1, 200, 1024]) {
        const plaintext = Buffer.from(Array.from({ length: size }, (_, i) => (i * 13 + size) & 0xff));
        const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' }));
        expect(encrypted).toMatchObject({ KeyId: arnOf(keyId), EncryptionAlgorithm: 'SM2PKE' });
        const opened = await pkeyutl(['-decrypt', '-inkey', privatePem, '-in', await file(Buffer.from(encrypted.CiphertextBlob!))]);
        expect(opened.ok).toBe(true);
        expect(opened.stdout).toEqual(plaintext);
        const sealed = await pkeyutl(['-encrypt', '-pubin', '-inkey', publicPem, '-in', await file(plaintext)]);
        expect(sealed.ok).toBe(true);
        const decrypted = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: sealed.stdout, EncryptionAlgorithm: 'SM2PKE' }));
        expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
        expect(decrypted).toMatchObject({ KeyId: arnOf(keyId), EncryptionAlgorithm: 'SM2PKE' });
      }
    });

    test('Encrypt/Decrypt round trip with a key CreateKey made', async () => {
      const key = await createSm2('ENCRYPT_DECRYPT');
      const plaintext = Buffer.from('round trip through SM2PKE');
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' }));
      const decrypted = await kms.send(new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: encrypted.CiphertextBlob, EncryptionAlgorithm: 'SM2PKE' }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    });

    test('DeriveSharedSecret: ECDH on the SM2 curve, equal to node:crypto and from both sides', async () => {
      const mine = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const peer = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const keyId = knownKey('KEY_AGREEMENT', mine.privateKey.export({ type: 'pkcs8', format: 'der' }));
      const derived = await kms.send(
        new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ type: 'spki', format: 'der' }) }),
      );
      expect(derived).toMatchObject({ KeyId: arnOf(keyId), KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
      const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: mine.publicKey });
      expect(expected).toHaveLength(32);
      expect(Buffer.from(derived.SharedSecret!)).toEqual(expected);

      const alice = await createSm2('KEY_AGREEMENT');
      const bob = await createSm2('KEY_AGREEMENT');
      const ab = await kms.send(new DeriveSharedSecretCommand({ KeyId: alice.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: await publicKeyOf(bob.KeyId!) }));
      const ba = await kms.send(new DeriveSharedSecretCommand({ KeyId: bob.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: await publicKeyOf(alice.KeyId!) }));
      expect(ab.SharedSecret).toHaveLength(32);
      expect(Buffer.from(ab.SharedSecret!)).toEqual(Buffer.from(ba.SharedSecret!));
    });
  });
});
