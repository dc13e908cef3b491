/**
 * Asymmetric key material for every KMS key spec: generation, and the DER forms KMS uses —
 * PKCS#8 for private keys (what GenerateDataKeyPair returns and ImportKeyMaterial takes) and
 * SubjectPublicKeyInfo for public keys (what GetPublicKey returns).
 *
 * node:crypto does RSA, the NIST curves, secp256k1, Ed25519 and SM2. ML-DSA is not in Node 20, so it
 * comes from @noble/post-quantum (FIPS 204, loaded on first use), with its keys kept in the seed form of PKCS#8.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCallback, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { loadNoble } from './lazyNoble.js';
import { der, derOid, readTlv } from './der.js';

export type RsaSpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type EccSpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type MlDsaSpec = 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87';
export type AsymmetricSpec = RsaSpec | EccSpec | MlDsaSpec | 'ECC_NIST_EDWARDS25519' | 'SM2';

export const RSA_BITS: Readonly<Record<RsaSpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** OpenSSL curve names, as node:crypto knows them. */
export const CURVES: Readonly<Record<EccSpec | 'SM2', string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
  SM2: 'SM2',
};

/** Object identifiers of the ML-DSA parameter sets (NIST CSOR). */
export const ML_DSA_OIDS = {
  ML_DSA_44: '2.16.840.1.101.3.4.3.17',
  ML_DSA_65: '2.16.840.1.101.3.4.3.18',
  ML_DSA_87: '2.16.840.1.101.3.4.3.19',
} as const;

export interface KeyPairDer {
  /** PKCS#8 (OneAsymmetricKey), unencrypted. */
  privateKey: Buffer;
  /** SubjectPublicKeyInfo. */
  publicKey: Buffer;
}

export function isAsymmetricSpec(spec: string): spec is AsymmetricSpec {
  return spec in RSA_BITS || spec in CURVES || spec in ML_DSA_OIDS || spec === 'ECC_NIST_EDWARDS25519';
}

const generateKeyObjects = promisify(generateKeyPairCallback);

/**
 * A new key pair. Asynchronous: node:crypto generates in its thread pool, so an RSA-4096 key (over a second
 * of CPU) does not stop the server answering other requests.
 */
export async function generateKeyPair(spec: AsymmetricSpec): Promise<KeyPairDer> {
  if (spec in ML_DSA_OIDS) return mlDsaKeyPairFromSeed(spec as MlDsaSpec, randomBytes(32));
  const pair =
    spec in RSA_BITS
      ? await generateKeyObjects('rsa', { modulusLength: RSA_BITS[spec as RsaSpec], publicExponent: 0x10001 })
      : spec === 'ECC_NIST_EDWARDS25519'
        ? await generateKeyObjects('ed25519', {})
        : await generateKeyObjects('ec', { namedCurve: CURVES[spec as EccSpec | 'SM2'] });
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }),
  };
}

/** ML-DSA key pair from its 32-byte seed ξ (FIPS 204 ML-DSA.KeyGen_internal), PKCS#8 in the seed form. */
export async function mlDsaKeyPairFromSeed(spec: MlDsaSpec, seed: Uint8Array): Promise<KeyPairDer> {
  const { publicKey } = (await loadNoble()).ML_DSA_ALGORITHMS[spec].keygen(seed);
  const algorithmIdentifier = der(0x30, derOid(ML_DSA_OIDS[spec]));
  return {
    // OneAsymmetricKey { version 0, algorithm, privateKey OCTET STRING { ML-DSA-PrivateKey: seed [0] IMPLICIT OCTET STRING } }
    privateKey: der(0x30, der(0x02, Buffer.from([0])), algorithmIdentifier, der(0x04, der(0x80, Buffer.from(seed)))),
    publicKey: der(0x30, algorithmIdentifier, der(0x03, Buffer.from([0]), Buffer.from(publicKey))),
  };
}

/** The ML-DSA seed inside a PKCS#8 produced by mlDsaKeyPairFromSeed; undefined if it is not one. */
export function mlDsaSeed(privateKey: Buffer, spec: MlDsaSpec): Buffer | undefined {
  const oid = derOid(ML_DSA_OIDS[spec]);
  if (!privateKey.includes(oid)) return undefined;
  try {
    const outer = readTlv(privateKey);
    const version = readTlv(privateKey, outer.start);
    const algorithm = readTlv(privateKey, version.end);
    const octets = readTlv(privateKey, algorithm.end);
    const seed = readTlv(privateKey, octets.start);
    if (seed.tag !== 0x80 || seed.end - seed.start !== 32) return undefined;
    return privateKey.subarray(seed.start, seed.end);
  } catch {
    return undefined;
  }
}

/** 1.2.156.10197.1.301, the SM2 curve. */
const SM2_CURVE_OID = derOid('1.2.156.10197.1.301');

const privateKeyCache = new WeakMap<Buffer, KeyObject>();
const publicKeyCache = new WeakMap<Buffer, KeyObject>();

/** node:crypto KeyObject for a PKCS#8 DER buffer, parsed once per buffer. */
export function privateKeyObject(pkcs8: Buffer): KeyObject {
  let key = privateKeyCache.get(pkcs8);
  if (!key) {
    key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    privateKeyCache.set(pkcs8, key);
  }
  return key;
}

/** node:crypto KeyObject for an SPKI DER buffer, parsed once per buffer. */
export function publicKeyObject(spki: Buffer): KeyObject {
  let key = publicKeyCache.get(spki);
  if (!key) {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    publicKeyCache.set(spki, key);
  }
  return key;
}

/** The public key (SPKI DER) of a PKCS#8 private key of a spec node:crypto handles. */
export function publicKeyOf(pkcs8: Buffer): Buffer {
  return createPublicKey(privateKeyObject(pkcs8)).export({ type: 'spki', format: 'der' });
}

/**
 * The KMS key spec of a PKCS#8 private key (seeds, imports), or undefined when it is not one KMS supports.
 * ML-DSA keys must be in the seed form.
 */
export function specOfPrivateKey(pkcs8: Buffer): AsymmetricSpec | undefined {
  for (const spec of Object.keys(ML_DSA_OIDS) as MlDsaSpec[]) if (mlDsaSeed(pkcs8, spec)) return spec;
  let key: KeyObject;
  try {
    key = privateKeyObject(pkcs8);
  } catch {
    return undefined;
  }
  const details = key.asymmetricKeyDetails ?? {};
  // OpenSSL 3 loads SM2 keys as their own key type, which Node 20 does not name: recognise the curve's OID.
  if (key.asymmetricKeyType === undefined && pkcs8.includes(SM2_CURVE_OID)) return 'SM2';
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const spec = `RSA_${details.modulusLength}`;
      return spec in RSA_BITS ? (spec as RsaSpec) : undefined;
    }
    case 'ec': {
      const curve = details.namedCurve;
      return (Object.keys(CURVES) as (EccSpec | 'SM2')[]).find((spec) => CURVES[spec] === curve);
    }
    case 'ed25519':
      return 'ECC_NIST_EDWARDS25519';
    default:
      return undefined;
  }
}

/** HMAC key lengths in bytes per KMS key spec. */
export const HMAC_KEY_BYTES = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 } as const;
export type HmacSpec = keyof typeof HMAC_KEY_BYTES;

export function isHmacSpec(spec: string): spec is HmacSpec {
  return spec in HMAC_KEY_BYTES;
}

export function generateHmacKey(spec: HmacSpec): Buffer {
  return randomBytes(HMAC_KEY_BYTES[spec]);
}
