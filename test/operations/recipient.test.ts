/**
 * The Recipient parameter (Nitro Enclaves attested calls) on Decrypt, GenerateDataKey, GenerateDataKeyPair,
 * GenerateRandom and DeriveSharedSecret. Sources: API reference (RecipientInfo, each operation's Recipient and
 * CiphertextForRecipient), developer guide "How to make attested calls to AWS KMS", aws-nitro-enclaves-sdk-c
 * source/cms.c (the CMS shape the enclave SDK parses: EnvelopedData v2, KeyTransRecipientInfo v2,
 * RSAES-OAEP-SHA-256, AES-256-CBC). The attestation document is built here: a COSE_Sign1 with a dummy signature
 * whose payload carries our own RSA public key; kmslite does not verify the signature. Envelopes are opened with
 * node:crypto (and cross-checked with OpenSSL's `cms -decrypt` when the openssl binary is present).
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
} from '@aws-sdk/client-kms';
import {
  constants,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'cborg';
import { errorOf, useKmslite, kms } from '../helpers/fixture.js';
import { CMS_OIDS, parseEnvelope } from '../../src/crypto/forge.js';

let symmetricKeyId: string;

const enclave = generateKeyPairSync('rsa', { modulusLength: 2048 });
const enclaveSpki = enclave.publicKey.export({ format: 'der', type: 'spki' });

/** A Nitro-shaped attestation document (NSM API attestation.md field set), signature not real. */
function attestationDocument(publicKey: Uint8Array | null = enclaveSpki, options: { tagged?: boolean } = {}): Uint8Array {
  const payload = new Map<string, unknown>([
    ['module_id', 'i-0123456789abcdef0-enc0123456789abcdef'],
    ['digest', 'SHA384'],
    ['timestamp', Date.now()],
    ['pcrs', new Map([[0, new Uint8Array(48)], [1, new Uint8Array(48)], [2, new Uint8Array(48)]])],
    ['certificate', new Uint8Array(randomBytes(64))],
    ['cabundle', [new Uint8Array(randomBytes(64))]],
    ['public_key', publicKey],
    ['user_data', null],
    ['nonce', null],
  ]);
  if (publicKey === null) payload.delete('public_key');
  const sign1 = [encode(new Map([[1, -35]])), new Map(), encode(payload), new Uint8Array(96)];
  const document = encode(sign1);
  if (!options.tagged) return document;
  // CBOR tag 18 (COSE_Sign1): major type 6, value 18 → 0xd2.
  return Buffer.concat([Buffer.from([0xd2]), document]);
}

const recipient = (document: Uint8Array = attestationDocument()) => ({
  AttestationDocument: document,
  KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' as const,
});

/** Opens CiphertextForRecipient with the enclave's private key, checking the CMS shape on the way. */
function openEnvelope(envelope: Uint8Array | undefined): Buffer {
  expect(envelope).toBeInstanceOf(Uint8Array);
  const parsed = parseEnvelope(Buffer.from(envelope!));
  expect(parsed.contentType).toBe(CMS_OIDS.envelopedData);
  expect(parsed.versions).toEqual([2, 2]);
  expect(parsed.keyEncryptionAlgorithm).toBe(CMS_OIDS.rsaesOaep);
  expect(parsed.contentEncryptionAlgorithm).toBe(CMS_OIDS.aes256Cbc);
  const contentKey = privateDecrypt(
    { key: enclave.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    parsed.encryptedKey,
  );
  expect(contentKey).toHaveLength(32);
  const decipher = createDecipheriv('aes-256-cbc', contentKey, parsed.iv);
  return Buffer.concat([decipher.update(parsed.encryptedContent), decipher.final()]);
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

useKmslite();

beforeAll(async () => {
  symmetricKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
});

describe('Recipient', () => {
  describe('validation', () => {
    const bad: [string, () => Uint8Array | undefined][] = [
      ['not CBOR', () => new Uint8Array(randomBytes(40).fill(0xff))],
      ['a CBOR map instead of a COSE_Sign1 array', () => encode(new Map([['public_key', enclaveSpki]]))],
      ['a payload without public_key', () => attestationDocument(null)],
      ['a public_key that is not DER', () => attestationDocument(new Uint8Array([1, 2, 3]))],
      [
        'an EC public_key',
        () => attestationDocument(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' })),
      ],
      ['no AttestationDocument', () => undefined],
    ];
    test.each(bad)('%s → ValidationException', async (_name, make) => {
      const document = make();
      const error = await errorOf(() =>
        kms.send(
          new GenerateRandomCommand({
            NumberOfBytes: 16,
            Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', ...(document ? { AttestationDocument: document } : {}) },
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Invalid attestation document.');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    test('the key checks come first: a disabled key answers DisabledException even with a bad document', async () => {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new DisableKeyCommand({ KeyId: keyId }));
      const error = await errorOf(() =>
        kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', Recipient: recipient(new Uint8Array([1])) })),
      );
      expect(error.name).toBe('DisabledException');
    });

    test('DryRun with a valid Recipient → DryRunOperationException; with a bad one → ValidationException', async () => {
      const dry = await errorOf(() =>
        kms.send(new GenerateDataKeyCommand({ KeyId: symmetricKeyId, KeySpec: 'AES_256', Recipient: recipient(), DryRun: true })),
      );
      expect(dry.name).toBe('DryRunOperationException');
      const bad = await errorOf(() =>
        kms.send(
          new GenerateDataKeyCommand({ KeyId: symmetricKeyId, KeySpec: 'AES_256', Recipient: recipient(new Uint8Array([1])), DryRun: true }),
        ),
      );
      expect(bad.name).toBe('ValidationException');
    });
  });

  describe('functionality', () => {
    test('GenerateRandom: CiphertextForRecipient holds NumberOfBytes random bytes, Plaintext absent', async () => {
      const response = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 48, Recipient: recipient() }));
      expect(response.Plaintext).toBeUndefined();
      const opened = openEnvelope(response.CiphertextForRecipient);
      expect(opened).toHaveLength(48);
      // Fresh content key and IV every time.
      const again = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 48, Recipient: recipient() }));
      expect(Buffer.from(again.CiphertextForRecipient!).equals(Buffer.from(response.CiphertextForRecipient!))).toBe(false);
    });

    test('a COSE_Sign1 under CBOR tag 18 is accepted too', async () => {
      const response = await kms.send(
        new GenerateRandomCommand({ NumberOfBytes: 8, Recipient: recipient(attestationDocument(enclaveSpki, { tagged: true })) }),
      );
      expect(openEnvelope(response.CiphertextForRecipient)).toHaveLength(8);
    });

    test('GenerateDataKey: the enveloped data key is the one CiphertextBlob decrypts to', async () => {
      const response = await kms.send(
        new GenerateDataKeyCommand({ KeyId: symmetricKeyId, KeySpec: 'AES_256', EncryptionContext: { a: 'b' }, Recipient: recipient() }),
      );
      expect(response.Plaintext).toBeUndefined();
      expect(response.KeyId).toContain(symmetricKeyId);
      const dataKey = openEnvelope(response.CiphertextForRecipient);
      expect(dataKey).toHaveLength(32);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: response.CiphertextBlob, EncryptionContext: { a: 'b' } }));
      expect(Buffer.from(decrypted.Plaintext!).equals(dataKey)).toBe(true);
    });

    test('Decrypt: the plaintext goes into CiphertextForRecipient, Plaintext absent', async () => {
      const plaintext = randomBytes(100);
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: symmetricKeyId, Plaintext: plaintext }));
      const response = await kms.send(new DecryptCommand({ CiphertextBlob, Recipient: recipient() }));
      expect(response.Plaintext).toBeUndefined();
      expect(response.KeyId).toContain(symmetricKeyId);
      expect(response.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(openEnvelope(response.CiphertextForRecipient).equals(plaintext)).toBe(true);
    });

    test('Decrypt of an asymmetric ciphertext with a Recipient', async () => {
      const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!.KeyId!;
      const plaintext = randomBytes(20);
      const { CiphertextBlob } = await kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      );
      const response = await kms.send(
        new DecryptCommand({ CiphertextBlob, KeyId: keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', Recipient: recipient() }),
      );
      expect(response.Plaintext).toBeUndefined();
      expect(openEnvelope(response.CiphertextForRecipient).equals(plaintext)).toBe(true);
    });

    test('GenerateDataKeyPair: the enveloped private key matches PublicKey and PrivateKeyCiphertextBlob', async () => {
      const response = await kms.send(
        new GenerateDataKeyPairCommand({ KeyId: symmetricKeyId, KeyPairSpec: 'ECC_NIST_P256', Recipient: recipient() }),
      );
      expect(response.PrivateKeyPlaintext).toBeUndefined();
      const privateKeyDer = openEnvelope(response.CiphertextForRecipient);
      const privateKey = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
      const derivedPublic = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
      expect(derivedPublic.equals(Buffer.from(response.PublicKey!))).toBe(true);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: response.PrivateKeyCiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).equals(privateKeyDer)).toBe(true);
    });

    test('DeriveSharedSecret: the enveloped secret equals the ECDH secret computed from the other side', async () => {
      const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!.KeyId!;
      const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const response = await kms.send(
        new DeriveSharedSecretCommand({
          KeyId: keyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }),
          Recipient: recipient(),
        }),
      );
      expect(response.SharedSecret).toBeUndefined();
      const kmsPublic = (await kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!;
      const expected = diffieHellman({
        privateKey: peer.privateKey,
        publicKey: createPublicKey({ key: Buffer.from(kmsPublic), format: 'der', type: 'spki' }),
      });
      expect(openEnvelope(response.CiphertextForRecipient).equals(expected)).toBe(true);
    });

    (hasOpenssl() ? test : test.skip)('OpenSSL `cms -decrypt` opens CiphertextForRecipient (independent CMS parser)', async () => {
      const response = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64, Recipient: recipient() }));
      const dir = mkdtempSync(join(tmpdir(), 'kmslite-cms-'));
      try {
        writeFileSync(join(dir, 'envelope.der'), response.CiphertextForRecipient!);
        writeFileSync(join(dir, 'key.pem'), enclave.privateKey.export({ format: 'pem', type: 'pkcs8' }));
        const opened = execFileSync('openssl', ['cms', '-decrypt', '-inform', 'DER', '-in', join(dir, 'envelope.der'), '-inkey', join(dir, 'key.pem'), '-binary']);
        expect(opened.equals(openEnvelope(response.CiphertextForRecipient))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
