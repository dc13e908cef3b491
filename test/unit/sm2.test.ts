/**
 * SM2 (src/crypto/sm2.ts): known-answer tests from the standard's examples on the recommended curve, and
 * cross-checks with independent implementations — the `openssl` command (OpenSSL 3, which AWS says it tested
 * SM2 offline operations with) for SM2DSA and SM2PKE, node:crypto for ECDH on the SM2 curve (OpenSSL 3.0's
 * command line cannot derive with SM2 keys).
 */
import { createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { der, derOid, readTlv } from '../../src/crypto/der.js';
import { generateKeyPair } from '../../src/crypto/keyPairs.js';
import {
  SM2_DEFAULT_ID,
  isSm2PublicKey,
  sm2Decrypt,
  sm2Digest,
  sm2Encrypt,
  sm2EncryptWithNonce,
  sm2SharedSecret,
  sm2Sign,
  sm2SignDigestWithNonce,
  sm2Verify,
} from '../../src/crypto/sm2.js';
import { useTemporaryDirectory } from '../helpers/fixture.js';
import { pkeyutl, run } from '../helpers/openssl.js';

async function opensslAvailable(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}
const withOpenssl = (await opensslAvailable()) ? it : it.skip;

let dir: string;
let fileCounter = 0;
useTemporaryDirectory('kmslite-sm2-', (path) => (dir = path));

async function file(content: Buffer | string): Promise<string> {
  const path = join(dir, `f${++fileCounter}`);
  await writeFile(path, content);
  return path;
}

function pem(label: string, derBytes: Buffer): string {
  const lines = derBytes.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

const publicPem = (spki: Buffer) => file(pem('PUBLIC KEY', spki));
const privatePem = (pkcs8: Buffer) => file(pem('PRIVATE KEY', pkcs8));

async function opensslVerify(spki: Buffer, message: Buffer, signature: Buffer, distid: string | null = '1234567812345678') {
  const args = ['-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', await publicPem(spki)];
  if (distid !== null) args.push('-pkeyopt', `distid:${distid}`);
  args.push('-sigfile', await file(signature), '-in', await file(message));
  return (await pkeyutl(args)).ok;
}

async function opensslSign(pkcs8: Buffer, message: Buffer): Promise<Buffer> {
  const out = join(dir, `sig${++fileCounter}`);
  const result = await pkeyutl(['-sign', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-inkey', await privatePem(pkcs8), '-in', await file(message), '-out', out]);
  expect(result.ok).toBe(true);
  return readFile(out);
}

// ---------------------------------------------------------------------------------------------------------
// The example of GB/T 32918.5-2017 Annex A / GM/T 0003.5-2012 (recommended curve), as used by OpenSSL's
// test/sm2_internal_test.c: user A's key pair, distinguishing ID 1234567812345678, nonce k.

const D_A = Buffer.from('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8', 'hex');
const X_A = '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020';
const Y_A = 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13';
const K = 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n;
const SIGNED_MESSAGE = Buffer.from('message digest');
const E = 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640';
const R = 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3';
const S = 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA';
const ENCRYPTED_MESSAGE = Buffer.from('encryption standard');
/** C1 = [k]G, C3, C2 of the encryption example, in the GM/T 0009-2012 ASN.1 form. */
const CIPHERTEXT =
  '307C' +
  '0220' + '04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73' +
  '022100' + 'E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0' +
  '0420' + '59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766' +
  '0413' + '21886CA989CA9C7D58087307CA93092D651EFA';

const ecAlgorithm = der(0x30, derOid('1.2.840.10045.2.1'), derOid('1.2.156.10197.1.301'));
/** PKCS#8 { version 0, id-ecPublicKey/SM2, ECPrivateKey { version 1, d } }. */
const EXAMPLE_PRIVATE = der(0x30, der(0x02, Buffer.from([0])), ecAlgorithm, der(0x04, der(0x30, der(0x02, Buffer.from([1])), der(0x04, D_A))));
const EXAMPLE_PUBLIC = der(0x30, ecAlgorithm, der(0x03, Buffer.from([0, 4]), Buffer.from(X_A + Y_A, 'hex')));

function derSignature(r: string, s: string): Buffer {
  const int = (hex: string) => der(0x02, Buffer.from((parseInt(hex[0]!, 16) >= 8 ? '00' : '') + hex, 'hex'));
  return der(0x30, int(r), int(s));
}

describe('SM2 known answers (GB/T 32918.5-2017 Annex A, recommended curve)', () => {
  it('the example private key gives the example public key, in node:crypto too', () => {
    const nodePublic = createPublicKey(createPrivateKey({ key: EXAMPLE_PRIVATE, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    expect(nodePublic.equals(EXAMPLE_PUBLIC)).toBe(true);
  });

  it('e = SM3(Z_A || M) with the default distinguishing ID', () => {
    expect(SM2_DEFAULT_ID.toString()).toBe('1234567812345678');
    expect(sm2Digest(EXAMPLE_PUBLIC, SIGNED_MESSAGE).toString('hex').toUpperCase()).toBe(E);
  });

  it('SM2DSA signature with the example nonce is the example (r, s), DER-encoded', () => {
    const signature = sm2SignDigestWithNonce(EXAMPLE_PRIVATE, Buffer.from(E, 'hex'), K);
    expect(signature.equals(derSignature(R, S))).toBe(true);
  });

  it('the example signature verifies, RAW and DIGEST; a changed message or signature does not', () => {
    const signature = derSignature(R, S);
    expect(sm2Verify(EXAMPLE_PUBLIC, SIGNED_MESSAGE, false, signature)).toBe(true);
    expect(sm2Verify(EXAMPLE_PUBLIC, Buffer.from(E, 'hex'), true, signature)).toBe(true);
    expect(sm2Verify(EXAMPLE_PUBLIC, Buffer.from('message digesT'), false, signature)).toBe(false);
    expect(sm2Verify(EXAMPLE_PUBLIC, SIGNED_MESSAGE, true, signature)).toBe(false);
    expect(sm2Verify(EXAMPLE_PUBLIC, SIGNED_MESSAGE, false, derSignature(R, S.slice(0, -1) + 'B'))).toBe(false);
  });

  it('SM2PKE encryption with the example nonce is the example ciphertext; it decrypts to the message', () => {
    expect(sm2EncryptWithNonce(EXAMPLE_PUBLIC, ENCRYPTED_MESSAGE, K).toString('hex').toUpperCase()).toBe(CIPHERTEXT);
    expect(sm2Decrypt(EXAMPLE_PRIVATE, Buffer.from(CIPHERTEXT, 'hex'))).toEqual(ENCRYPTED_MESSAGE);
  });

  withOpenssl('OpenSSL verifies the example signature and decrypts the example ciphertext', async () => {
    expect(await opensslVerify(EXAMPLE_PUBLIC, SIGNED_MESSAGE, derSignature(R, S))).toBe(true);
    const decrypted = await pkeyutl(['-decrypt', '-inkey', await privatePem(EXAMPLE_PRIVATE), '-in', await file(Buffer.from(CIPHERTEXT, 'hex'))]);
    expect(decrypted.ok).toBe(true);
    expect(decrypted.stdout).toEqual(ENCRYPTED_MESSAGE);
  });
});

describe('SM2DSA', () => {
  let keys: { privateKey: Buffer; publicKey: Buffer };
  beforeAll(async () => {
    keys = await generateKeyPair('SM2');
  });
  const message = Buffer.from('Hello from kmslite: SM2DSA over SM3 with the default ID');

  it('sign/verify round trip; signatures are random (fresh k each time) and DER SEQUENCE { r, s }', () => {
    const a = sm2Sign(keys.privateKey, message, false);
    const b = sm2Sign(keys.privateKey, message, false);
    expect(a.equals(b)).toBe(false);
    expect(a[0]).toBe(0x30);
    expect(sm2Verify(keys.publicKey, message, false, a)).toBe(true);
    expect(sm2Verify(keys.publicKey, message, false, b)).toBe(true);
  });

  withOpenssl('kmslite signatures verify with openssl (distid 1234567812345678), and only with that ID', async () => {
    for (const text of ['', 'x', 'a longer message '.repeat(200)]) {
      const signature = sm2Sign(keys.privateKey, Buffer.from(text), false);
      expect(await opensslVerify(keys.publicKey, Buffer.from(text), signature)).toBe(true);
    }
    const signature = sm2Sign(keys.privateKey, message, false);
    expect(await opensslVerify(keys.publicKey, Buffer.from('another message'), signature)).toBe(false);
    expect(await opensslVerify(keys.publicKey, message, signature, null)).toBe(false); // OpenSSL 3.0's empty default ID
  });

  withOpenssl('openssl signatures verify with kmslite, RAW and DIGEST', async () => {
    const signature = await opensslSign(keys.privateKey, message);
    expect(sm2Verify(keys.publicKey, message, false, signature)).toBe(true);
    expect(sm2Verify(keys.publicKey, sm2Digest(keys.publicKey, message), true, signature)).toBe(true);
    expect(sm2Verify(keys.publicKey, Buffer.from('another message'), false, signature)).toBe(false);
  });

  withOpenssl('DIGEST: signing e = SM3(Z_A || M) equals signing M; the digest with another ID verifies with that ID', async () => {
    const digest = sm2Digest(keys.publicKey, message);
    expect(digest).toHaveLength(32);
    const signature = sm2Sign(keys.privateKey, digest, true);
    expect(sm2Verify(keys.publicKey, message, false, signature)).toBe(true);
    expect(await opensslVerify(keys.publicKey, message, signature)).toBe(true);
    // AWS: "if you are generating a message digest outside of AWS, you can specify your own distinguishing ID"
    const id = 'alice@example.com';
    const customDigest = sm2Digest(keys.publicKey, message, Buffer.from(id));
    const customSignature = sm2Sign(keys.privateKey, customDigest, true);
    expect(await opensslVerify(keys.publicKey, message, customSignature, id)).toBe(true);
    expect(sm2Verify(keys.publicKey, message, false, customSignature)).toBe(false);
    expect(sm2Verify(keys.publicKey, customDigest, true, customSignature)).toBe(true);
  });

  it('DIGEST mode does not hash again: a digest is not the message', () => {
    const digest = createHash('sm3').update(message).digest();
    const signature = sm2Sign(keys.privateKey, digest, true);
    expect(sm2Verify(keys.publicKey, digest, true, signature)).toBe(true);
    expect(sm2Verify(keys.publicKey, digest, false, signature)).toBe(false);
  });

  it('rejects signatures that are not DER, out of range, of another key or with trailing bytes', async () => {
    const signature = sm2Sign(keys.privateKey, message, false);
    const other = await generateKeyPair('SM2');
    expect(sm2Verify(other.publicKey, message, false, signature)).toBe(false);
    expect(sm2Verify(keys.publicKey, message, false, Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
    expect(sm2Verify(keys.publicKey, message, false, Buffer.from('not a signature'))).toBe(false);
    expect(sm2Verify(keys.publicKey, message, false, Buffer.alloc(64, 1))).toBe(false);
    expect(sm2Verify(keys.publicKey, message, false, derSignature('00', '01'))).toBe(false);
    const n = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123';
    expect(sm2Verify(keys.publicKey, message, false, derSignature(n, '01'))).toBe(false);
  });

  it('refuses keys that are not SM2', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => sm2Sign(p256.privateKey.export({ type: 'pkcs8', format: 'der' }), message, false)).toThrow();
    expect(() => sm2Verify(p256.publicKey.export({ type: 'spki', format: 'der' }), message, false, Buffer.alloc(8))).toThrow();
    expect(isSm2PublicKey(p256.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
    expect(isSm2PublicKey(keys.publicKey)).toBe(true);
  });
});

describe('SM2PKE', () => {
  let keys: { privateKey: Buffer; publicKey: Buffer };
  beforeAll(async () => {
    keys = await generateKeyPair('SM2');
  });

  it('round trip of 1 to 1024 bytes; ciphertext is SEQUENCE { x, y, SM3 hash, C2 } with |C2| = |M|', () => {
    for (const size of [1, 31, 32, 33, 1024]) {
      const plaintext = Buffer.alloc(size, size & 0xff);
      const ciphertext = sm2Encrypt(keys.publicKey, plaintext);
      expect(ciphertext[0]).toBe(0x30);
      const outer = readTlv(ciphertext);
      expect(outer.end).toBe(ciphertext.length);
      const x = readTlv(ciphertext, outer.start);
      const y = readTlv(ciphertext, x.end);
      const hash = readTlv(ciphertext, y.end);
      const c2 = readTlv(ciphertext, hash.end);
      expect([outer.tag, x.tag, y.tag, hash.tag, c2.tag]).toEqual([0x30, 0x02, 0x02, 0x04, 0x04]);
      expect([hash.end - hash.start, c2.end - c2.start, c2.end]).toEqual([32, size, ciphertext.length]);
      expect(sm2Decrypt(keys.privateKey, ciphertext)).toEqual(plaintext);
      expect(sm2Encrypt(keys.publicKey, plaintext).equals(ciphertext)).toBe(false);
    }
    expect(() => sm2Encrypt(keys.publicKey, Buffer.alloc(0))).toThrow();
  });

  withOpenssl('kmslite ciphertext decrypts with openssl; openssl ciphertext (same ASN.1 form) decrypts with kmslite', async () => {
    const privateKey = await privatePem(keys.privateKey);
    const publicKey = await publicPem(keys.publicKey);
    for (const size of [1, 100, 1024]) {
      const plaintext = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + size) & 0xff));
      const ours = await pkeyutl(['-decrypt', '-inkey', privateKey, '-in', await file(sm2Encrypt(keys.publicKey, plaintext))]);
      expect(ours.ok).toBe(true);
      expect(ours.stdout).toEqual(plaintext);
      const theirs = await pkeyutl(['-encrypt', '-pubin', '-inkey', publicKey, '-in', await file(plaintext)]);
      expect(theirs.ok).toBe(true);
      expect(sm2Decrypt(keys.privateKey, theirs.stdout)).toEqual(plaintext);
    }
  });

  withOpenssl('the ciphertext passes the check AWS documents (`openssl asn1parse -inform DER`)', async () => {
    const { stdout } = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', await file(sm2Encrypt(keys.publicKey, Buffer.from('abc')))]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/cons: SEQUENCE/);
    expect(lines[1]).toMatch(/prim: INTEGER/);
    expect(lines[2]).toMatch(/prim: INTEGER/);
    expect(lines[3]).toMatch(/l= +32 prim: OCTET STRING/);
    expect(lines[4]).toMatch(/l= +3 prim: OCTET STRING/);
  });

  it('does not decrypt changed, truncated, raw (C1C3C2) or foreign ciphertexts', async () => {
    const plaintext = Buffer.from('secret');
    const ciphertext = sm2Encrypt(keys.publicKey, plaintext);
    const flipLast = Buffer.from(ciphertext);
    flipLast[flipLast.length - 1]! ^= 1; // C2
    expect(sm2Decrypt(keys.privateKey, flipLast)).toBeUndefined();
    const flipHash = Buffer.from(ciphertext);
    flipHash[flipHash.length - plaintext.length - 3]! ^= 1; // C3
    expect(sm2Decrypt(keys.privateKey, flipHash)).toBeUndefined();
    const flipX = Buffer.from(ciphertext);
    flipX[10]! ^= 1; // C1 no longer on the curve (or another point)
    expect(sm2Decrypt(keys.privateKey, flipX)).toBeUndefined();
    expect(sm2Decrypt(keys.privateKey, ciphertext.subarray(0, ciphertext.length - 1))).toBeUndefined();
    expect(sm2Decrypt(keys.privateKey, Buffer.concat([ciphertext, Buffer.from([0])]))).toBeUndefined();
    expect(sm2Decrypt(keys.privateKey, Buffer.alloc(100, 4))).toBeUndefined();
    // The raw form Bouncy Castle produces (04 || x || y || C3 || C2) is not what KMS accepts.
    const raw = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1), Buffer.alloc(32, 2), Buffer.from('abc')]);
    expect(sm2Decrypt(keys.privateKey, raw)).toBeUndefined();
    const other = await generateKeyPair('SM2');
    expect(sm2Decrypt(other.privateKey, ciphertext)).toBeUndefined();
    expect(sm2Decrypt(keys.privateKey, ciphertext)).toEqual(plaintext);
  });

  it('does not decrypt ciphertexts whose coordinates are not minimal DER INTEGERs', () => {
    // The example ciphertext with x written with a superfluous leading zero byte.
    const padded = Buffer.from(CIPHERTEXT.replace(/^307C0220/, '307D022100'), 'hex');
    expect(sm2Decrypt(EXAMPLE_PRIVATE, padded)).toBeUndefined();
    expect(sm2Decrypt(EXAMPLE_PRIVATE, Buffer.from(CIPHERTEXT, 'hex'))).toEqual(ENCRYPTED_MESSAGE);
  });
});

describe('SM2 key agreement (ECDH on the SM2 curve)', () => {
  it('equals node:crypto ECDH with the same keys, both ways, and is the 32-byte x coordinate', () => {
    for (let i = 0; i < 3; i++) {
      const alice = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const bob = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      const expected = diffieHellman({ privateKey: alice.privateKey, publicKey: bob.publicKey });
      const alicePkcs8 = alice.privateKey.export({ type: 'pkcs8', format: 'der' });
      const bobPkcs8 = bob.privateKey.export({ type: 'pkcs8', format: 'der' });
      const aliceSpki = alice.publicKey.export({ type: 'spki', format: 'der' });
      const bobSpki = bob.publicKey.export({ type: 'spki', format: 'der' });
      expect(expected).toHaveLength(32);
      expect(sm2SharedSecret(alicePkcs8, bobSpki)).toEqual(expected);
      expect(sm2SharedSecret(bobPkcs8, aliceSpki)).toEqual(expected);
    }
  });

  it('works with the key pairs CreateKey makes', async () => {
    const a = await generateKeyPair('SM2');
    const b = await generateKeyPair('SM2');
    const secret = sm2SharedSecret(a.privateKey, b.publicKey);
    expect(secret).toHaveLength(32);
    expect(sm2SharedSecret(b.privateKey, a.publicKey)).toEqual(secret);
  });

  it('is undefined for a peer key that is not an SM2 public key', async () => {
    const a = await generateKeyPair('SM2');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(sm2SharedSecret(a.privateKey, p256)).toBeUndefined();
    expect(sm2SharedSecret(a.privateKey, ed25519)).toBeUndefined();
    expect(sm2SharedSecret(a.privateKey, Buffer.from('not a key'))).toBeUndefined();
    // An SM2 SPKI whose point is not on the curve.
    const offCurve = Buffer.from(EXAMPLE_PUBLIC);
    offCurve[offCurve.length - 1]! ^= 1;
    expect(sm2SharedSecret(a.privateKey, offCurve)).toBeUndefined();
    // A compressed point is a valid SEC 1 encoding of the same key.
    const compressed = der(0x30, ecAlgorithm, der(0x03, Buffer.from([0, 0x03]), Buffer.from(X_A, 'hex')));
    expect(sm2SharedSecret(a.privateKey, compressed)).toEqual(sm2SharedSecret(a.privateKey, EXAMPLE_PUBLIC));
  });
});
