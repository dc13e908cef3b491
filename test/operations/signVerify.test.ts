/**
 * Sign and Verify through the official SDK, for every key spec × signing algorithm × message type AWS accepts.
 * Every signature kmslite makes is verified independently from GetPublicKey's DER alone (node:crypto for RSA,
 * ECDSA and Ed25519, @noble for Ed25519ph and ML-DSA, and the `openssl` command for RSA, ECDSA and Ed25519);
 * kmslite's Verify accepts signatures made independently with seeded key material.
 *
 * Sources: API reference Sign / Verify (MessageType, 4096-byte messages, EXTERNAL_MU); AWS-recorded scenarios
 * (aws-recorded-scenarios.md: Sign, Verify): KeyId = key ARN, `Digest is invalid length for algorithm X.`,
 * `<arn> key usage is ... which is not valid for Sign.`, KMSInvalidSignatureException with no message.
 */
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type KeyUsageType,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { execFile, execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign as nodeSign, verify as nodeVerify, constants } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { ACCOUNT_ID, REGION, rawRequest, useKmslite, expectRejected, kms, running, createKey as createKeyMetadata } from '../helpers/fixture.js';
import { mlDsaKeyPairFromSeed } from '../../src/crypto/keyPairs.js';
import { buildKey } from '../../src/kms/newKey.js';
import { der, derOid } from '../../src/crypto/der.js';

const run = promisify(execFile);


interface TestKey {
  KeyId: string;
  Arn: string;
  /** DER SubjectPublicKeyInfo from GetPublicKey. */
  publicKey: Buffer;
}

const SIGNING_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
] as const;
type SigningSpec = (typeof SIGNING_SPECS)[number];
const keys = {} as Record<SigningSpec, TestKey>;

async function createKey(KeySpec: KeySpec, KeyUsage: KeyUsageType): Promise<{ KeyId: string; Arn: string }> {
  const metadata = await createKeyMetadata(kms, { KeySpec, KeyUsage });
  return { KeyId: metadata.KeyId!, Arn: metadata.Arn! };
}

useKmslite();

beforeAll(async () => {
  await Promise.all(
    SIGNING_SPECS.map(async (spec) => {
      const key = await createKey(spec, 'SIGN_VERIFY');
      const publicKey = Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!);
      keys[spec] = { ...key, publicKey };
    }),
  );
}, 60_000);

type Hash = 'sha256' | 'sha384' | 'sha512';
const HASH: Partial<Record<SigningAlgorithmSpec, Hash>> = {
  RSASSA_PSS_SHA_256: 'sha256', RSASSA_PSS_SHA_384: 'sha384', RSASSA_PSS_SHA_512: 'sha512',
  RSASSA_PKCS1_V1_5_SHA_256: 'sha256', RSASSA_PKCS1_V1_5_SHA_384: 'sha384', RSASSA_PKCS1_V1_5_SHA_512: 'sha512',
  ECDSA_SHA_256: 'sha256', ECDSA_SHA_384: 'sha384', ECDSA_SHA_512: 'sha512',
  ED25519_PH_SHA_512: 'sha512',
};
const HASH_LENGTH: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };
const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;

/** The raw key inside an SPKI: its BIT STRING minus the unused-bits byte (Ed25519, ML-DSA). */
function rawPublicKey(spki: Buffer, length: number): Buffer {
  expect(spki[spki.length - length - 1]).toBe(0); // the unused-bits byte of the BIT STRING
  return spki.subarray(spki.length - length);
}

/** μ = SHAKE256(SHAKE256(pk, 64) || 0x00 || 0x00 || M, 64): FIPS 204 §6.2 with an empty context. */
function externalMu(spec: keyof typeof ML_DSA, spki: Buffer, message: Buffer): Buffer {
  const pk = rawPublicKey(spki, ML_DSA[spec].lengths.publicKey!);
  const tr = shake256(pk, { dkLen: 64 });
  return Buffer.from(shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 }));
}

/** Every (key spec, algorithm, message type) combination AWS accepts. */
const COMBINATIONS: Array<[SigningSpec, SigningAlgorithmSpec, MessageType]> = [];
for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
  for (const algorithm of ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] as const) {
    COMBINATIONS.push([spec, algorithm, 'RAW'], [spec, algorithm, 'DIGEST']);
  }
}
for (const [spec, algorithm] of [['ECC_NIST_P256', 'ECDSA_SHA_256'], ['ECC_NIST_P384', 'ECDSA_SHA_384'], ['ECC_NIST_P521', 'ECDSA_SHA_512'], ['ECC_SECG_P256K1', 'ECDSA_SHA_256']] as const) {
  COMBINATIONS.push([spec, algorithm, 'RAW'], [spec, algorithm, 'DIGEST']);
}
COMBINATIONS.push(['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW'], ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST']);
for (const spec of ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const) {
  COMBINATIONS.push([spec, 'ML_DSA_SHAKE_256', 'RAW'], [spec, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU']);
}

/** What the caller sends for an original message M: M itself, its digest, or its ML-DSA μ. */
function messageFor(spec: SigningSpec, algorithm: SigningAlgorithmSpec, type: MessageType, original: Buffer): Buffer {
  if (type === 'DIGEST') return createHash(HASH[algorithm]!).update(original).digest();
  if (type === 'EXTERNAL_MU') return externalMu(spec as keyof typeof ML_DSA, keys[spec].publicKey, original);
  return original;
}

/**
 * Verifies `signature` of the ORIGINAL message M with an implementation other than kmslite's, from the SPKI
 * alone. DIGEST and EXTERNAL_MU signatures are ordinary signatures of M, so they are checked against M too (Ed25519ph:
 * of the DIGEST sent, which KMS hashes again).
 */
function independentlyValid(spec: SigningSpec, algorithm: SigningAlgorithmSpec, spki: Buffer, original: Buffer, signature: Buffer): boolean {
  if (algorithm === 'ML_DSA_SHAKE_256') {
    const dsa = ML_DSA[spec as keyof typeof ML_DSA];
    return dsa.verify(signature, original, rawPublicKey(spki, dsa.lengths.publicKey!));
  }
  // AWS hashes an Ed25519ph DIGEST again (API reference Sign, MessageType): the signature is Ed25519ph of the
  // 64 bytes sent, SHA-512(M), so PH = SHA-512(SHA-512(M)).
  if (algorithm === 'ED25519_PH_SHA_512') return ed25519ph.verify(signature, createHash('sha512').update(original).digest(), rawPublicKey(spki, 32));
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' }); // Node 20 has no ML-DSA
  const hash = HASH[algorithm];
  if (algorithm.startsWith('RSASSA_PSS')) {
    return nodeVerify(hash!, original, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash!] }, signature);
  }
  if (algorithm.startsWith('RSASSA_PKCS1')) return nodeVerify(hash!, original, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  if (algorithm.startsWith('ECDSA')) return nodeVerify(hash!, original, { key, dsaEncoding: 'der' }, signature);
  return nodeVerify(null, original, key, signature); // ED25519_SHA_512
}

const SIGNATURE_LENGTH: Partial<Record<SigningSpec, number>> = {
  RSA_2048: 256, RSA_3072: 384, RSA_4096: 512, ECC_NIST_EDWARDS25519: 64, ML_DSA_44: 2420, ML_DSA_65: 3309, ML_DSA_87: 4627,
};

describe('Sign / Verify', () => {
  describe('functionality', () => {
    test.each(COMBINATIONS)(
      '%s %s %s: signature verifies independently from GetPublicKey, and with kmslite Verify',
      async (spec, algorithm, type) => {
        const key = keys[spec];
        const original = randomBytes(300);
        const message = messageFor(spec, algorithm, type, original);
        const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, MessageType: type, SigningAlgorithm: algorithm }));
        expect(signed.KeyId).toBe(key.Arn);
        expect(signed.SigningAlgorithm).toBe(algorithm);
        const signature = Buffer.from(signed.Signature!);
        if (SIGNATURE_LENGTH[spec]) expect(signature.length).toBe(SIGNATURE_LENGTH[spec]);
        if (algorithm.startsWith('ECDSA')) expect(signature[0]).toBe(0x30); // DER SEQUENCE { r, s }
        expect(independentlyValid(spec, algorithm, key.publicKey, original, signature)).toBe(true);

        const verified = await kms.send(
          new VerifyCommand({ KeyId: key.KeyId, Message: message, MessageType: type, Signature: signature, SigningAlgorithm: algorithm }),
        );
        expect(verified.KeyId).toBe(key.Arn);
        expect(verified.SignatureValid).toBe(true);
        expect(verified.SigningAlgorithm).toBe(algorithm);

        const otherMessage = messageFor(spec, algorithm, type, Buffer.concat([original, Buffer.from('!')]));
        await expectRejected(
          () => kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: otherMessage, MessageType: type, Signature: signature, SigningAlgorithm: algorithm })),
          'KMSInvalidSignatureException',
        );
        const tampered = Buffer.from(signature);
        tampered[tampered.length >> 1]! ^= 0x01;
        await expectRejected(
          () => kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, MessageType: type, Signature: tampered, SigningAlgorithm: algorithm })),
          'KMSInvalidSignatureException',
        );
      },
    );

    test('MessageType defaults to RAW: the message is hashed with the algorithm hash', async () => {
      const message = Buffer.from('hash me');
      const signed = await kms.send(new SignCommand({ KeyId: keys.ECC_NIST_P256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
      expect(independentlyValid('ECC_NIST_P256', 'ECDSA_SHA_256', keys.ECC_NIST_P256.publicKey, message, Buffer.from(signed.Signature!))).toBe(true);
      const verified = await kms.send(new VerifyCommand({ KeyId: keys.ECC_NIST_P256.KeyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
      expect(verified.SignatureValid).toBe(true);
      // The same signature checks out as DIGEST with SHA-256(message), never as DIGEST of the raw bytes hashed again.
      const digest = createHash('sha256').update(message).digest();
      const asDigest = await kms.send(
        new VerifyCommand({ KeyId: keys.ECC_NIST_P256.KeyId, Message: digest, MessageType: 'DIGEST', Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      expect(asDigest.SignatureValid).toBe(true);
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: keys.ECC_NIST_P256.KeyId, Message: digest, MessageType: 'RAW', Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
        'KMSInvalidSignatureException',
      );
    });

    test('a DIGEST is signed as given, not hashed again (RSA PKCS#1 v1.5 is deterministic: same bytes as RAW)', async () => {
      const message = randomBytes(64);
      const raw = await kms.send(new SignCommand({ KeyId: keys.RSA_2048.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_384' }));
      const digest = await kms.send(
        new SignCommand({ KeyId: keys.RSA_2048.KeyId, Message: createHash('sha384').update(message).digest(), MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_384' }),
      );
      expect(Buffer.from(digest.Signature!)).toEqual(Buffer.from(raw.Signature!));
    });

    test('messages of 1 and 4096 bytes sign and verify', async () => {
      for (const length of [1, 4096]) {
        const message = randomBytes(length);
        const signed = await kms.send(new SignCommand({ KeyId: keys.ECC_NIST_EDWARDS25519.KeyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512' }));
        expect(independentlyValid('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', keys.ECC_NIST_EDWARDS25519.publicKey, message, Buffer.from(signed.Signature!))).toBe(true);
      }
    });

    test('the key can be named by key ARN, alias name and alias ARN; the response KeyId is always the key ARN', async () => {
      const key = keys.ECC_NIST_P384;
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: key.KeyId }));
      const aliasArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/signer`;
      const { GrantToken: token } = await kms.send(
        new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/signer`, Operations: ['Sign', 'Verify'] }),
      );
      for (const KeyId of [key.Arn, 'alias/signer', aliasArn]) {
        const signed = await kms.send(new SignCommand({ KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384', GrantTokens: [token!] }));
        expect(signed.KeyId).toBe(key.Arn);
        const verified = await kms.send(
          new VerifyCommand({ KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_384', GrantTokens: [token!] }),
        );
        expect(verified.KeyId).toBe(key.Arn);
      }
    });

    test('the response members on the wire: Sign {KeyId, Signature, SigningAlgorithm}, Verify {KeyId, SignatureValid, SigningAlgorithm}', async () => {
      const key = keys.ECC_NIST_P256;
      const signed = await rawRequest(running, 'Sign', { KeyId: key.KeyId, Message: Buffer.from('m').toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(signed.status).toBe(200);
      expect(Object.keys(signed.json).sort()).toEqual(['KeyId', 'Signature', 'SigningAlgorithm']);
      const verified = await rawRequest(running, 'Verify', {
        KeyId: key.KeyId, Message: Buffer.from('m').toString('base64'), Signature: signed.json.Signature, SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect(verified.json).toEqual({ KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
    });

    test('Sign and Verify are recorded for GetKeyLastUsage', async () => {
      const key = await createKey('ECC_NIST_P256', 'SIGN_VERIFY');
      const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      let usage = (await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage!;
      expect(usage.Operation).toBe('Sign');
      expect(usage.KmsRequestId).toBe(signed.$metadata.requestId);
      const verified = await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
      usage = (await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage!;
      expect(usage.Operation).toBe('Verify');
      expect(usage.KmsRequestId).toBe(verified.$metadata.requestId);
    });

    test('ECDSA and ML-DSA signatures are randomized; Ed25519 and RSA PKCS#1 v1.5 are deterministic', async () => {
      const twice = async (KeyId: string, SigningAlgorithm: SigningAlgorithmSpec) => {
        const a = await kms.send(new SignCommand({ KeyId, Message: Buffer.from('same'), SigningAlgorithm }));
        const b = await kms.send(new SignCommand({ KeyId, Message: Buffer.from('same'), SigningAlgorithm }));
        return Buffer.from(a.Signature!).equals(Buffer.from(b.Signature!));
      };
      expect(await twice(keys.ECC_NIST_P256.KeyId, 'ECDSA_SHA_256')).toBe(false);
      expect(await twice(keys.ML_DSA_44.KeyId, 'ML_DSA_SHAKE_256')).toBe(false);
      expect(await twice(keys.RSA_2048.KeyId, 'RSASSA_PSS_SHA_256')).toBe(false);
      expect(await twice(keys.ECC_NIST_EDWARDS25519.KeyId, 'ED25519_SHA_512')).toBe(true);
      expect(await twice(keys.RSA_2048.KeyId, 'RSASSA_PKCS1_V1_5_SHA_256')).toBe(true);
    });
  });

  describe('signatures made outside kmslite (seeded key material)', () => {
    const store = () => running.kmslite.stores.get(ACCOUNT_ID, REGION);
    // ML-DSA keys need their public key given (node:crypto cannot derive it); the others derive it.
    function seedKey(keySpec: KeySpec, pkcs8: Buffer, publicKey?: Buffer): { KeyId: string; Arn: string } {
      const keyId = randomUUID();
      const record = buildKey(store(), { keyId, keySpec: keySpec as never, keyUsage: 'SIGN_VERIFY', materials: [pkcs8], publicKey, creationDate: new Date() });
      store().putKey(record);
      return { KeyId: keyId, Arn: record.metadata.Arn };
    }
    async function expectValid(KeyId: string, SigningAlgorithm: SigningAlgorithmSpec, MessageType: MessageType, Message: Buffer, Signature: Buffer) {
      const verified = await kms.send(new VerifyCommand({ KeyId, Message, MessageType, Signature, SigningAlgorithm }));
      expect(verified.SignatureValid).toBe(true);
    }

    test('RSA: node:crypto PSS (salt = digest length) and PKCS#1 v1.5 signatures verify, RAW and DIGEST', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
      const key = seedKey('RSA_3072', privateKey.export({ type: 'pkcs8', format: 'der' }));
      expect(Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!)).toEqual(
        createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
      );
      const message = randomBytes(1000);
      for (const [algorithm, hash] of [['RSASSA_PSS_SHA_256', 'sha256'], ['RSASSA_PSS_SHA_384', 'sha384'], ['RSASSA_PSS_SHA_512', 'sha512']] as const) {
        const signature = nodeSign(hash, message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] });
        await expectValid(key.KeyId, algorithm, 'RAW', message, signature);
        await expectValid(key.KeyId, algorithm, 'DIGEST', createHash(hash).update(message).digest(), signature);
        // PSS with another salt length is a valid RFC 8017 signature but not what KMS uses: refused.
        const saltless = nodeSign(hash, message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 });
        await expectRejected(() => expectValid(key.KeyId, algorithm, 'RAW', message, saltless), 'KMSInvalidSignatureException');
      }
      for (const [algorithm, hash] of [['RSASSA_PKCS1_V1_5_SHA_256', 'sha256'], ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384'], ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512']] as const) {
        const signature = nodeSign(hash, message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
        await expectValid(key.KeyId, algorithm, 'RAW', message, signature);
        await expectValid(key.KeyId, algorithm, 'DIGEST', createHash(hash).update(message).digest(), signature);
        // The right key and message but another padding: invalid.
        await expectRejected(() => expectValid(key.KeyId, algorithm.replace('PKCS1_V1_5', 'PSS') as SigningAlgorithmSpec, 'RAW', message, signature), 'KMSInvalidSignatureException');
      }
    });

    test.each([
      ['ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384', 'sha384'],
      ['ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512', 'sha512'],
      ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256', 'sha256'],
    ] as const)('%s: node:crypto DER ECDSA signatures verify, RAW and DIGEST; P1363 (r||s) ones do not', async (spec, curve, algorithm, hash) => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const key = seedKey(spec, privateKey.export({ type: 'pkcs8', format: 'der' }));
      const message = randomBytes(77);
      const signature = nodeSign(hash, message, { key: privateKey, dsaEncoding: 'der' });
      await expectValid(key.KeyId, algorithm, 'RAW', message, signature);
      await expectValid(key.KeyId, algorithm, 'DIGEST', createHash(hash).update(message).digest(), signature);
      const p1363 = nodeSign(hash, message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      await expectRejected(() => expectValid(key.KeyId, algorithm, 'RAW', message, p1363), 'KMSInvalidSignatureException');
      await expectRejected(() => expectValid(key.KeyId, algorithm, 'DIGEST', createHash(hash).update(message).digest(), p1363), 'KMSInvalidSignatureException');
    });

    test('Ed25519 (RFC 8032 §7.1 TEST 3 and §7.3 keys): TEST 3 verifies and Sign reproduces it; Ed25519ph DIGEST is hashed again', async () => {
      const pkcs8 = (seed: string) => Buffer.from(`302e020100300506032b657004220420${seed}`, 'hex');
      const test3 = seedKey('ECC_NIST_EDWARDS25519', pkcs8('c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7'));
      const test3Signature = Buffer.from(
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
        'hex',
      );
      await expectValid(test3.KeyId, 'ED25519_SHA_512', 'RAW', Buffer.from('af82', 'hex'), test3Signature);
      const signed = await kms.send(new SignCommand({ KeyId: test3.KeyId, Message: Buffer.from('af82', 'hex'), SigningAlgorithm: 'ED25519_SHA_512' }));
      expect(Buffer.from(signed.Signature!)).toEqual(test3Signature);
      expect(Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: test3.KeyId }))).PublicKey!).toString('hex')).toBe(
        '302a300506032b6570032100fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      );

      const phSeed = '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42';
      const ph = seedKey('ECC_NIST_EDWARDS25519', pkcs8(phSeed));
      // RFC 8032 §7.3's Ed25519ph("abc"). AWS hashes a DIGEST again ("the input is hashed twice"), so sending
      // SHA-512("abc") as the DIGEST names Ed25519ph(SHA-512("abc")), and the published signature does not verify.
      const phSignature = Buffer.from(
        '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
        'hex',
      );
      const digest = createHash('sha512').update('abc').digest();
      await expectRejected(() => expectValid(ph.KeyId, 'ED25519_PH_SHA_512', 'DIGEST', digest, phSignature), 'KMSInvalidSignatureException');
      // Ed25519ph (deterministic) of the 64 bytes sent, by @noble/curves: what AWS signs, bit for bit.
      const expected = Buffer.from(ed25519ph.sign(digest, Buffer.from(phSeed, 'hex')));
      await expectValid(ph.KeyId, 'ED25519_PH_SHA_512', 'DIGEST', digest, expected);
      const phSigned = await kms.send(new SignCommand({ KeyId: ph.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' }));
      expect(Buffer.from(phSigned.Signature!)).toEqual(expected);
      // The Ed25519ph signature is not a pure Ed25519 signature of anything involved.
      await expectRejected(() => expectValid(ph.KeyId, 'ED25519_SHA_512', 'RAW', Buffer.from('abc'), phSignature), 'KMSInvalidSignatureException');
    });

    test('ML-DSA-65: @noble/post-quantum signatures of M verify as RAW, and as EXTERNAL_MU with μ of M', async () => {
      const seed = randomBytes(32);
      // PKCS#8 in the seed form: OneAsymmetricKey { 0, { id-ml-dsa-65 }, OCTET STRING { [0] seed } }.
      const pkcs8 = der(0x30, der(0x02, Buffer.from([0])), der(0x30, derOid('2.16.840.1.101.3.4.3.18')), der(0x04, der(0x80, seed)));
      const key = seedKey('ML_DSA_65', pkcs8, (await mlDsaKeyPairFromSeed('ML_DSA_65', seed)).publicKey);
      const { secretKey, publicKey } = ml_dsa65.keygen(seed);
      const spki = Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!);
      expect(rawPublicKey(spki, 1952)).toEqual(Buffer.from(publicKey));
      const message = randomBytes(2000);
      const signature = Buffer.from(ml_dsa65.sign(message, secretKey));
      await expectValid(key.KeyId, 'ML_DSA_SHAKE_256', 'RAW', message, signature);
      const tr = shake256(publicKey, { dkLen: 64 });
      const mu = Buffer.from(shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 }));
      await expectValid(key.KeyId, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', mu, signature);
      // A signature with a non-empty context is another message to KMS (its RAW uses the empty context).
      const withContext = Buffer.from(ml_dsa65.sign(message, secretKey, { context: Buffer.from('ctx') }));
      await expectRejected(() => expectValid(key.KeyId, 'ML_DSA_SHAKE_256', 'RAW', message, withContext), 'KMSInvalidSignatureException');
    });
  });

  describe('validation', () => {
    test('an invalid signature is KMSInvalidSignatureException with no message member (AWS-recorded); never SignatureValid false', async () => {
      const key = keys.ECC_NIST_P256;
      const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('one'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      const raw = await rawRequest(running, 'Verify', {
        KeyId: key.KeyId, Message: Buffer.from('two').toString('base64'), Signature: Buffer.from(signed.Signature!).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({ __type: 'KMSInvalidSignatureException' });
    });

    test.each([
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'not DER', Buffer.from('this is not a DER signature')],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'DER with trailing bytes', null],
      ['RSA_2048', 'RSASSA_PSS_SHA_256', 'one byte short', randomBytes(255)],
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'all 0xff (not below the modulus)', Buffer.alloc(256, 0xff)],
      ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', '63 bytes', randomBytes(63)],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256', '6144 random bytes', randomBytes(6144)],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256', 'a signature of ML-DSA-65 length', randomBytes(3309)],
    ] as const)('%s %s, malformed signature (%s): KMSInvalidSignatureException', async (spec, algorithm, _what, signature) => {
      const key = keys[spec];
      let bytes = signature;
      if (bytes === null) {
        const good = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), SigningAlgorithm: algorithm }));
        bytes = Buffer.concat([Buffer.from(good.Signature!), Buffer.from([0])]);
      }
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), Signature: bytes!, SigningAlgorithm: algorithm })),
        'KMSInvalidSignatureException',
      );
    });

    test('a signature by another key of the same spec is invalid', async () => {
      const other = await createKey('ECC_NIST_P256', 'SIGN_VERIFY');
      const signed = await kms.send(new SignCommand({ KeyId: other.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: keys.ECC_NIST_P256.KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
        'KMSInvalidSignatureException',
      );
    });

    // The recorded AWS scenario: MessageType DIGEST with the 28-byte raw text.
    test.each([
      ['RSA_2048', 'RSASSA_PSS_SHA_256'], ['RSA_2048', 'RSASSA_PSS_SHA_384'], ['RSA_2048', 'RSASSA_PSS_SHA_512'],
      ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_256'], ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384'], ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256'], ['ECC_SECG_P256K1', 'ECDSA_SHA_256'], ['ECC_NIST_P384', 'ECDSA_SHA_384'], ['ECC_NIST_P521', 'ECDSA_SHA_512'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512'],
    ] as const)('%s %s: a DIGEST of the wrong length is `Digest is invalid length for algorithm X.` (Sign and Verify)', async (spec, algorithm) => {
      const message = Buffer.from('test message 123 !%$@ 1234567'.slice(0, 28));
      expect(message.length).toBe(28);
      const text = `Digest is invalid length for algorithm ${algorithm}.`;
      await expectRejected(() => kms.send(new SignCommand({ KeyId: keys[spec].KeyId, Message: message, MessageType: 'DIGEST', SigningAlgorithm: algorithm })), 'ValidationException', text);
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: keys[spec].KeyId, Message: message, MessageType: 'DIGEST', Signature: Buffer.alloc(64), SigningAlgorithm: algorithm })),
        'ValidationException',
        text,
      );
      // One byte longer than the right length is refused too.
      const long = Buffer.alloc(HASH_LENGTH[HASH[algorithm]!] + 1);
      await expectRejected(() => kms.send(new SignCommand({ KeyId: keys[spec].KeyId, Message: long, MessageType: 'DIGEST', SigningAlgorithm: algorithm })), 'ValidationException', text);
    });

    test.each([
      ['ECC_NIST_P256', 'ECDSA_SHA_384'], ['ECC_NIST_P256', 'ECDSA_SHA_512'], ['ECC_NIST_P521', 'ECDSA_SHA_256'], ['ECC_SECG_P256K1', 'ECDSA_SHA_512'],
      ['ECC_NIST_P256', 'RSASSA_PSS_SHA_256'], ['RSA_2048', 'ECDSA_SHA_256'], ['RSA_2048', 'ML_DSA_SHAKE_256'], ['RSA_2048', 'ED25519_SHA_512'],
      ['ECC_NIST_EDWARDS25519', 'ECDSA_SHA_512'], ['ML_DSA_44', 'ED25519_SHA_512'], ['ML_DSA_65', 'RSASSA_PKCS1_V1_5_SHA_256'], ['ECC_NIST_P384', 'SM2DSA'],
    ] as const)('%s with %s: InvalidKeyUsageException `Algorithm X is incompatible with key spec Y.`', async (spec, algorithm) => {
      const text = `Algorithm ${algorithm} is incompatible with key spec ${spec}.`;
      await expectRejected(() => kms.send(new SignCommand({ KeyId: keys[spec].KeyId, Message: Buffer.from('m'), SigningAlgorithm: algorithm })), 'InvalidKeyUsageException', text);
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: keys[spec].KeyId, Message: Buffer.from('m'), Signature: Buffer.alloc(64), SigningAlgorithm: algorithm })),
        'InvalidKeyUsageException',
        text,
      );
    });

    test.each([
      ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'DIGEST', 64, 'Message type DIGEST is incompatible with algorithm ED25519_SHA_512.'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'RAW', 64, 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', undefined, 64, 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.'],
      ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'EXTERNAL_MU', 64, 'Message type EXTERNAL_MU is incompatible with algorithm ED25519_SHA_512.'],
      ['ML_DSA_44', 'ML_DSA_SHAKE_256', 'DIGEST', 64, 'Message type DIGEST is incompatible with key spec ML_DSA_44.'],
      ['ML_DSA_87', 'ML_DSA_SHAKE_256', 'DIGEST', 32, 'Message type DIGEST is incompatible with key spec ML_DSA_87.'],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'EXTERNAL_MU', 64, 'Message type EXTERNAL_MU is incompatible with key spec ECC_NIST_P256.'],
      ['RSA_2048', 'RSASSA_PSS_SHA_512', 'EXTERNAL_MU', 64, 'Message type EXTERNAL_MU is incompatible with key spec RSA_2048.'],
      ['ML_DSA_65', 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', 63, 'External Mu is invalid length for algorithm ML_DSA_SHAKE_256.'],
      ['ML_DSA_65', 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', 65, 'External Mu is invalid length for algorithm ML_DSA_SHAKE_256.'],
    ] as const)('%s %s MessageType %s (%d bytes): ValidationException `%s`', async (spec, algorithm, type, length, text) => {
      const message = Buffer.alloc(length, 7);
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: keys[spec].KeyId, Message: message, MessageType: type, SigningAlgorithm: algorithm })),
        'ValidationException',
        text,
      );
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: keys[spec].KeyId, Message: message, MessageType: type, Signature: Buffer.alloc(64), SigningAlgorithm: algorithm })),
        'ValidationException',
        text,
      );
    });

    test('key usage other than SIGN_VERIFY: `<arn> key usage is X which is not valid for Sign.` (and Verify)', async () => {
      const cases: Array<[KeySpec | undefined, KeyUsageType | undefined, string]> = [
        [undefined, undefined, 'ENCRYPT_DECRYPT'],
        ['HMAC_224', 'GENERATE_VERIFY_MAC', 'GENERATE_VERIFY_MAC'],
        ['RSA_2048', 'ENCRYPT_DECRYPT', 'ENCRYPT_DECRYPT'],
        ['ECC_NIST_P256', 'KEY_AGREEMENT', 'KEY_AGREEMENT'],
      ];
      for (const [KeySpec, KeyUsage, usage] of cases) {
        const metadata = (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
        // The usage check comes before the algorithm check (PSS is not an algorithm of most of these keys).
        await expectRejected(
          () => kms.send(new SignCommand({ KeyId: metadata.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
          'InvalidKeyUsageException',
          `${metadata.Arn} key usage is ${usage} which is not valid for Sign.`,
        );
        await expectRejected(
          () => kms.send(new VerifyCommand({ KeyId: metadata.KeyId, Message: Buffer.from('m'), Signature: Buffer.alloc(8), SigningAlgorithm: 'ECDSA_SHA_256' })),
          'InvalidKeyUsageException',
          `${metadata.Arn} key usage is ${usage} which is not valid for Verify.`,
        );
      }
    });

    test('key state: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
      const disabled = await createKey('ECC_NIST_P256', 'SIGN_VERIFY');
      const signed = await kms.send(new SignCommand({ KeyId: disabled.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
      await expectRejected(() => kms.send(new SignCommand({ KeyId: disabled.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })), 'DisabledException', `${disabled.Arn} is disabled.`);
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: disabled.KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
        'DisabledException',
        `${disabled.Arn} is disabled.`,
      );
      const deleting = await createKey('ML_DSA_44', 'SIGN_VERIFY');
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: deleting.KeyId, PendingWindowInDays: 7 }));
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: deleting.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ML_DSA_SHAKE_256' })),
        'KMSInvalidStateException',
        `${deleting.Arn} is pending deletion.`,
      );
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: deleting.KeyId, Message: Buffer.from('m'), Signature: Buffer.alloc(2420), SigningAlgorithm: 'ML_DSA_SHAKE_256' })),
        'KMSInvalidStateException',
        `${deleting.Arn} is pending deletion.`,
      );
    });

    test('unknown keys and aliases: NotFoundException', async () => {
      const id = randomUUID();
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: id, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })),
        'NotFoundException',
        `Key 'arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${id}' does not exist`,
      );
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: 'alias/none', Message: Buffer.from('m'), Signature: Buffer.alloc(8), SigningAlgorithm: 'ECDSA_SHA_256' })),
        'NotFoundException',
        `Alias arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/none is not found.`,
      );
    });

    test('DryRun: DryRunOperationException after every check, nothing signed, no usage recorded', async () => {
      const key = await createKey('ECC_NIST_P256', 'SIGN_VERIFY');
      const dryRun = 'The request would have succeeded, but the DryRun option is set.';
      await expectRejected(() => kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'DryRunOperationException', dryRun);
      // Checks still apply first.
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.alloc(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })),
        'ValidationException',
        'Digest is invalid length for algorithm ECDSA_SHA_256.',
      );
      await expectRejected(
        () => kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384', DryRun: true })),
        'InvalidKeyUsageException',
        'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
      );
      expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage).toEqual({});
      // Verify's DryRun checks the signature like Decrypt's checks the ciphertext (unconfirmed for Verify).
      const signed = await kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })),
        'DryRunOperationException',
        dryRun,
      );
      await expectRejected(
        () => kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('x'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })),
        'KMSInvalidSignatureException',
      );
      expect((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage!.Operation).toBe('Sign');
    });

    test('model limits: Message 1..4096 bytes, Signature 1..6144 bytes, SigningAlgorithm required and in the enum', async () => {
      const key = keys.ECC_NIST_P256;
      const tooLong = await rawRequest(running, 'Sign', { KeyId: key.KeyId, Message: randomBytes(4097).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(tooLong.status).toBe(400);
      expect(tooLong.json.__type).toBe('ValidationException');
      expect(tooLong.json.message).toMatch(/^1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096/);
      const longSignature = await rawRequest(running, 'Verify', {
        KeyId: key.KeyId, Message: 'bQ==', Signature: randomBytes(6145).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect(longSignature.json.__type).toBe('ValidationException');
      expect(longSignature.json.message).toMatch(/Value at 'signature' failed to satisfy constraint: Member must have length less than or equal to 6144/);
      const badAlgorithm = await rawRequest(running, 'Sign', { KeyId: key.KeyId, Message: 'bQ==', SigningAlgorithm: 'ECDSA_SHA_1' });
      expect(badAlgorithm.json.__type).toBe('ValidationException');
      expect(badAlgorithm.json.message).toContain("Value 'ECDSA_SHA_1' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set");
      const badType = await rawRequest(running, 'Sign', { KeyId: key.KeyId, Message: 'bQ==', MessageType: 'HASH', SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(badType.json.message).toContain("Value 'HASH' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set");
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The `openssl` command as an independent verifier (skipped when it is not installed).

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

(openssl ? describe : describe.skip)('signatures verify with the openssl command (GetPublicKey DER as the key)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-openssl-'));
  let counter = 0;
  const file = (name: string, content: Buffer) => {
    const path = join(dir, `${++counter}-${name}`);
    writeFileSync(path, content);
    return path;
  };

  async function opensslVerifies(spec: SigningSpec, algorithm: SigningAlgorithmSpec, original: Buffer, signature: Buffer): Promise<boolean> {
    const key = file('public.der', keys[spec].publicKey);
    const message = file('message.bin', original);
    const sig = file('signature.bin', signature);
    const args =
      algorithm === 'ED25519_SHA_512'
        ? ['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', key, '-rawin', '-in', message, '-sigfile', sig]
        : [
            'dgst', `-${HASH[algorithm]}`, '-keyform', 'DER', '-verify', key, '-signature', sig,
            ...(algorithm.startsWith('RSASSA_PSS') ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${HASH_LENGTH[HASH[algorithm]!]}`] : []),
            message,
          ];
    try {
      const { stdout } = await run('openssl', args);
      return /Verified OK|Signature Verified Successfully/.test(stdout);
    } catch {
      return false; // openssl exits 1 on a failed verification
    }
  }

  test.each([
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW'],
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST'],
    ['RSA_3072', 'RSASSA_PSS_SHA_384', 'RAW'],
    ['RSA_4096', 'RSASSA_PSS_SHA_512', 'DIGEST'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'RAW'],
    ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512', 'DIGEST'],
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW'],
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'DIGEST'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384', 'DIGEST'],
    ['ECC_NIST_P521', 'ECDSA_SHA_512', 'RAW'],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'DIGEST'],
    ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW'],
  ] as const)('%s %s %s', async (spec, algorithm, type) => {
    const original = randomBytes(333);
    const message = messageFor(spec, algorithm, type, original);
    const signed = await kms.send(new SignCommand({ KeyId: keys[spec].KeyId, Message: message, MessageType: type, SigningAlgorithm: algorithm }));
    const signature = Buffer.from(signed.Signature!);
    expect(await opensslVerifies(spec, algorithm, original, signature)).toBe(true);
    // The check can fail: the same signature over another message is refused.
    expect(await opensslVerifies(spec, algorithm, Buffer.concat([original, Buffer.from([1])]), signature)).toBe(false);
  });
});
