/**
 * Encrypt / Decrypt / ReEncrypt with asymmetric (RSA) keys, cross-checked both ways against independent
 * RSAES-OAEP implementations: node:crypto with a private key the test generated and put in the store, the
 * public key from GetPublicKey alone, and the `openssl pkeyutl` command.
 */
import {
  CreateAliasCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { execFile, spawnSync } from 'node:child_process';
import {
  constants,
  createPublicKey,
  generateKeyPair,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNT_ID, REGION, errorOf, rawRequest, useKmslite, kms, running, createKey as createKeyMetadata } from '../helpers/fixture.js';
import { buildKey } from '../../src/kms/newKey.js';
import type { KeySpec, KeyUsageType } from '../../src/model/generated/enums.js';

type RsaSpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
type OaepAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';

const SPECS: RsaSpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const ALGORITHMS: OaepAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const PAIRS = SPECS.flatMap((spec) => ALGORITHMS.map((algorithm) => [spec, algorithm] as const));
const MODULUS_BYTES: Record<RsaSpec, number> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };
const HASH: Record<OaepAlgorithm, string> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };
/** AWS-recorded limits (test_encrypt_validate_plaintext_size_per_key_type). */
const LIMITS: Record<RsaSpec, Record<OaepAlgorithm, number>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};
const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
const CONTEXT_REFUSED = 'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.';

/** One known RSA ENCRYPT_DECRYPT key per spec: the test holds its private key. */
const known = {} as Record<RsaSpec, { keyId: string; arn: string; privateKey: KeyObject; pkcs8: Buffer }>;
let symmetricKeyId: string;
let symmetricArn: string;

const generateRsa = promisify(generateKeyPair);
const run = promisify(execFile);
const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

function store() {
  return running.kmslite.stores.get(ACCOUNT_ID, REGION);
}

/** Puts a key with material the test chose straight into the store (independent of kmslite's generation). */
function putKnownKey(spec: KeySpec, usage: KeyUsageType, pkcs8: Buffer): { keyId: string; arn: string } {
  const keyId = randomUUID();
  const record = buildKey(store(), { keyId, keySpec: spec, keyUsage: usage, materials: [pkcs8], creationDate: new Date(running.kmslite.clock.now()) });
  store().putKey(record);
  return { keyId, arn: record.metadata.Arn };
}

async function createKey(input: { KeySpec?: KeySpec; KeyUsage?: KeyUsageType } = {}): Promise<{ keyId: string; arn: string }> {
  const metadata = await createKeyMetadata(kms, input);
  return { keyId: metadata.KeyId!, arn: metadata.Arn! };
}

function oaepDecrypt(privateKey: KeyObject, algorithm: OaepAlgorithm, ciphertext: Uint8Array): Buffer {
  return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: HASH[algorithm] }, ciphertext);
}

function oaepEncrypt(publicKeyDer: Uint8Array, algorithm: OaepAlgorithm, plaintext: Buffer): Buffer {
  const publicKey = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: HASH[algorithm] }, plaintext);
}

useKmslite();

beforeAll(async () => {
  await Promise.all(
    SPECS.map(async (spec) => {
      const pair = await generateRsa('rsa', { modulusLength: MODULUS_BYTES[spec] * 8, publicExponent: 0x10001 });
      const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
      known[spec] = { ...putKnownKey(spec, 'ENCRYPT_DECRYPT', pkcs8), privateKey: pair.privateKey, pkcs8 };
    }),
  );
  ({ keyId: symmetricKeyId, arn: symmetricArn } = await createKey());
}, 60000);

describe('Encrypt', () => {
  describe('functionality', () => {
    test.each(PAIRS)('%s %s: raw OAEP ciphertext of the modulus length that an independent node:crypto decryption opens', async (spec, algorithm) => {
      const plaintext = randomBytes(LIMITS[spec][algorithm]);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: known[spec].keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
      expect(encrypted.KeyId).toBe(known[spec].arn);
      expect(encrypted.EncryptionAlgorithm).toBe(algorithm);
      expect(encrypted.CiphertextBlob!.length).toBe(MODULUS_BYTES[spec]);
      expect(oaepDecrypt(known[spec].privateKey, algorithm, encrypted.CiphertextBlob!)).toEqual(plaintext);
      // OAEP is randomised: the same plaintext encrypts differently each time.
      const again = await kms.send(new EncryptCommand({ KeyId: known[spec].keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
      expect(Buffer.from(again.CiphertextBlob!)).not.toEqual(Buffer.from(encrypted.CiphertextBlob!));
    });

    test('the other OAEP hash does not open the ciphertext (MGF1 and label hash follow the algorithm)', async () => {
      const encrypted = await kms.send(
        new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      );
      expect(() => oaepDecrypt(known.RSA_2048.privateKey, 'RSAES_OAEP_SHA_1', encrypted.CiphertextBlob!)).toThrow();
    });

    (OPENSSL ? test : test.skip)('openssl pkeyutl decrypts kmslite ciphertexts with the same private key', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kmslite-oaep-'));
      const keyPath = join(dir, 'key.der');
      writeFileSync(keyPath, known.RSA_3072.pkcs8);
      for (const algorithm of ALGORITHMS) {
        const plaintext = randomBytes(100);
        const encrypted = await kms.send(new EncryptCommand({ KeyId: known.RSA_3072.keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
        const inPath = join(dir, `${algorithm}.bin`);
        const outPath = join(dir, `${algorithm}.out`);
        writeFileSync(inPath, encrypted.CiphertextBlob!);
        await run('openssl', [
          'pkeyutl', '-decrypt', '-inkey', keyPath, '-keyform', 'DER', '-in', inPath, '-out', outPath,
          '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${HASH[algorithm]}`, '-pkeyopt', `rsa_mgf1_md:${HASH[algorithm]}`,
        ]);
        expect(readFileSync(outPath)).toEqual(plaintext);
      }
    });

    test('a key created by CreateKey round-trips, by alias too, and the use is recorded for GetKeyLastUsage', async () => {
      const key = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const alias = `alias/rsa-${randomUUID()}`;
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.keyId }));
      const encrypted = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('hello'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }));
      expect(encrypted.KeyId).toBe(key.arn);
      const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.keyId }));
      expect(usage.KeyLastUsage?.Operation).toBe('Encrypt');
      const decrypted = await kms.send(
        new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: alias, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      );
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('hello');
      expect(decrypted.KeyId).toBe(key.arn);
      const usageAfter = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.keyId }));
      expect(usageAfter.KeyLastUsage?.Operation).toBe('Decrypt');
    });

    test('an empty EncryptionContext is accepted', async () => {
      const encrypted = await kms.send(
        new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: {} }),
      );
      expect(encrypted.CiphertextBlob!.length).toBe(256);
    });
  });

  describe('validation', () => {
    test.each(PAIRS)('%s %s: AWS-recorded plaintext limit and text', async (spec, algorithm) => {
      const limit = LIMITS[spec][algorithm];
      for (const size of [limit + 1, 1176]) {
        const error = await errorOf(() =>
          kms.send(new EncryptCommand({ KeyId: known[spec].keyId, Plaintext: randomBytes(size), EncryptionAlgorithm: algorithm })),
        );
        expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual([
          'ValidationException',
          `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`,
          400,
        ]);
      }
    });

    test('without EncryptionAlgorithm the SYMMETRIC_DEFAULT default is refused as AWS does', async () => {
      for (const spec of SPECS) {
        const error = await errorOf(() => kms.send(new EncryptCommand({ KeyId: known[spec].keyId, Plaintext: Buffer.from('x') })));
        expect([error.name, error.message]).toEqual(['InvalidKeyUsageException', `Algorithm SYMMETRIC_DEFAULT is incompatible with key spec ${spec}.`]);
      }
      const sm2 = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'SM2PKE' })),
      );
      expect([sm2.name, sm2.message]).toEqual(['InvalidKeyUsageException', 'Algorithm SM2PKE is incompatible with key spec RSA_2048.']);
      const onSymmetric = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([onSymmetric.name, onSymmetric.message]).toEqual([
        'InvalidKeyUsageException',
        'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
      ]);
    });

    test('an RSA SIGN_VERIFY key answers the AWS-recorded key-usage text', async () => {
      const signing = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      const error = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: signing.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([error.name, error.message]).toEqual(['InvalidKeyUsageException', `${signing.arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`]);
    });

    test('an EncryptionContext is refused with an asymmetric key', async () => {
      const error = await errorOf(() =>
        kms.send(
          new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
        ),
      );
      expect([error.name, error.message]).toEqual(['ValidationException', CONTEXT_REFUSED]);
    });

    test('DryRun answers DryRunOperationException only when the call would succeed', async () => {
      const dry = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DryRun: true })),
      );
      expect([dry.name, dry.message]).toEqual(['DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.']);
      const tooBig = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: randomBytes(215), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DryRun: true })),
      );
      expect(tooBig.name).toBe('ValidationException');
    });

    test('a disabled RSA key is refused', async () => {
      const key = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      await kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
      const error = await errorOf(() =>
        kms.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([error.name, error.message]).toEqual(['DisabledException', `${key.arn} is disabled.`]);
    });
  });
});

describe('Decrypt', () => {
  describe('functionality', () => {
    test.each(PAIRS)('%s %s: opens an independent node:crypto encryption made from GetPublicKey alone', async (spec, algorithm) => {
      const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: known[spec].keyId }));
      expect(Buffer.from(publicKey.PublicKey!)).toEqual(createPublicKey(known[spec].privateKey).export({ type: 'spki', format: 'der' }));
      const plaintext = randomBytes(LIMITS[spec][algorithm]);
      const ciphertext = oaepEncrypt(publicKey.PublicKey!, algorithm, plaintext);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: known[spec].keyId, EncryptionAlgorithm: algorithm }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
      expect(decrypted.KeyId).toBe(known[spec].arn);
      expect(decrypted.EncryptionAlgorithm).toBe(algorithm);
      // KeyMaterialId is "present only when the operation uses a symmetric encryption KMS key".
      expect(decrypted).not.toHaveProperty('KeyMaterialId');
    });

    (OPENSSL ? test : test.skip)('opens an `openssl pkeyutl` encryption made with the GetPublicKey DER', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kmslite-oaep-'));
      const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: known.RSA_4096.keyId }));
      const keyPath = join(dir, 'public.der');
      writeFileSync(keyPath, publicKey.PublicKey!);
      for (const algorithm of ALGORITHMS) {
        const plaintext = randomBytes(LIMITS.RSA_4096[algorithm]);
        const inPath = join(dir, `${algorithm}.txt`);
        const outPath = join(dir, `${algorithm}.bin`);
        writeFileSync(inPath, plaintext);
        await run('openssl', [
          'pkeyutl', '-encrypt', '-pubin', '-inkey', keyPath, '-keyform', 'DER', '-in', inPath, '-out', outPath,
          '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${HASH[algorithm]}`, '-pkeyopt', `rsa_mgf1_md:${HASH[algorithm]}`,
        ]);
        const decrypted = await kms.send(
          new DecryptCommand({ CiphertextBlob: readFileSync(outPath), KeyId: known.RSA_4096.arn, EncryptionAlgorithm: algorithm }),
        );
        expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
      }
    });

    test('DryRun checks the ciphertext, then answers DryRunOperationException', async () => {
      const ciphertext = oaepEncrypt(
        (await kms.send(new GetPublicKeyCommand({ KeyId: known.RSA_2048.keyId }))).PublicKey!,
        'RSAES_OAEP_SHA_256',
        Buffer.from('x'),
      );
      const dry = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })),
      );
      expect(dry.name).toBe('DryRunOperationException');
      const dryBad = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: randomBytes(256), KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })),
      );
      expect(dryBad.name).toBe('InvalidCiphertextException');
    });
  });

  describe('validation', () => {
    async function rsaCiphertext(spec: RsaSpec, algorithm: OaepAlgorithm, plaintext = Buffer.from('secret')): Promise<Buffer> {
      const encrypted = await kms.send(new EncryptCommand({ KeyId: known[spec].keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
      return Buffer.from(encrypted.CiphertextBlob!);
    }

    async function expectInvalidCiphertext(body: Record<string, unknown>): Promise<void> {
      const raw = await rawRequest(running, 'Decrypt', body);
      expect(raw.status).toBe(400);
      // AWS sends InvalidCiphertextException with no message member at all.
      expect(raw.json).toEqual({ __type: 'InvalidCiphertextException' });
    }

    test('without KeyId the raw ciphertext cannot name its key: InvalidCiphertextException', async () => {
      const ciphertext = (await rsaCiphertext('RSA_2048', 'RSAES_OAEP_SHA_256')).toString('base64');
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext });
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    });

    test('with the KeyId but no EncryptionAlgorithm: InvalidCiphertextException (read as a symmetric blob)', async () => {
      const ciphertext = await rsaCiphertext('RSA_2048', 'RSAES_OAEP_SHA_256');
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext.toString('base64'), KeyId: known.RSA_2048.keyId });
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext.toString('base64'), KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    });

    test.each(SPECS)('%s: the other OAEP algorithm answers InvalidCiphertextException', async (spec) => {
      for (const [made, asked] of [['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'], ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1']] as const) {
        const ciphertext = await rsaCiphertext(spec, made);
        await expectInvalidCiphertext({ CiphertextBlob: ciphertext.toString('base64'), KeyId: known[spec].keyId, EncryptionAlgorithm: asked });
      }
    });

    test('another RSA key, tampered, truncated, extended and random ciphertexts answer InvalidCiphertextException', async () => {
      const ciphertext = await rsaCiphertext('RSA_2048', 'RSAES_OAEP_SHA_256');
      const other = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext.toString('base64'), KeyId: other.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      const tampered = Buffer.from(ciphertext);
      tampered[100] ^= 1;
      const variants = [tampered, ciphertext.subarray(1), Buffer.concat([ciphertext, Buffer.from([0])]), randomBytes(256), Buffer.alloc(256, 0xff), Buffer.from([1])];
      for (const blob of variants) {
        await expectInvalidCiphertext({ CiphertextBlob: blob.toString('base64'), KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      }
      // The 4096-bit key with a 2048-bit ciphertext.
      await expectInvalidCiphertext({ CiphertextBlob: ciphertext.toString('base64'), KeyId: known.RSA_4096.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    });

    test('an algorithm the key does not offer, a signing key and an encryption context are refused', async () => {
      const ciphertext = await rsaCiphertext('RSA_2048', 'RSAES_OAEP_SHA_256');
      const sm2 = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'SM2PKE' })),
      );
      expect([sm2.name, sm2.message]).toEqual(['InvalidKeyUsageException', 'Algorithm SM2PKE is incompatible with key spec RSA_2048.']);
      const signing = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      const usage = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: signing.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([usage.name, usage.message]).toEqual(['InvalidKeyUsageException', `${signing.arn} key usage is SIGN_VERIFY which is not valid for Decrypt.`]);
      const context = await errorOf(() =>
        kms.send(
          new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: known.RSA_2048.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
        ),
      );
      expect([context.name, context.message]).toEqual(['ValidationException', CONTEXT_REFUSED]);
    });

    test('a symmetric ciphertext with KeyId = an RSA key or an HMAC key answers IncorrectKeyException (HMAC case AWS-recorded)', async () => {
      const symmetric = await kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: Buffer.from('x') }));
      const hmac = await createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      for (const keyId of [known.RSA_2048.keyId, hmac.keyId]) {
        const error = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: symmetric.CiphertextBlob, KeyId: keyId })));
        expect([error.name, error.message]).toEqual(['IncorrectKeyException', INCORRECT_KEY]);
      }
      // A symmetric key with an asymmetric algorithm is not the key that can decrypt it either.
      const wrongAlgorithm = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: symmetric.CiphertextBlob, KeyId: symmetricKeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([wrongAlgorithm.name, wrongAlgorithm.message]).toEqual(['IncorrectKeyException', INCORRECT_KEY]);
    });

    test('a disabled RSA key is refused before its ciphertext is read', async () => {
      const key = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const encrypted = await kms.send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
      await kms.send(new DisableKeyCommand({ KeyId: key.keyId }));
      const error = await errorOf(() =>
        kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: key.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      );
      expect([error.name, error.message]).toEqual(['DisabledException', `${key.arn} is disabled.`]);
    });
  });
});

describe('ReEncrypt', () => {
  describe('functionality', () => {
    test('symmetric → RSA → symmetric, with the RSA step opened independently', async () => {
      const plaintext = randomBytes(150);
      const first = await kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: plaintext, EncryptionContext: { stage: 'one' } }));
      const toRsa = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: first.CiphertextBlob,
          SourceEncryptionContext: { stage: 'one' },
          DestinationKeyId: known.RSA_3072.keyId,
          DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      );
      expect(toRsa.KeyId).toBe(known.RSA_3072.arn);
      expect(toRsa.SourceKeyId).toBe(symmetricArn);
      expect(toRsa.SourceEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(toRsa.DestinationEncryptionAlgorithm).toBe('RSAES_OAEP_SHA_256');
      expect(toRsa.SourceKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      expect(toRsa).not.toHaveProperty('DestinationKeyMaterialId');
      expect(toRsa.CiphertextBlob!.length).toBe(384);
      expect(oaepDecrypt(known.RSA_3072.privateKey, 'RSAES_OAEP_SHA_256', toRsa.CiphertextBlob!)).toEqual(plaintext);

      const back = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: toRsa.CiphertextBlob,
          SourceKeyId: known.RSA_3072.arn,
          SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          DestinationKeyId: symmetricKeyId,
          DestinationEncryptionContext: { stage: 'three' },
        }),
      );
      expect(back.KeyId).toBe(symmetricArn);
      expect(back.SourceKeyId).toBe(known.RSA_3072.arn);
      expect(back.SourceEncryptionAlgorithm).toBe('RSAES_OAEP_SHA_256');
      expect(back.DestinationEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(back).not.toHaveProperty('SourceKeyMaterialId');
      expect(back.DestinationKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob, EncryptionContext: { stage: 'three' } }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    });

    test('RSA → RSA with both algorithms and SourceKeyId (the AWS-recorded scenario)', async () => {
      const plaintext = randomBytes(64);
      const ciphertext = oaepEncrypt(
        (await kms.send(new GetPublicKeyCommand({ KeyId: known.RSA_2048.keyId }))).PublicKey!,
        'RSAES_OAEP_SHA_256',
        plaintext,
      );
      const moved = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: ciphertext,
          SourceKeyId: known.RSA_2048.keyId,
          SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          DestinationKeyId: known.RSA_4096.keyId,
          DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        }),
      );
      expect([moved.SourceKeyId, moved.KeyId]).toEqual([known.RSA_2048.arn, known.RSA_4096.arn]);
      expect([moved.SourceEncryptionAlgorithm, moved.DestinationEncryptionAlgorithm]).toEqual(['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1']);
      expect(oaepDecrypt(known.RSA_4096.privateKey, 'RSAES_OAEP_SHA_1', moved.CiphertextBlob!)).toEqual(plaintext);
    });
  });

  describe('validation', () => {
    async function symmetricCiphertext(size = 10): Promise<Uint8Array> {
      return (await kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: randomBytes(size) }))).CiphertextBlob!;
    }

    test('an RSA destination without DestinationEncryptionAlgorithm is refused like Encrypt', async () => {
      const error = await errorOf(async () =>
        kms.send(new ReEncryptCommand({ CiphertextBlob: await symmetricCiphertext(), DestinationKeyId: known.RSA_2048.keyId })),
      );
      expect([error.name, error.message]).toEqual(['InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.']);
    });

    test('a plaintext over the destination limit answers the Encrypt limit text', async () => {
      const error = await errorOf(async () =>
        kms.send(
          new ReEncryptCommand({
            CiphertextBlob: await symmetricCiphertext(191),
            DestinationKeyId: known.RSA_2048.keyId,
            DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          }),
        ),
      );
      expect([error.name, error.message]).toEqual([
        'ValidationException',
        'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
      ]);
    });

    test('key-usage texts name ReEncryptFrom and ReEncryptTo', async () => {
      const signing = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const to = await errorOf(async () => kms.send(new ReEncryptCommand({ CiphertextBlob: await symmetricCiphertext(), DestinationKeyId: signing.keyId })));
      expect([to.name, to.message]).toEqual(['InvalidKeyUsageException', `${signing.arn} key usage is SIGN_VERIFY which is not valid for ReEncryptTo.`]);
      const rsaSigning = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      const from = await errorOf(() =>
        kms.send(
          new ReEncryptCommand({
            CiphertextBlob: randomBytes(256),
            SourceKeyId: rsaSigning.keyId,
            SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
            DestinationKeyId: symmetricKeyId,
          }),
        ),
      );
      expect([from.name, from.message]).toEqual(['InvalidKeyUsageException', `${rsaSigning.arn} key usage is SIGN_VERIFY which is not valid for ReEncryptFrom.`]);
    });

    test('an asymmetric source needs SourceEncryptionAlgorithm; contexts are refused on asymmetric sides', async () => {
      const ciphertext = (await kms.send(
        new EncryptCommand({ KeyId: known.RSA_2048.keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      )).CiphertextBlob!;
      const noAlgorithm = await rawRequest(running, 'ReEncrypt', {
        CiphertextBlob: Buffer.from(ciphertext).toString('base64'),
        SourceKeyId: known.RSA_2048.keyId,
        DestinationKeyId: symmetricKeyId,
      });
      expect(noAlgorithm.json).toEqual({ __type: 'InvalidCiphertextException' });
      const sourceContext = await errorOf(() =>
        kms.send(
          new ReEncryptCommand({
            CiphertextBlob: ciphertext,
            SourceKeyId: known.RSA_2048.keyId,
            SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
            SourceEncryptionContext: { a: 'b' },
            DestinationKeyId: symmetricKeyId,
          }),
        ),
      );
      expect([sourceContext.name, sourceContext.message]).toEqual(['ValidationException', CONTEXT_REFUSED]);
      const destinationContext = await errorOf(async () =>
        kms.send(
          new ReEncryptCommand({
            CiphertextBlob: await symmetricCiphertext(),
            DestinationKeyId: known.RSA_2048.keyId,
            DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
            DestinationEncryptionContext: { a: 'b' },
          }),
        ),
      );
      expect([destinationContext.name, destinationContext.message]).toEqual(['ValidationException', CONTEXT_REFUSED]);
    });
  });
});

describe('GenerateDataKey and GenerateDataKeyWithoutPlaintext with asymmetric keys', () => {
  test('an RSA ENCRYPT_DECRYPT key is refused for its key spec; an RSA signing key for its usage', async () => {
    const signing = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    for (const [Command, operation] of [
      [GenerateDataKeyCommand, 'GenerateDataKey'],
      [GenerateDataKeyWithoutPlaintextCommand, 'GenerateDataKeyWithoutPlaintext'],
    ] as const) {
      const spec = await errorOf(() => kms.send(new Command({ KeyId: known.RSA_2048.keyId, KeySpec: 'AES_256' })));
      expect([spec.name, spec.message]).toEqual(['InvalidKeyUsageException', `${known.RSA_2048.arn} key KeySpec is RSA_2048 which is not valid for ${operation}.`]);
      const usage = await errorOf(() => kms.send(new Command({ KeyId: signing.keyId, NumberOfBytes: 32 })));
      expect([usage.name, usage.message]).toEqual(['InvalidKeyUsageException', `${signing.arn} key usage is SIGN_VERIFY which is not valid for ${operation}.`]);
    }
  });
});
