/**
 * Asymmetric encryption as KMS does it: RSAES-OAEP (RFC 8017 §7.1) for RSA keys, with MGF1 over the same
 * hash as the OAEP label hash (RSAES_OAEP_SHA_1: SHA-1/MGF1-SHA-1; RSAES_OAEP_SHA_256: SHA-256/MGF1-SHA-256;
 * empty label), and SM2PKE (GB/T 32918.4) for SM2 keys. The ciphertext is the raw output, nothing around it:
 * for RSA exactly the modulus length, so anything that holds the public key (GetPublicKey's DER SPKI) can
 * produce ciphertexts KMS Decrypt accepts, and the other way round.
 *
 * Pure functions over DER key material; no store, no KMS errors (callers map failures).
 */
import { constants, publicEncrypt, webcrypto } from 'node:crypto';
import { publicKeyObject, RSA_BITS, type RsaSpec } from './keyPairs.js';
import { loadSm2 } from './lazyNoble.js';

export type RsaEncryptionAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';
export type AsymmetricEncryptionAlgorithm = RsaEncryptionAlgorithm | 'SM2PKE';
export type AsymmetricEncryptionSpec = RsaSpec | 'SM2';

const OAEP: Readonly<Record<RsaEncryptionAlgorithm, { node: string; web: string; bytes: number }>> = {
  RSAES_OAEP_SHA_1: { node: 'sha1', web: 'SHA-1', bytes: 20 },
  RSAES_OAEP_SHA_256: { node: 'sha256', web: 'SHA-256', bytes: 32 },
};

/** The SM2PKE plaintext limit KMS documents for SM2 keys (Encrypt: "SM2PKE: 1024 bytes"). */
export const SM2PKE_MAX_PLAINTEXT_BYTES = 1024;

export function isAsymmetricEncryptionSpec(spec: string): spec is AsymmetricEncryptionSpec {
  return spec in RSA_BITS || spec === 'SM2';
}

/**
 * The largest plaintext `algorithm` encrypts under a key of `spec`: k − 2·hLen − 2 for RSAES-OAEP
 * (RSA_2048: 214 / 190, RSA_3072: 342 / 318, RSA_4096: 470 / 446 for SHA-1 / SHA-256, as AWS reports),
 * 1024 bytes for SM2PKE.
 */
export function maxPlaintextBytes(spec: AsymmetricEncryptionSpec, algorithm: AsymmetricEncryptionAlgorithm): number {
  if (algorithm === 'SM2PKE') return SM2PKE_MAX_PLAINTEXT_BYTES;
  return RSA_BITS[spec as RsaSpec] / 8 - 2 * OAEP[algorithm].bytes - 2;
}

/**
 * Encrypts `plaintext` with the public key (SPKI DER). The caller has checked that the algorithm suits the
 * spec and that the plaintext is within maxPlaintextBytes.
 */
export async function asymmetricEncrypt(
  spec: AsymmetricEncryptionSpec,
  algorithm: AsymmetricEncryptionAlgorithm,
  publicKeySpki: Buffer,
  plaintext: Buffer,
): Promise<Buffer> {
  if (algorithm === 'SM2PKE') {
    if (spec !== 'SM2') throw new Error(`SM2PKE needs an SM2 key, not ${spec}`);
    return (await loadSm2()).sm2Encrypt(publicKeySpki, plaintext);
  }
  if (spec === 'SM2') throw new Error(`${algorithm} needs an RSA key`);
  // A public-key operation: microseconds even for RSA-4096, so it stays synchronous.
  return publicEncrypt(
    { key: publicKeyObject(publicKeySpki), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP[algorithm].node },
    plaintext,
  );
}

/**
 * Decrypts a raw ciphertext with the private key (PKCS#8 DER); undefined when it does not decrypt (wrong
 * key, wrong algorithm, wrong length, tampered, garbage). RSA private-key operations run asynchronously
 * in libuv's thread pool (WebCrypto RSA-OAEP), so a burst of RSA-4096 decryptions uses every core and
 * does not hold up other requests.
 */
export async function asymmetricDecrypt(
  spec: AsymmetricEncryptionSpec,
  algorithm: AsymmetricEncryptionAlgorithm,
  privateKeyPkcs8: Buffer,
  ciphertext: Buffer,
): Promise<Buffer | undefined> {
  if (algorithm === 'SM2PKE') {
    if (spec !== 'SM2') return undefined;
    return (await loadSm2()).sm2Decrypt(privateKeyPkcs8, ciphertext);
  }
  if (spec === 'SM2') return undefined;
  // RFC 8017 §7.1.2 step 1b: a ciphertext that is not exactly k octets long is a decryption error.
  if (ciphertext.length !== RSA_BITS[spec] / 8) return undefined;
  const key = await rsaOaepPrivateKey(privateKeyPkcs8, algorithm);
  try {
    return Buffer.from(await webcrypto.subtle.decrypt({ name: 'RSA-OAEP' }, key, ciphertext));
  } catch {
    return undefined;
  }
}

/** WebCrypto keys per PKCS#8 buffer and OAEP hash: importing parses the DER, so do it once. */
const rsaKeyCache = new WeakMap<Buffer, Map<RsaEncryptionAlgorithm, Promise<webcrypto.CryptoKey>>>();

function rsaOaepPrivateKey(pkcs8: Buffer, algorithm: RsaEncryptionAlgorithm): Promise<webcrypto.CryptoKey> {
  let perHash = rsaKeyCache.get(pkcs8);
  if (!perHash) {
    perHash = new Map();
    rsaKeyCache.set(pkcs8, perHash);
  }
  let key = perHash.get(algorithm);
  if (!key) {
    key = webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: OAEP[algorithm].web }, false, ['decrypt']);
    perHash.set(algorithm, key);
    // A key that fails to import is not kept, so the next call reports the same failure.
    key.catch(() => perHash!.delete(algorithm));
  }
  return key;
}
