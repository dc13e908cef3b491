/**
 * No secret ever reaches the audit trail: every plaintext, ciphertext, data key, private key, signature,
 * MAC, shared secret, import token, wrapped key material, custom key store password and XKS secret a
 * session sends or receives is searched for (base64, and the text form where there is one) in the whole
 * JSON of GET /_kmslite/audit and of the JSON-lines file.
 */
import {
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKmslite, createKeyId } from '../helpers/fixture.js';
import type { RunningKmslite } from '../../src/index.js';
import { auditEvents } from './helpers.js';

let running: RunningKmslite;
let kms: KMSClient;
let directory: string;

useKmslite(
  (server) => ({ running, kms } = server),
  () => {
    directory = mkdtempSync(join(tmpdir(), 'kmslite-audit-redaction-'));
    return { auditPath: join(directory, 'audit.jsonl') };
  },
);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Everything secret the session saw, as bytes; searched as base64 (and hex). */
const secrets: { what: string; bytes: Uint8Array }[] = [];
/** Secret texts searched as they are. */
const texts: { what: string; text: string }[] = [];

function secret(what: string, bytes: Uint8Array | undefined): void {
  expect(bytes?.length).toBeGreaterThan(0);
  secrets.push({ what, bytes: bytes! });
}

describe('audit redaction', () => {
  test('a session of every cryptographic operation leaves no secret in the events or the file', async () => {
    const plaintextText = `SECRET-PLAINTEXT-${randomBytes(8).toString('hex')}`;
    texts.push({ what: 'plaintext text', text: plaintextText });
    const plaintext = Buffer.from(plaintextText);
    secret('plaintext', plaintext);

    // Symmetric: Encrypt, Decrypt, ReEncrypt, data keys, random bytes.
    const symmetric = await createKeyId(kms, { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
    const other = await createKeyId(kms, { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
    const encrypted = await kms.send(new EncryptCommand({ KeyId: symmetric, Plaintext: plaintext, EncryptionContext: { purpose: 'audit' } }));
    secret('ciphertext', encrypted.CiphertextBlob);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'audit' } }));
    secret('decrypted plaintext', decrypted.Plaintext);
    const reEncrypted = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, SourceEncryptionContext: { purpose: 'audit' }, DestinationKeyId: other }),
    );
    secret('re-encrypted ciphertext', reEncrypted.CiphertextBlob);
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: symmetric, KeySpec: 'AES_256' }));
    secret('data key plaintext', dataKey.Plaintext);
    secret('data key ciphertext', dataKey.CiphertextBlob);
    const wrappedOnly = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: symmetric, NumberOfBytes: 32 }));
    secret('data key ciphertext (without plaintext)', wrappedOnly.CiphertextBlob);
    const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    secret('random bytes', random.Plaintext);

    // Data key pairs.
    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric, KeyPairSpec: 'ECC_NIST_P256' }));
    secret('data key pair private key', pair.PrivateKeyPlaintext);
    secret('data key pair wrapped private key', pair.PrivateKeyCiphertextBlob);
    secret('data key pair public key', pair.PublicKey);
    const pairOnly = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: symmetric, KeyPairSpec: 'RSA_2048' }));
    secret('data key pair wrapped private key (without plaintext)', pairOnly.PrivateKeyCiphertextBlob);

    // Signatures.
    const signing = await createKeyId(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const message = Buffer.from(`SECRET-MESSAGE-${randomBytes(8).toString('hex')}`);
    texts.push({ what: 'message text', text: message.toString() });
    secret('message', message);
    const signed = await kms.send(new SignCommand({ KeyId: signing, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    secret('signature', signed.Signature);
    const verified = await kms.send(new VerifyCommand({ KeyId: signing, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(verified.SignatureValid).toBe(true);
    const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: signing }));
    secret('public key', publicKey.PublicKey);

    // MACs.
    const hmac = await createKeyId(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const mac = await kms.send(new GenerateMacCommand({ KeyId: hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    secret('mac', mac.Mac);
    await kms.send(new VerifyMacCommand({ KeyId: hmac, Message: message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }));

    // Key agreement.
    const agreement = await createKeyId(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const peerPublic = peer.publicKey.export({ type: 'spki', format: 'der' });
    const shared = await kms.send(new DeriveSharedSecretCommand({ KeyId: agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerPublic }));
    secret('shared secret', shared.SharedSecret);
    secret('peer public key', peerPublic);

    // Imported key material.
    const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    const params = await kms.send(new GetParametersForImportCommand({ KeyId: external, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    secret('import token', params.ImportToken);
    secret('wrapping public key', params.PublicKey);
    const material = randomBytes(32);
    secret('key material', material);
    const wrapped = publicEncrypt(
      { key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      material,
    );
    secret('encrypted key material', wrapped);
    await kms.send(
      new ImportKeyMaterialCommand({ KeyId: external, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    );

    // Custom key stores: the CloudHSM password and the XKS proxy secret are model-sensitive.
    const password = `SECRET-PASSWORD-${randomBytes(4).toString('hex')}`;
    texts.push({ what: 'key store password', text: password });
    await kms.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: `hsm-${randomBytes(4).toString('hex')}`,
        CloudHsmClusterId: `cluster-${'abcdefghijk'}`,
        TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        KeyStorePassword: password,
      }),
    );
    const xksSecret = ('XksSecret' + randomBytes(32).toString('hex')).slice(0, 43);
    const xksAccessKey = 'XKSACCESSKEY' + Array.from(randomBytes(8), (byte) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[byte % 32]).join('');
    texts.push({ what: 'XKS secret', text: xksSecret }, { what: 'XKS access key id', text: xksAccessKey });
    await kms.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: `xks-${randomBytes(4).toString('hex')}`,
        CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: `https://xks-${randomBytes(4).toString('hex')}.example.com`,
        XksProxyUriPath: '/example/kms/xks/v1',
        XksProxyAuthenticationCredential: { AccessKeyId: xksAccessKey, RawSecretAccessKey: xksSecret },
        XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      }),
    );

    const events = await auditEvents(running);
    expect(events).toHaveLength(24); // every call above, each once
    // The events still say what happened: the encryption context and key ids are there.
    expect(events.find((event) => event.eventName === 'Encrypt').requestParameters).toEqual({ keyId: symmetric, encryptionContext: { purpose: 'audit' } });
    expect(events.find((event) => event.eventName === 'ImportKeyMaterial').requestParameters).toEqual({ keyId: external, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const xksEvent = events.filter((event) => event.eventName === 'CreateCustomKeyStore')[1];
    expect(xksEvent.requestParameters.xksProxyAuthenticationCredential).toEqual({});

    await running.kmslite.audit.flush();
    const file = readFileSync(join(directory, 'audit.jsonl'), 'utf8');
    expect(file.trim().split('\n')).toHaveLength(events.length);

    for (const [where, text] of [['admin API', JSON.stringify(events)], ['audit file', file]] as const) {
      const found: string[] = [];
      for (const { what, bytes } of secrets) {
        const buffer = Buffer.from(bytes);
        // A 16-byte window of the base64 (from a 3-byte boundary) catches the value inside any longer base64 too.
        for (const form of [buffer.toString('base64'), buffer.toString('base64').slice(4, 20), buffer.toString('hex')]) {
          if (text.includes(form)) found.push(`${what} (${form.slice(0, 12)}…)`);
        }
      }
      for (const { what, text: secretText } of texts) if (text.includes(secretText)) found.push(what);
      // A Buffer that slipped through JSON.stringify would appear as {"type":"Buffer","data":[...]}.
      if (text.includes('"Buffer"')) found.push('a serialized Buffer');
      expect({ where, found }).toEqual({ where, found: [] });
    }
  });
});
