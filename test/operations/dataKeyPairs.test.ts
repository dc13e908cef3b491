/**
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: every DataKeyPairSpec's private key is a
 * standard PKCS#8 DER key node:crypto loads and that matches the SPKI DER public key (checked by signing
 * with one and verifying with the other, and by ECDH), and the encrypted private key is an ordinary
 * symmetric ciphertext that Decrypt opens with the same encryption context (AWS-recorded).
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
  type DataKeyPairSpec,
} from '@aws-sdk/client-kms';
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { errorOf, kmsClient, rawRequest, useKmslite, kms, running } from '../helpers/fixture.js';
import type { KeySpec, KeyUsageType } from '../../src/model/generated/enums.js';

type Expected = { type: string; modulusLength?: number; namedCurve?: string };

/** Every DataKeyPairSpec except SM2 (China Regions only), with what node:crypto must see in the key. */
const SPECS: Array<[DataKeyPairSpec, Expected]> = [
  ['RSA_2048', { type: 'rsa', modulusLength: 2048 }],
  ['RSA_3072', { type: 'rsa', modulusLength: 3072 }],
  ['RSA_4096', { type: 'rsa', modulusLength: 4096 }],
  ['ECC_NIST_P256', { type: 'ec', namedCurve: 'prime256v1' }],
  ['ECC_NIST_P384', { type: 'ec', namedCurve: 'secp384r1' }],
  ['ECC_NIST_P521', { type: 'ec', namedCurve: 'secp521r1' }],
  ['ECC_SECG_P256K1', { type: 'ec', namedCurve: 'secp256k1' }],
  ['ECC_NIST_EDWARDS25519', { type: 'ed25519' }],
];
const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';
const ENUM_WITHOUT_SM2 = '[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, ECC_NIST_EDWARDS25519]';
/** 1.2.156.10197.1.301, the SM2 curve, as a DER OID. */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

let keyId: string;
let keyArn: string;
let currentKeyMaterialId: string;

useKmslite();

beforeAll(async () => {
  const created = await kms.send(new CreateKeyCommand({}));
  keyId = created.KeyMetadata!.KeyId!;
  keyArn = created.KeyMetadata!.Arn!;
  currentKeyMaterialId = created.KeyMetadata!.CurrentKeyMaterialId!;
});

async function createKey(input: { KeySpec?: KeySpec; KeyUsage?: KeyUsageType } = {}): Promise<{ keyId: string; arn: string }> {
  const created = await kms.send(new CreateKeyCommand(input));
  return { keyId: created.KeyMetadata!.KeyId!, arn: created.KeyMetadata!.Arn! };
}

/**
 * The private key loads as PKCS#8, is of the spec's type and size, re-exports to the same bytes, derives the
 * given public key, and signs what the public key (loaded from the SPKI bytes alone) verifies.
 */
function expectMatchingPair(pkcs8: Uint8Array, spki: Uint8Array, expected: Expected): KeyObject {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  expect(privateKey.asymmetricKeyType).toBe(expected.type);
  expect(publicKey.asymmetricKeyType).toBe(expected.type);
  if (expected.modulusLength) {
    expect(privateKey.asymmetricKeyDetails!.modulusLength).toBe(expected.modulusLength);
    expect(privateKey.asymmetricKeyDetails!.publicExponent).toBe(65537n);
  }
  if (expected.namedCurve) expect(privateKey.asymmetricKeyDetails!.namedCurve).toBe(expected.namedCurve);
  expect(privateKey.export({ type: 'pkcs8', format: 'der' })).toEqual(Buffer.from(pkcs8));
  expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).toEqual(Buffer.from(spki));
  const message = Buffer.from(`data key pair ${randomUUID()}`);
  const algorithm = expected.type === 'ed25519' ? null : 'sha256';
  const signature = sign(algorithm, message, privateKey);
  expect(verify(algorithm, message, publicKey, signature)).toBe(true);
  expect(verify(algorithm, Buffer.concat([message, Buffer.from('!')]), publicKey, signature)).toBe(false);
  if (expected.type === 'ec') {
    // ECDH both ways with an independent key on the same curve: equal secrets only if the halves match.
    const peer = generateKeyPairSync('ec', { namedCurve: expected.namedCurve! });
    expect(diffieHellman({ privateKey, publicKey: peer.publicKey })).toEqual(diffieHellman({ privateKey: peer.privateKey, publicKey }));
  }
  return privateKey;
}

describe('GenerateDataKeyPair', () => {
  describe('functionality', () => {
    test.each(SPECS)('%s: a matching PKCS#8 / SPKI pair whose encrypted private key Decrypt opens with the context', async (spec, expected) => {
      const context = { purpose: `pair-${spec}` };
      const generated = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context }));
      expect(generated.KeyId).toBe(keyArn);
      expect(generated.KeyPairSpec).toBe(spec);
      expect(generated.KeyMaterialId).toBe(currentKeyMaterialId);
      expectMatchingPair(generated.PrivateKeyPlaintext!, generated.PublicKey!, expected);

      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.PrivateKeyCiphertextBlob, EncryptionContext: context }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(generated.PrivateKeyPlaintext!));
      expect(decrypted.KeyId).toBe(keyArn);
      expect(decrypted.KeyMaterialId).toBe(currentKeyMaterialId);
      // AWS-recorded (test_encryption_context_generate_data_key_pair): without the context, no message at all.
      const raw = await rawRequest(running, 'Decrypt', { CiphertextBlob: Buffer.from(generated.PrivateKeyCiphertextBlob!).toString('base64') });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({ __type: 'InvalidCiphertextException' });
    }, 30000);

    test('every call makes a new pair; an alias names the key; the use is recorded', async () => {
      const alias = `alias/pairs-${randomUUID()}`;
      await rawRequest(running, 'CreateAlias', { AliasName: alias, TargetKeyId: keyId });
      const a = await kms.send(new GenerateDataKeyPairCommand({ KeyId: alias, KeyPairSpec: 'ECC_NIST_P256' }));
      const b = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyArn, KeyPairSpec: 'ECC_NIST_P256' }));
      expect(a.KeyId).toBe(keyArn);
      expect(Buffer.from(a.PublicKey!)).not.toEqual(Buffer.from(b.PublicKey!));
      expect(Buffer.from(a.PrivateKeyPlaintext!)).not.toEqual(Buffer.from(b.PrivateKeyPlaintext!));
      const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
      expect(usage.KeyLastUsage?.Operation).toBe('GenerateDataKeyPair');
    });

    test('SM2 pairs in a China Region: an SM2-curve PKCS#8 key whose public half is the PublicKey', async () => {
      const china = kmsClient(running, 'cn-north-1');
      const key = (await china.send(new CreateKeyCommand({}))).KeyMetadata!;
      const generated = await china.send(new GenerateDataKeyPairCommand({ KeyId: key.KeyId, KeyPairSpec: 'SM2' }));
      expect(generated.KeyId).toBe(key.Arn);
      expect(generated.KeyId).toMatch(/^arn:aws-cn:kms:cn-north-1:/);
      const pkcs8 = Buffer.from(generated.PrivateKeyPlaintext!);
      const spki = Buffer.from(generated.PublicKey!);
      expect(pkcs8.includes(SM2_CURVE_OID)).toBe(true);
      expect(spki.includes(SM2_CURVE_OID)).toBe(true);
      expect(spki.length).toBe(91); // SEQUENCE { id-ecPublicKey, SM2 curve } + 65-byte uncompressed point
      const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).toEqual(spki);
      const decrypted = await china.send(new DecryptCommand({ CiphertextBlob: generated.PrivateKeyCiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(pkcs8);
    });
  });

  describe('validation', () => {
    test('SM2 outside the China Regions fails like a value outside the enum', async () => {
      const raw = await rawRequest(running, 'GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'SM2' });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({
        __type: 'ValidationException',
        message: `1 validation error detected: Value 'SM2' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM_WITHOUT_SM2}`,
      });
      const without = await rawRequest(running, 'GenerateDataKeyPairWithoutPlaintext', { KeyId: keyId, KeyPairSpec: 'SM2' });
      expect(without.json.message).toBe(raw.json.message);
    });

    test('a missing or unknown KeyPairSpec is a validation error', async () => {
      const missing = await rawRequest(running, 'GenerateDataKeyPair', { KeyId: keyId });
      expect(missing.json).toEqual({
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'keyPairSpec' failed to satisfy constraint: Member must not be null",
      });
      const unknown = await rawRequest(running, 'GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'RSA_20' });
      expect(unknown.json.__type).toBe('ValidationException');
      expect(unknown.json.message).toMatch(/^1 validation error detected: Value 'RSA_20' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    });

    test('DryRun answers the AWS-recorded DryRunOperationException, also after a successful call', async () => {
      await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' }));
      for (const Command of [GenerateDataKeyPairCommand, GenerateDataKeyPairWithoutPlaintextCommand]) {
        const error = await errorOf(() => kms.send(new Command({ KeyId: keyId, KeyPairSpec: 'RSA_2048', DryRun: true })));
        expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['DryRunOperationException', DRY_RUN, 400]);
      }
      const missing = await errorOf(() => kms.send(new GenerateDataKeyPairCommand({ KeyId: 'alias/none', KeyPairSpec: 'RSA_2048', DryRun: true })));
      expect(missing.name).toBe('NotFoundException');
    });

    test('the KeyId must be a symmetric encryption key: asymmetric, signing and HMAC keys are refused', async () => {
      const rsa = await createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const signing = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const hmac = await createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      for (const [Command, operation] of [
        [GenerateDataKeyPairCommand, 'GenerateDataKeyPair'],
        [GenerateDataKeyPairWithoutPlaintextCommand, 'GenerateDataKeyPairWithoutPlaintext'],
      ] as const) {
        const spec = await errorOf(() => kms.send(new Command({ KeyId: rsa.keyId, KeyPairSpec: 'ECC_NIST_P256' })));
        expect([spec.name, spec.message]).toEqual(['InvalidKeyUsageException', `${rsa.arn} key KeySpec is RSA_2048 which is not valid for ${operation}.`]);
        const usage = await errorOf(() => kms.send(new Command({ KeyId: signing.keyId, KeyPairSpec: 'ECC_NIST_P256' })));
        expect([usage.name, usage.message]).toEqual(['InvalidKeyUsageException', `${signing.arn} key usage is SIGN_VERIFY which is not valid for ${operation}.`]);
        const mac = await errorOf(() => kms.send(new Command({ KeyId: hmac.keyId, KeyPairSpec: 'ECC_NIST_P256' })));
        expect([mac.name, mac.message]).toEqual(['InvalidKeyUsageException', `${hmac.arn} key usage is GENERATE_VERIFY_MAC which is not valid for ${operation}.`]);
      }
    });

    test('unknown and disabled keys answer as for every cryptographic operation', async () => {
      const unknownId = randomUUID();
      const notFound = await errorOf(() => kms.send(new GenerateDataKeyPairCommand({ KeyId: unknownId, KeyPairSpec: 'ECC_NIST_P256' })));
      expect([notFound.name, notFound.message]).toEqual(['NotFoundException', `Key '${keyArn.replace(keyId, unknownId)}' does not exist`]);
      const disabled = await createKey();
      await kms.send(new DisableKeyCommand({ KeyId: disabled.keyId }));
      const error = await errorOf(() => kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: disabled.keyId, KeyPairSpec: 'ECC_NIST_P256' })));
      expect([error.name, error.message]).toEqual(['DisabledException', `${disabled.arn} is disabled.`]);
    });

    test('Recipient with a malformed attestation document → ValidationException (full coverage: recipient.test.ts)', async () => {
      const raw = await rawRequest(running, 'GenerateDataKeyPair', {
        KeyId: keyId,
        KeyPairSpec: 'ECC_NIST_P256',
        Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('document').toString('base64') },
      });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({ __type: 'ValidationException', message: 'Invalid attestation document.' });
    });
  });
});

describe('GenerateDataKeyPairWithoutPlaintext', () => {
  describe('functionality', () => {
    test.each(SPECS)('%s: no plaintext; Decrypt gives the PKCS#8 private key of PublicKey', async (spec, expected) => {
      const context = { without: spec };
      const generated = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context }));
      expect(generated).not.toHaveProperty('PrivateKeyPlaintext');
      expect(generated.KeyId).toBe(keyArn);
      expect(generated.KeyPairSpec).toBe(spec);
      expect(generated.KeyMaterialId).toBe(currentKeyMaterialId);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.PrivateKeyCiphertextBlob, KeyId: keyArn, EncryptionContext: context }));
      expectMatchingPair(decrypted.Plaintext!, generated.PublicKey!, expected);
      // AWS-recorded (test_encryption_context_generate_data_key_pair_without_plaintext).
      const wrong = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: generated.PrivateKeyCiphertextBlob, EncryptionContext: { without: 'other' } })));
      expect(wrong.name).toBe('InvalidCiphertextException');
    }, 30000);
  });

  describe('validation', () => {
    test('a missing KeyId is a validation error', async () => {
      const raw = await rawRequest(running, 'GenerateDataKeyPairWithoutPlaintext', { KeyPairSpec: 'RSA_2048' });
      expect(raw.json).toEqual({
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      });
    });
  });
});
