/**
 * SM2 (GB/T 32918-2016, GM/T 0003-2012) for KMS's SM2 keys (China Regions): SM2DSA signatures, SM2PKE
 * encryption and ECDH on the SM2 curve — byte-compatible with AWS KMS.
 *
 * Why not node:crypto alone: Node 20 (OpenSSL 3.0) signs SM2 keys it generated as plain ECDSA-with-SM3, and
 * keys it re-imports as OpenSSL's SM2 type with an EMPTY distinguishing ID (OpenSSL < 4.0 has no default
 * ID and Node cannot set one); neither verifies with the ID AWS uses. Node has no SM2 encryption at all.
 * So the protocol steps below follow the standard over audited curve arithmetic: @noble/curves'
 * `weierstrass` point type with the recommended curve's parameters (field and group arithmetic, scalar
 * multiplication, point validation, DER signature codec are all noble's), SM3 from node:crypto.
 *
 * What AWS does (AWS KMS Developer Guide, "SM2 key spec (China Regions only)" and its
 * `SM2OfflineOperationHelper` reference code):
 * - SM2DSA: distinguishing ID `1234567812345678` (the GM/T 0009-2012 default), not settable. MessageType RAW:
 *   e = SM3(Z_A || M). MessageType DIGEST: the caller has already computed e = SM3(Z_A || M) (with any ID
 *   it likes) and KMS signs e as given. Signatures are DER `SEQUENCE { r INTEGER, s INTEGER }`.
 * - SM2PKE: ciphertext in the GM/T 0009-2012 ASN.1 form `SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING,
 *   ciphertext OCTET STRING }` (C1, C3, C2), as OpenSSL 1.1.1+/3.x produce and accept; raw C1C2C3/C1C3C2
 *   bytes must be converted before KMS will decrypt them.
 * - DeriveSharedSecret: the elliptic curve cofactor Diffie-Hellman primitive (cofactor 1 on this curve):
 *   the x coordinate of d·Q_peer, 32 bytes — what `openssl pkeyutl -derive` gives.
 *
 * Pure functions: no store, no KMS errors. Keys are PKCS#8 / SubjectPublicKeyInfo DER with
 * id-ecPublicKey and the SM2 curve OID 1.2.156.10197.1.301, as node:crypto exports them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { weierstrass, DER, type WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { getMinHashLength, mapHashToField } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { der, derOid, readTlv } from './der.js';

/** The SM2 recommended curve, GB/T 32918.5-2017 §3 (= GM/T 0003.5-2012 §3): y² = x³ + ax + b over F_p. */
export const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const;

const Point = weierstrass<bigint>(SM2_CURVE);
const { Fn } = Point;
type SM2Point = WeierstrassPoint<bigint>;
Point.BASE.precompute(8); // tables for [k]G, built on first use (~0.1 s) rather than at start-up

/** Bytes of a field element or scalar (256-bit curve). */
const BYTES = 32;

/** The distinguishing ID AWS KMS uses for SM2DSA: GM/T 0009-2012's default, `1234567812345678`. */
export const SM2_DEFAULT_ID: Buffer = Buffer.from('1234567812345678', 'ascii');

const EC_PUBLIC_KEY_OID = derOid('1.2.840.10045.2.1');
const SM2_CURVE_OID = derOid('1.2.156.10197.1.301');

// ---------------------------------------------------------------------------------------------------------
// Encodings

function fieldBytes(value: bigint): Buffer {
  return Buffer.from(numberToBytesBE(value, BYTES));
}

function sm3(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** DER INTEGER content of a non-negative integer: minimal big-endian, a 0x00 in front of a set top bit. */
function derUnsignedInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return der(0x02, Buffer.from(hex, 'hex'));
}

/** A DER INTEGER's content as a non-negative bigint; undefined when negative or not minimally encoded. */
function readUnsignedInteger(content: Buffer): bigint | undefined {
  if (content.length === 0 || content[0]! & 0x80) return undefined;
  if (content.length > 1 && content[0] === 0 && !(content[1]! & 0x80)) return undefined;
  return bytesToNumberBE(content);
}

/** Children of a constructed DER value (tag, content) — the whole of `input[start, end)` must be TLVs. */
function readChildren(input: Buffer, start: number, end: number): { tag: number; content: Buffer; raw: Buffer }[] {
  const children: { tag: number; content: Buffer; raw: Buffer }[] = [];
  for (let offset = start; offset < end; ) {
    const tlv = readTlv(input, offset);
    if (tlv.end > end) throw new Error('DER value overruns its container');
    children.push({ tag: tlv.tag, content: input.subarray(tlv.start, tlv.end), raw: input.subarray(offset, tlv.end) });
    offset = tlv.end;
  }
  return children;
}

/** The single top-level SEQUENCE filling `input`, as its children. */
function readSequence(input: Buffer): { tag: number; content: Buffer; raw: Buffer }[] {
  const outer = readTlv(input);
  if (outer.tag !== 0x30 || outer.end !== input.length) throw new Error('not a single DER SEQUENCE');
  return readChildren(input, outer.start, outer.end);
}

/** AlgorithmIdentifier of an SM2 key: id-ecPublicKey with the SM2 named curve (or the SM2 OID itself). */
function isSm2Algorithm(algorithm: { tag: number; content: Buffer }): boolean {
  if (algorithm.tag !== 0x30) return false;
  const [oid, parameters] = readChildren(algorithm.content, 0, algorithm.content.length);
  if (!oid || oid.tag !== 0x06) return false;
  if (oid.raw.equals(SM2_CURVE_OID)) return true;
  return oid.raw.equals(EC_PUBLIC_KEY_OID) && parameters !== undefined && parameters.raw.equals(SM2_CURVE_OID);
}

// ---------------------------------------------------------------------------------------------------------
// Keys

interface PrivateKey {
  d: bigint;
  publicPoint: SM2Point;
}

const privateKeys = new WeakMap<Buffer, PrivateKey>();
const publicKeys = new WeakMap<Buffer, SM2Point>();
const defaultZ = new WeakMap<SM2Point, Buffer>();

/**
 * The private scalar of an SM2 PKCS#8 key (RFC 5208 PrivateKeyInfo holding an RFC 5915 ECPrivateKey),
 * with its public point recomputed as [d]G. Throws when the DER is not an SM2 private key.
 */
function privateKeyOf(pkcs8: Buffer): PrivateKey {
  let key = privateKeys.get(pkcs8);
  if (key) return key;
  const [version, algorithm, privateKeyOctets] = readSequence(pkcs8);
  if (!version || version.tag !== 0x02 || !algorithm || !privateKeyOctets || privateKeyOctets.tag !== 0x04)
    throw new Error('not a PKCS#8 private key');
  if (!isSm2Algorithm(algorithm)) throw new Error('not an SM2 private key');
  const [ecVersion, scalar] = readSequence(privateKeyOctets.content);
  if (!ecVersion || ecVersion.tag !== 0x02 || !scalar || scalar.tag !== 0x04) throw new Error('not an ECPrivateKey');
  const d = bytesToNumberBE(scalar.content);
  // GB/T 32918.1-2016 §6.1: d ∈ [1, n-2] (n-1 would leave (1+d) without an inverse for signing).
  if (d < 1n || d > SM2_CURVE.n - 2n) throw new Error('SM2 private key out of range');
  key = { d, publicPoint: Point.BASE.multiply(d) };
  privateKeys.set(pkcs8, key);
  return key;
}

/** The public point of an SM2 SubjectPublicKeyInfo (RFC 5480), validated on the curve; undefined if not one. */
function publicPointOf(spki: Buffer): SM2Point | undefined {
  let point = publicKeys.get(spki);
  if (point) return point;
  try {
    const [algorithm, bits, ...rest] = readSequence(spki);
    if (!algorithm || !bits || bits.tag !== 0x03 || rest.length || !isSm2Algorithm(algorithm)) return undefined;
    if (bits.content[0] !== 0) return undefined;
    point = Point.fromBytes(bits.content.subarray(1)); // SEC 1 §2.3.4 decoding + on-curve / subgroup checks
  } catch {
    return undefined;
  }
  publicKeys.set(spki, point);
  return point;
}

/** Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A), GB/T 32918.2-2016 §5.5. */
function userHash(publicPoint: SM2Point, id: Buffer): Buffer {
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const { x, y } = publicPoint.toAffine();
  return sm3(
    entl,
    id,
    fieldBytes(SM2_CURVE.a),
    fieldBytes(SM2_CURVE.b),
    fieldBytes(SM2_CURVE.Gx),
    fieldBytes(SM2_CURVE.Gy),
    fieldBytes(x),
    fieldBytes(y),
  );
}

function defaultUserHash(publicPoint: SM2Point): Buffer {
  let z = defaultZ.get(publicPoint);
  if (!z) {
    z = userHash(publicPoint, SM2_DEFAULT_ID);
    defaultZ.set(publicPoint, z);
  }
  return z;
}

/** A uniformly random scalar in [1, n-1] (noble's FIPS 186-5 A.2.1 reduction of CSPRNG bytes). */
function randomScalar(): bigint {
  return bytesToNumberBE(mapHashToField(randomBytes(getMinHashLength(SM2_CURVE.n)), SM2_CURVE.n));
}

// ---------------------------------------------------------------------------------------------------------
// SM2DSA, GB/T 32918.2-2016

/**
 * The SM2DSA message digest e = SM3(Z_A || M) (§6.1 steps A1–A2) for a public key and distinguishing ID —
 * what a caller passes to Sign/Verify with MessageType DIGEST (AWS's `calculateSM2Digest`).
 */
export function sm2Digest(publicKeySpki: Buffer, message: Buffer, id: Buffer = SM2_DEFAULT_ID): Buffer {
  const point = publicPointOf(publicKeySpki);
  if (!point) throw new Error('not an SM2 public key');
  return sm3(id.equals(SM2_DEFAULT_ID) ? defaultUserHash(point) : userHash(point, id), message);
}

/** §6.1 steps A3–A7 over the digest e; `nonce` supplies k (known-answer tests only). */
function signDigest(key: PrivateKey, digest: Buffer, nonce?: bigint): Buffer {
  const e = bytesToNumberBE(digest);
  const inverse = Fn.inv(Fn.add(1n, key.d)); // (1 + d_A)^-1 mod n
  for (;;) {
    const k = nonce ?? randomScalar(); // A3
    const x1 = Point.BASE.multiply(k).toAffine().x; // A4: (x1, y1) = [k]G
    const r = Fn.create(e + x1); // A5: r = (e + x1) mod n; retry if r = 0 or r + k = n
    if (r !== 0n && r + k !== SM2_CURVE.n) {
      const s = Fn.mul(inverse, Fn.sub(k, Fn.mul(r, key.d))); // A6: s = (1 + d_A)^-1 · (k − r·d_A) mod n
      if (s !== 0n) return Buffer.from(DER.hexFromSig({ r, s }), 'hex'); // A7: (r, s), DER-encoded
    }
    if (nonce !== undefined) throw new Error('the given nonce does not give a signature');
  }
}

/**
 * SM2DSA signature (DER) with the default distinguishing ID. `messageIsDigest`: the message is already
 * e = SM3(Z_A || M) and is signed as given (MessageType DIGEST); otherwise e is computed here (RAW).
 */
export function sm2Sign(privateKeyPkcs8: Buffer, message: Buffer, messageIsDigest: boolean): Buffer {
  const key = privateKeyOf(privateKeyPkcs8);
  const digest = messageIsDigest ? message : sm3(defaultUserHash(key.publicPoint), message);
  return signDigest(key, digest);
}

/** sm2Sign of a digest with a chosen k — only for the standards' known-answer examples. */
export function sm2SignDigestWithNonce(privateKeyPkcs8: Buffer, digest: Buffer, k: bigint): Buffer {
  if (k < 1n || k >= SM2_CURVE.n) throw new Error('nonce out of range');
  return signDigest(privateKeyOf(privateKeyPkcs8), digest, k);
}

/** SM2DSA verification (§7.1 steps B1–B7) of a DER signature, with the default distinguishing ID. */
export function sm2Verify(publicKeySpki: Buffer, message: Buffer, messageIsDigest: boolean, signature: Buffer): boolean {
  const point = publicPointOf(publicKeySpki);
  if (!point) throw new Error('not an SM2 public key');
  let r: bigint;
  let s: bigint;
  try {
    ({ r, s } = DER.toSig(signature, BYTES + 1));
  } catch {
    return false;
  }
  const { n } = SM2_CURVE;
  if (r < 1n || r >= n || s < 1n || s >= n) return false; // B1, B2
  const digest = messageIsDigest ? message : sm3(defaultUserHash(point), message); // B3, B4
  const e = bytesToNumberBE(digest);
  const t = Fn.add(r, s); // B5: t = (r' + s') mod n, t ≠ 0
  if (t === 0n) return false;
  const sum = Point.BASE.mulAddUnsafe(s, point, t); // B6: (x1', y1') = [s']G + [t]P_A (public scalars)
  if (sum.is0()) return false;
  return Fn.create(e + sum.toAffine().x) === r; // B7: R = (e' + x1') mod n, valid iff R = r'
}

// ---------------------------------------------------------------------------------------------------------
// SM2PKE, GB/T 32918.4-2016

/** KDF(Z, klen), §5.4.3: SM3(Z || ct) for ct = 1, 2, … (32-bit big-endian), truncated to `length` bytes. */
function kdf(z: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let ct = 1; blocks.length * BYTES < length; ct++) {
    counter.writeUInt32BE(ct);
    blocks.push(sm3(z, counter));
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xorWith(data: Buffer, mask: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ mask[i]!;
  return out;
}

/** §6.1 steps A1–A8; the ciphertext in the GM/T 0009-2012 ASN.1 form. `nonce` supplies k (tests only). */
function encrypt(publicPoint: SM2Point, plaintext: Buffer, nonce?: bigint): Buffer {
  if (plaintext.length === 0) throw new Error('SM2PKE needs a non-empty plaintext');
  // A3: S = [h]P_B must not be the point at infinity — h = 1 and P_B was validated on the curve.
  for (;;) {
    const k = nonce ?? randomScalar(); // A1
    const c1 = Point.BASE.multiply(k).toAffine(); // A2: C1 = [k]G = (x1, y1)
    const shared = publicPoint.multiply(k).toAffine(); // A4: [k]P_B = (x2, y2)
    const x2 = fieldBytes(shared.x);
    const y2 = fieldBytes(shared.y);
    const t = kdf(Buffer.concat([x2, y2]), plaintext.length); // A5: t = KDF(x2 || y2, klen), not all zero
    if (t.some((byte) => byte !== 0)) {
      const c2 = xorWith(plaintext, t); // A6: C2 = M ⊕ t
      const c3 = sm3(x2, plaintext, y2); // A7: C3 = Hash(x2 || M || y2)
      // A8, encoded per GM/T 0009-2012 §7.2: SEQUENCE { XCoordinate, YCoordinate, HASH, CipherText }
      return der(0x30, derUnsignedInteger(c1.x), derUnsignedInteger(c1.y), der(0x04, c3), der(0x04, c2));
    }
    if (nonce !== undefined) throw new Error('the given nonce does not encrypt');
  }
}

/** SM2PKE encryption with the public key; ciphertext in the ASN.1 form AWS KMS returns and accepts. */
export function sm2Encrypt(publicKeySpki: Buffer, plaintext: Buffer): Buffer {
  const point = publicPointOf(publicKeySpki);
  if (!point) throw new Error('not an SM2 public key');
  return encrypt(point, plaintext);
}

/** sm2Encrypt with a chosen k — only for the standards' known-answer examples. */
export function sm2EncryptWithNonce(publicKeySpki: Buffer, plaintext: Buffer, k: bigint): Buffer {
  const point = publicPointOf(publicKeySpki);
  if (!point) throw new Error('not an SM2 public key');
  if (k < 1n || k >= SM2_CURVE.n) throw new Error('nonce out of range');
  return encrypt(point, plaintext, k);
}

/** The parts of an ASN.1 SM2 ciphertext; undefined when it is not exactly that structure. */
function parseCiphertext(ciphertext: Buffer): { c1: SM2Point; c3: Buffer; c2: Buffer } | undefined {
  try {
    const parts = readSequence(ciphertext);
    const [xPart, yPart, hashPart, cipherPart] = parts;
    if (parts.length !== 4 || !xPart || !yPart || !hashPart || !cipherPart) return undefined;
    if (xPart.tag !== 0x02 || yPart.tag !== 0x02 || hashPart.tag !== 0x04 || cipherPart.tag !== 0x04) return undefined;
    const x = readUnsignedInteger(xPart.content);
    const y = readUnsignedInteger(yPart.content);
    if (x === undefined || y === undefined || hashPart.content.length !== BYTES || cipherPart.content.length === 0)
      return undefined;
    if (x >= SM2_CURVE.p || y >= SM2_CURVE.p) return undefined;
    const c1 = Point.fromAffine({ x, y });
    c1.assertValidity(); // B1: C1 must satisfy the curve equation
    return { c1, c3: hashPart.content, c2: cipherPart.content };
  } catch {
    return undefined;
  }
}

/**
 * SM2PKE decryption (§7.1 steps B1–B7) of the ASN.1 ciphertext form. Returns undefined when the ciphertext
 * is malformed or does not decrypt under this key (caller answers InvalidCiphertextException).
 */
export function sm2Decrypt(privateKeyPkcs8: Buffer, ciphertext: Buffer): Buffer | undefined {
  const key = privateKeyOf(privateKeyPkcs8);
  const parts = parseCiphertext(ciphertext);
  if (!parts) return undefined;
  // B2: S = [h]C1 is not the point at infinity — h = 1 and C1 was validated.
  const shared = parts.c1.multiply(key.d).toAffine(); // B3: [d_B]C1 = (x2, y2)
  const x2 = fieldBytes(shared.x);
  const y2 = fieldBytes(shared.y);
  const t = kdf(Buffer.concat([x2, y2]), parts.c2.length); // B4: t = KDF(x2 || y2, klen), not all zero
  if (!t.some((byte) => byte !== 0)) return undefined;
  const plaintext = xorWith(parts.c2, t); // B5: M' = C2 ⊕ t
  const u = sm3(x2, plaintext, y2); // B6: u = Hash(x2 || M' || y2) must equal C3
  if (!timingSafeEqual(u, parts.c3)) return undefined;
  return plaintext; // B7
}

// ---------------------------------------------------------------------------------------------------------
// Key agreement

/**
 * The raw shared secret of ECDH on the SM2 curve (the elliptic curve cofactor Diffie-Hellman primitive,
 * SEC 1 §3.3.2, cofactor 1): the x coordinate of [d]Q_peer, 32 bytes. Undefined when the peer key is not an
 * SM2 SubjectPublicKeyInfo with a valid point.
 */
export function sm2SharedSecret(privateKeyPkcs8: Buffer, peerPublicKeySpki: Buffer): Buffer | undefined {
  const key = privateKeyOf(privateKeyPkcs8);
  const peer = publicPointOf(peerPublicKeySpki);
  if (!peer) return undefined;
  const shared = peer.multiply(key.d);
  if (shared.is0()) return undefined;
  return fieldBytes(shared.toAffine().x);
}

/** True when the DER is an SM2 SubjectPublicKeyInfo with a valid curve point. */
export function isSm2PublicKey(spki: Buffer): boolean {
  return publicPointOf(spki) !== undefined;
}
