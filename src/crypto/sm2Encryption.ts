/**
 * SM2PKE, GB/T 32918.4-2016, for sm2.ts (which re-exports it): encryption with the public key, decryption with
 * the private key, the ciphertext in the GM/T 0009-2012 ASN.1 form `SEQUENCE { x, y, hash, ciphertext }`
 * (C1, C3, C2) that AWS KMS returns and accepts.
 */
import { timingSafeEqual } from 'node:crypto';
import { der } from './der.js';
import { BYTES, Point, SM2_CURVE, derUnsignedInteger, fieldBytes, privateKeyOf, publicPointOf, randomScalar, readSequence, readUnsignedInteger, sm3, type SM2Point } from './sm2Keys.js';

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
