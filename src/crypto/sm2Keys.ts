/**
 * What every SM2 operation in sm2.ts and sm2Encryption.ts shares: the recommended curve (over @noble/curves'
 * `weierstrass` point type), SM3, the DER pieces of SM2 keys and ciphertexts, PKCS#8 / SubjectPublicKeyInfo
 * parsing (cached per key buffer), Z_A and random scalars. Loaded only with sm2.ts (lazyNoble.ts), never at start-up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { weierstrass, type WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
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

export const Point = weierstrass<bigint>(SM2_CURVE);
export const { Fn } = Point;
export type SM2Point = WeierstrassPoint<bigint>;
Point.BASE.precompute(8); // tables for [k]G, built on first use (~0.1 s) rather than at start-up

/** Bytes of a field element or scalar (256-bit curve). */
export const BYTES = 32;

/** The distinguishing ID AWS KMS uses for SM2DSA: GM/T 0009-2012's default, `1234567812345678`. */
export const SM2_DEFAULT_ID: Buffer = Buffer.from('1234567812345678', 'ascii');

const EC_PUBLIC_KEY_OID = derOid('1.2.840.10045.2.1');
const SM2_CURVE_OID = derOid('1.2.156.10197.1.301');

// ---------------------------------------------------------------------------------------------------------
// Encodings

export function fieldBytes(value: bigint): Buffer {
  return Buffer.from(numberToBytesBE(value, BYTES));
}

export function sm3(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** DER INTEGER content of a non-negative integer: minimal big-endian, a 0x00 in front of a set top bit. */
export function derUnsignedInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return der(0x02, Buffer.from(hex, 'hex'));
}

/** A DER INTEGER's content as a non-negative bigint; undefined when negative or not minimally encoded. */
export function readUnsignedInteger(content: Buffer): bigint | undefined {
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
export function readSequence(input: Buffer): { tag: number; content: Buffer; raw: Buffer }[] {
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

export interface PrivateKey {
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
export function privateKeyOf(pkcs8: Buffer): PrivateKey {
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
export function publicPointOf(spki: Buffer): SM2Point | undefined {
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
export function userHash(publicPoint: SM2Point, id: Buffer): Buffer {
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

export function defaultUserHash(publicPoint: SM2Point): Buffer {
  let z = defaultZ.get(publicPoint);
  if (!z) {
    z = userHash(publicPoint, SM2_DEFAULT_ID);
    defaultZ.set(publicPoint, z);
  }
  return z;
}

/** A uniformly random scalar in [1, n-1] (noble's FIPS 186-5 A.2.1 reduction of CSPRNG bytes). */
export function randomScalar(): bigint {
  return bytesToNumberBE(mapHashToField(randomBytes(getMinHashLength(SM2_CURVE.n)), SM2_CURVE.n));
}
