/**
 * The signing.ts paths that node:crypto cannot do, over the lazily loaded noble libraries (lazyNoble.ts): ECDSA over
 * a precomputed digest (@noble/curves with prehash off), Ed25519ph (RFC 8032 HashEdDSA) and ML-DSA
 * (@noble/post-quantum), with the key bytes each needs read once from the DER key and cached per key buffer.
 */
import { createHash } from 'node:crypto';
import { readTlv } from './der.js';
import { mlDsaSeed, privateKeyObject, type MlDsaSpec } from './keyPairs.js';
import type { Noble } from './lazyNoble.js';

// ECDSA over a digest (@noble/curves)

export function ecdsaCurve(noble: Noble, keySpec: string) {
  switch (keySpec) {
    case 'ECC_NIST_P256':
      return noble.p256;
    case 'ECC_NIST_P384':
      return noble.p384;
    case 'ECC_NIST_P521':
      return noble.p521;
    case 'ECC_SECG_P256K1':
      return noble.secp256k1;
    default:
      throw new Error(`no ECDSA curve for key spec ${keySpec}`);
  }
}

const ecdsaSecretKeys = new WeakMap<Buffer, Uint8Array>();

/** The private scalar of an EC PKCS#8 key, as fixed-length big-endian bytes (the JWK `d`). */
export function ecdsaSecretKey(pkcs8: Buffer): Uint8Array {
  let secret = ecdsaSecretKeys.get(pkcs8);
  if (!secret) {
    const jwk = privateKeyObject(pkcs8).export({ format: 'jwk' });
    if (!jwk.d) throw new Error('not an EC private key');
    secret = Buffer.from(jwk.d, 'base64url');
    ecdsaSecretKeys.set(pkcs8, secret);
  }
  return secret;
}

/** The subjectPublicKey bits of an SPKI (an EC point, a raw Ed25519 or ML-DSA key). */
export function spkiKeyBits(spki: Buffer): Uint8Array {
  const outer = readTlv(spki);
  const algorithm = readTlv(spki, outer.start);
  const bits = readTlv(spki, algorithm.end);
  if (outer.tag !== 0x30 || algorithm.tag !== 0x30 || bits.tag !== 0x03 || spki[bits.start] !== 0) throw new Error('not an SPKI');
  return spki.subarray(bits.start + 1, bits.end);
}

// ---------------------------------------------------------------------------------------------------------
// Ed25519ph over PH(M)

/**
 * PH of RFC 8032 §5.1 (FIPS 186-5 §7.8.1 step 1) over the 64 bytes the caller sent as a DIGEST: AWS hashes them
 * again, so a caller who sent SHA-512(M) gets Ed25519ph(SHA-512(M)), not Ed25519ph(M).
 */
export function ed25519phPrehash(message: Buffer): Buffer {
  return createHash('sha512').update(message).digest();
}

const ed25519Seeds = new WeakMap<Buffer, Uint8Array>();

/** The 32-byte Ed25519 private key (seed) of a PKCS#8 key. */
export function ed25519Seed(pkcs8: Buffer): Uint8Array {
  let seed = ed25519Seeds.get(pkcs8);
  if (!seed) {
    const jwk = privateKeyObject(pkcs8).export({ format: 'jwk' });
    if (jwk.crv !== 'Ed25519' || !jwk.d) throw new Error('not an Ed25519 private key');
    seed = Buffer.from(jwk.d, 'base64url');
    ed25519Seeds.set(pkcs8, seed);
  }
  return seed;
}

// ---------------------------------------------------------------------------------------------------------
// ML-DSA (@noble/post-quantum)

export function mlDsa(noble: Noble, keySpec: string) {
  const algorithm = noble.ML_DSA_ALGORITHMS[keySpec as MlDsaSpec];
  if (!algorithm) throw new Error(`no ML-DSA parameter set for key spec ${keySpec}`);
  return algorithm;
}

const mlDsaSecretKeys = new WeakMap<Buffer, Uint8Array>();

/** The expanded ML-DSA secret key of a seed-form PKCS#8 key (FIPS 204 ML-DSA.KeyGen_internal), computed once. */
export function mlDsaPrivate(noble: Noble, keySpec: string, pkcs8: Buffer) {
  const algorithm = mlDsa(noble, keySpec);
  let secretKey = mlDsaSecretKeys.get(pkcs8);
  if (!secretKey) {
    const seed = mlDsaSeed(pkcs8, keySpec as MlDsaSpec);
    if (!seed) throw new Error(`not an ${keySpec} private key in the seed form`);
    secretKey = algorithm.keygen(seed).secretKey;
    mlDsaSecretKeys.set(pkcs8, secretKey);
  }
  return { algorithm, secretKey };
}

const mlDsaPublicKeys = new WeakMap<Buffer, Uint8Array>();

export function mlDsaPublic(spki: Buffer): Uint8Array {
  let raw = mlDsaPublicKeys.get(spki);
  if (!raw) {
    raw = spkiKeyBits(spki);
    mlDsaPublicKeys.set(spki, raw);
  }
  return raw;
}
