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
 * This file: SM2DSA and key agreement. The curve, key parsing and encodings are sm2Keys.ts; SM2PKE is
 * sm2Encryption.ts, re-exported here (lazyNoble.ts loads this one module for all of SM2).
 *
 * Pure functions: no store, no KMS errors. Keys are PKCS#8 / SubjectPublicKeyInfo DER with
 * id-ecPublicKey and the SM2 curve OID 1.2.156.10197.1.301, as node:crypto exports them.
 */
import { DER } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import {
  BYTES,
  Fn,
  Point,
  SM2_CURVE,
  SM2_DEFAULT_ID,
  defaultUserHash,
  fieldBytes,
  privateKeyOf,
  publicPointOf,
  randomScalar,
  sm3,
  userHash,
  type PrivateKey,
} from './sm2Keys.js';

export { SM2_CURVE, SM2_DEFAULT_ID } from './sm2Keys.js';
export { sm2Decrypt, sm2Encrypt, sm2EncryptWithNonce } from './sm2Encryption.js';

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
