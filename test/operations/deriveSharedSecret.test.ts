/**
 * DeriveSharedSecret through the SDK. Sources: API reference DeriveSharedSecret, developer guide "Key agreement",
 * aws-recorded-scenarios.md (DeriveSharedSecret: exact texts; AWS-validated: the secret is the raw ECDH output,
 * equal from both sides, no KDF). Secrets are checked against node:crypto (diffieHellman and createECDH) and
 * @noble/curves, an implementation that shares no code with OpenSSL.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeriveSharedSecretCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
} from '@aws-sdk/client-kms';
import {
  ECDH,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ACCOUNT_ID, REGION, rawRequest, useKmslite, expectRejected, keyArnOf, kms, running, expectWireError } from '../helpers/fixture.js';
import { buildKey } from '../../src/kms/newKey.js';

useKmslite();

type CurveSpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';
const CURVES: ReadonlyArray<{ spec: CurveSpec; curve: string; bytes: number; noble: typeof p256 }> = [
  { spec: 'ECC_NIST_P256', curve: 'prime256v1', bytes: 32, noble: p256 },
  { spec: 'ECC_NIST_P384', curve: 'secp384r1', bytes: 48, noble: p384 },
  { spec: 'ECC_NIST_P521', curve: 'secp521r1', bytes: 66, noble: p521 },
];

const store = () => running.kmslite.stores.get(ACCOUNT_ID, REGION);
const b64 = (bytes: Buffer) => bytes.toString('base64');
const spkiOf = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
const fromB64url = (text: string) => Buffer.from(text, 'base64url');

/** Raw private scalar and uncompressed public point of a node EC key, via JWK. */
function rawEc(privateKey: KeyObject): { d: Buffer; point: Buffer } {
  const jwk = privateKey.export({ format: 'jwk' });
  return { d: fromB64url(jwk.d!), point: Buffer.concat([Buffer.from([4]), fromB64url(jwk.x!), fromB64url(jwk.y!)]) };
}

async function createAgreementKey(spec: string): Promise<string> {
  const created = await kms.send(new CreateKeyCommand({ KeySpec: spec as CurveSpec, KeyUsage: 'KEY_AGREEMENT' }));
  return created.KeyMetadata!.KeyId!;
}

async function publicKeyOf(keyId: string): Promise<Buffer> {
  return Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!);
}

/** A KEY_AGREEMENT key whose private key the test knows, put straight into the store. */
function knownAgreementKey(spec: CurveSpec, privateKey: KeyObject, origin: 'AWS_KMS' | 'EXTERNAL' = 'AWS_KMS'): string {
  const keyId = randomUUID();
  const record = buildKey(store(), {
    keyId,
    keySpec: spec,
    keyUsage: 'KEY_AGREEMENT',
    origin,
    materials: [privateKey.export({ type: 'pkcs8', format: 'der' })],
    creationDate: new Date(running.kmslite.clock.now()),
  });
  store().putKey(record);
  return keyId;
}

async function derive(keyId: string, publicKey: Buffer) {
  return kms.send(new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: publicKey }));
}

/** A ValidationException with no message member, as AWS sent for a public key that is not a DER SPKI. */
async function expectBareValidation(keyId: string, publicKey: Buffer, extra: Record<string, unknown> = {}) {
  const response = await rawRequest(running, 'DeriveSharedSecret', { KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(publicKey), ...extra });
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ __type: 'ValidationException' });
}

async function lastUsedOperation(keyId: string): Promise<string | undefined> {
  return (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage?.Operation;
}

describe('DeriveSharedSecret', () => {
  describe('validation', () => {
    test("KeyAgreementAlgorithm 'INVALID' → the recorded enum text", async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      const response = await rawRequest(running, 'DeriveSharedSecret', {
        KeyId: keyId,
        KeyAgreementAlgorithm: 'INVALID',
        PublicKey: b64(await publicKeyOf(keyId)),
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]",
      });
    });

    test('PublicKey is 1..8192 bytes', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      await expectRejected(
        () => derive(keyId, randomBytes(8193)),
        'ValidationException',
        "1 validation error detected: Value at 'publicKey' failed to satisfy constraint: Member must have length less than or equal to 8192",
      );
      await expectWireError(running, 'DeriveSharedSecret', { KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: '' }, 'ValidationException',
        "1 validation error detected: Value at 'publicKey' failed to satisfy constraint: Member must have length greater than or equal to 1");
      // 8192 bytes passes the model and is then refused as not a public key.
      await expectBareValidation(keyId, randomBytes(8192));
    });

    test("malformed KeyId 'key_id' and unknown key ids → NotFoundException", async () => {
      const peer = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      await expectRejected(() => derive('key_id', peer), 'NotFoundException', "Invalid keyId 'key_id'");
      const unknown = randomUUID();
      await expectRejected(() => derive(unknown, peer), 'NotFoundException', `Key '${keyArnOf(unknown)}' does not exist`);
    });
  });

  describe('functionality', () => {
    test.each(CURVES)('$spec: two KMS keys deriving against each other\'s GetPublicKey output get the same $bytes-byte secret', async ({ spec, bytes }) => {
      const alice = await createAgreementKey(spec);
      const bob = await createAgreementKey(spec);
      const fromAlice = await derive(alice, await publicKeyOf(bob));
      const fromBob = await derive(bob, await publicKeyOf(alice));
      expect(fromAlice.SharedSecret!.length).toBe(bytes);
      expect(Buffer.from(fromAlice.SharedSecret!)).toEqual(Buffer.from(fromBob.SharedSecret!));
      expect(fromAlice).toMatchObject({ KeyId: keyArnOf(alice), KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
      expect(fromBob.KeyId).toBe(keyArnOf(bob));
    });

    test.each(CURVES)('$spec: equals node:crypto ECDH and @noble/curves with a known KMS private key and a local peer', async ({ spec, curve, bytes, noble }) => {
      for (let round = 0; round < 4; round++) {
        const kmsPair = generateKeyPairSync('ec', { namedCurve: curve });
        const peer = generateKeyPairSync('ec', { namedCurve: curve });
        const keyId = knownAgreementKey(spec, kmsPair.privateKey);
        const kmsPublic = await publicKeyOf(keyId);
        expect(kmsPublic).toEqual(spkiOf(kmsPair.publicKey));

        const result = await derive(keyId, spkiOf(peer.publicKey));
        const secret = Buffer.from(result.SharedSecret!);
        expect(secret.length).toBe(bytes);

        // The peer's side, from KMS's public key alone (GetPublicKey output).
        const peerView = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: kmsPublic, format: 'der', type: 'spki' }) });
        expect(secret).toEqual(peerView);
        // createECDH with raw scalars and points.
        const ecdh = createECDH(curve);
        ecdh.setPrivateKey(rawEc(peer.privateKey).d);
        expect(secret).toEqual(ecdh.computeSecret(rawEc(kmsPair.privateKey).point));
        // @noble/curves: compressed shared point, without its prefix byte, is the x coordinate.
        const nobleShared = Buffer.from(noble.getSharedSecret(rawEc(kmsPair.privateKey).d, rawEc(peer.privateKey).point, true));
        expect(secret).toEqual(nobleShared.subarray(1));
      }
    });

    test('a key whose private key is in PKCS#8 from another tool (OpenSSL PEM → DER) derives the same secret', async () => {
      // Same key, different PKCS#8 encoding path: kmslite uses the stored DER as is.
      const pem = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
      const privateKey = createPrivateKey(pem);
      const keyId = knownAgreementKey('ECC_NIST_P384', privateKey);
      const peer = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      const result = await derive(keyId, spkiOf(peer.publicKey));
      expect(Buffer.from(result.SharedSecret!)).toEqual(diffieHellman({ privateKey, publicKey: peer.publicKey }));
    });

    test('a public key that is not a DER SPKI → ValidationException with no message (recorded)', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      const good = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      const notSpki = [
        Buffer.from('this is not a public key'),
        randomBytes(91),
        good.subarray(0, good.length - 1),
        Buffer.concat([good, Buffer.from([0])]),
        good.subarray(26), // the bare uncompressed point, no SPKI wrapper
        Buffer.from(good.toString('base64')), // base64 twice (the CLI v1 pitfall the API reference warns about)
      ];
      for (const publicKey of notSpki) await expectBareValidation(keyId, publicKey);
    });

    test('a point that is not on the curve → ValidationException with no message', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      const good = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      const offCurve = Buffer.from(good);
      offCurve[offCurve.length - 1] ^= 0x01;
      await expectBareValidation(keyId, offCurve);
    });

    test('a valid SPKI on another curve, or of another key type → ValidationException with no message (unconfirmed)', async () => {
      const p256Key = await createAgreementKey('ECC_NIST_P256');
      const p521Key = await createAgreementKey('ECC_NIST_P521');
      const others = {
        p384: spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey),
        p521: spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).publicKey),
        secp256k1: spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey),
        ed25519: spkiOf(generateKeyPairSync('ed25519').publicKey),
        x25519: spkiOf(generateKeyPairSync('x25519').publicKey),
        rsa: spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
      };
      for (const publicKey of [others.p384, others.p521, others.secp256k1, others.ed25519, others.x25519, others.rsa]) {
        await expectBareValidation(p256Key, publicKey);
      }
      await expectBareValidation(p521Key, await publicKeyOf(p256Key));
    });

    test('a compressed-point SPKI on the right curve is accepted and gives the same secret (unconfirmed)', async () => {
      const kmsPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const keyId = knownAgreementKey('ECC_NIST_P256', kmsPair.privateKey);
      const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const uncompressed = spkiOf(peer.publicKey);
      const compressedPoint = ECDH.convertKey(rawEc(peer.privateKey).point, 'prime256v1', undefined, undefined, 'compressed') as Buffer;
      expect(compressedPoint.length).toBe(33);
      // SEQUENCE { AlgorithmIdentifier (id-ecPublicKey, prime256v1), BIT STRING { 0, compressed point } }
      const algorithm = uncompressed.subarray(2, 2 + 2 + uncompressed[3]!);
      const bitString = Buffer.concat([Buffer.from([0x03, compressedPoint.length + 1, 0]), compressedPoint]);
      const body = Buffer.concat([algorithm, bitString]);
      const compressed = Buffer.concat([Buffer.from([0x30, body.length]), body]);
      expect(createPublicKey({ key: compressed, format: 'der', type: 'spki' }).export({ format: 'jwk' })).toEqual(peer.publicKey.export({ format: 'jwk' }));
      const viaCompressed = await derive(keyId, compressed);
      const viaUncompressed = await derive(keyId, uncompressed);
      expect(Buffer.from(viaCompressed.SharedSecret!)).toEqual(Buffer.from(viaUncompressed.SharedSecret!));
    });

    test('ECC_NIST_P256 SIGN_VERIFY key → "<arn> key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret." (recorded)', async () => {
      const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
      const ownPublicKey = await publicKeyOf(keyId);
      await expectRejected(
        () => derive(keyId, ownPublicKey),
        'InvalidKeyUsageException',
        `${keyArnOf(keyId)} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`,
      );
    });

    test('symmetric key → "… ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret." (recorded); HMAC key likewise', async () => {
      const peer = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      const symmetric = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await expectRejected(
        () => derive(symmetric, peer),
        'InvalidKeyUsageException',
        `${keyArnOf(symmetric)} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`,
      );
      const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
      await expectRejected(
        () => derive(hmac, peer),
        'InvalidKeyUsageException',
        `${keyArnOf(hmac)} key usage is GENERATE_VERIFY_MAC which is not valid for DeriveSharedSecret.`,
      );
    });

    test('key usage is checked before the public key', async () => {
      const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!.KeyId!;
      await expectRejected(
        () => derive(keyId, Buffer.from('garbage')),
        'InvalidKeyUsageException',
        `${keyArnOf(keyId)} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`,
      );
    });

    test('alias name and alias ARN name the key; KeyId in the response is the key ARN', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P384');
      const aliasName = `alias/ecdh-${randomUUID()}`;
      await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
      const peer = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: await publicKeyOf(keyId), format: 'der', type: 'spki' }) });
      for (const id of [aliasName, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${aliasName}`, keyArnOf(keyId)]) {
        const result = await derive(id, spkiOf(peer.publicKey));
        expect(result.KeyId).toBe(keyArnOf(keyId));
        expect(Buffer.from(result.SharedSecret!)).toEqual(expected);
      }
    });

    test('KeyOrigin echoes the key: EXTERNAL for imported material', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
      const keyId = knownAgreementKey('ECC_NIST_P521', pair.privateKey, 'EXTERNAL');
      const peer = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
      const result = await derive(keyId, spkiOf(peer.publicKey));
      expect(result.KeyOrigin).toBe('EXTERNAL');
      expect(Buffer.from(result.SharedSecret!)).toEqual(diffieHellman({ privateKey: pair.privateKey, publicKey: peer.publicKey }));
    });

    test('key states: Disabled → DisabledException; PendingDeletion → KMSInvalidStateException', async () => {
      const peer = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      const disabled = await createAgreementKey('ECC_NIST_P256');
      store().keys.get(disabled)!.metadata.KeyState = 'Disabled';
      store().keys.get(disabled)!.metadata.Enabled = false;
      await expectRejected(() => derive(disabled, peer), 'DisabledException', `${keyArnOf(disabled)} is disabled.`);
      const deleting = await createAgreementKey('ECC_NIST_P256');
      store().keys.get(deleting)!.metadata.KeyState = 'PendingDeletion';
      store().keys.get(deleting)!.metadata.Enabled = false;
      await expectRejected(() => derive(deleting, peer), 'KMSInvalidStateException', `${keyArnOf(deleting)} is pending deletion.`);
    });

    test('DryRun: DryRunOperationException for a good request; a bad public key still → ValidationException; no usage recorded', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      const peer = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      await expectRejected(
        () => kms.send(new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, DryRun: true })),
        'DryRunOperationException',
        'The request would have succeeded, but the DryRun option is set.',
      );
      await expectBareValidation(keyId, Buffer.from('nope'), { DryRun: true });
      expect(await lastUsedOperation(keyId)).toBeUndefined();
    });

    test('a successful derivation is recorded for GetKeyLastUsage', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      await expectBareValidation(keyId, Buffer.from('nope'));
      expect(await lastUsedOperation(keyId)).toBeUndefined();
      await derive(keyId, spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey));
      expect(await lastUsedOperation(keyId)).toBe('DeriveSharedSecret');
    });

    test('Recipient with a malformed attestation document → ValidationException (full coverage: recipient.test.ts)', async () => {
      const keyId = await createAgreementKey('ECC_NIST_P256');
      const peer = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      await expectRejected(
        () =>
          kms.send(
            new DeriveSharedSecretCommand({
              KeyId: keyId,
              KeyAgreementAlgorithm: 'ECDH',
              PublicKey: peer,
              Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: randomBytes(64) },
            }),
          ),
        'ValidationException',
        'Invalid attestation document.',
      );
    });
  });
});
