/**
 * Everything kmslite takes from the noble libraries (@noble/curves: audited; @noble/post-quantum), in one
 * module that is loaded on first use with `loadNoble()`. Loading them costs about 90 ms, which would more
 * than double kmslite's cold start, and most runs never sign with ML-DSA, Ed25519ph, a caller-supplied
 * ECDSA digest or SM2.
 */
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

export { p256, p384, p521, secp256k1 };

export const ML_DSA_ALGORITHMS = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;

/** RFC 8032 §5.1.5: clear the low 3 bits, clear the top bit, set the second-highest bit. */
function clampEd25519Scalar(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

/** RFC 8032 §5.1: dom2(F, C) = "SigEd25519 no Ed25519 collisions" || octet(F) || octet(OLEN(C)) || C. */
const DOM2_PREFIX = Buffer.from('SigEd25519 no Ed25519 collisions', 'ascii');

function dom2(data: Uint8Array, context: Uint8Array, phflag: boolean): Uint8Array {
  if (context.length > 255) throw new Error('context too long');
  return Buffer.concat([DOM2_PREFIX, Buffer.from([phflag ? 1 : 0, context.length]), context, data]);
}

/**
 * Ed25519ph (RFC 8032 §5.1, phflag = 1) whose input is already PH(M) = SHA-512(M): noble's EdDSA with the
 * Ed25519 curve and hash, dom2, and the identity as the prehash (@noble/curves' own ed25519ph hashes M itself).
 */
export const ed25519phOfDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: clampEd25519Scalar,
  domain: dom2,
  prehash: (digest: Uint8Array): Uint8Array => {
    if (digest.length !== 64) throw new Error('Ed25519ph takes a 64-byte SHA-512 digest');
    return digest;
  },
  zip215: false,
});
