/**
 * Signatures for every KMS signing algorithm, as pure functions over a key's DER material: PKCS#8 private keys
 * to sign, SubjectPublicKeyInfo public keys to verify (what GetPublicKey returns), so a signature made here
 * verifies anywhere with the public key alone.
 *
 * - RSASSA_PSS_SHA_*: RFC 8017 RSASSA-PSS, MGF1 with the same hash, salt length = digest length (what AWS does).
 * - RSASSA_PKCS1_V1_5_SHA_*: RFC 8017 RSASSA-PKCS1-v1_5.
 * - ECDSA_SHA_*: FIPS 186 ECDSA, DER-encoded SEQUENCE { r, s }.
 * - ED25519_SHA_512: RFC 8032 PureEdDSA (Ed25519). ED25519_PH_SHA_512: RFC 8032 HashEdDSA (Ed25519ph, empty
 *   context) of the 64 bytes given: KMS "still performs the SHA-512 prehash ... the input is hashed twice: once
 *   by you and once by KMS" (API reference Sign/Verify, MessageType), so PH = SHA-512(the DIGEST given).
 * - ML_DSA_SHAKE_256: FIPS 204 ML-DSA.Sign with an empty context (RAW), or from the caller's 64-byte μ
 *   (EXTERNAL_MU, FIPS 204 §6.2 / Algorithm 7 from step 7 on).
 * - SM2DSA: delegated to ./sm2.ts.
 *
 * MessageType DIGEST means the message is already the hash: it is not hashed again (except for Ed25519ph, above). node:crypto cannot sign or
 * verify a precomputed digest (Node 20 always hashes), so DIGEST uses, for RSA, the PKCS#1 encodings over
 * node's raw RSA primitive (privateEncrypt / publicDecrypt) and, for ECDSA, @noble/curves with prehash off.
 * RAW signing with RSA keys uses node's asynchronous crypto.sign, which runs in libuv's thread pool; the
 * DIGEST path's raw RSA operation (privateEncrypt) has no asynchronous form in Node 20 and runs inline.
 */
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { readTlv } from './der.js';
import { mlDsaSeed, privateKeyObject, publicKeyObject, type MlDsaSpec } from './keyPairs.js';
import { loadNoble, loadSm2, type Noble } from './lazyNoble.js';

export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256' | 'RSASSA_PSS_SHA_384' | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512' | 'ED25519_PH_SHA_512'
  | 'ML_DSA_SHAKE_256'
  | 'SM2DSA';

export type SigningMessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

type Hash = 'sha256' | 'sha384' | 'sha512';
type Family = 'rsa-pss' | 'rsa-pkcs1' | 'ecdsa' | 'ed25519' | 'ed25519ph' | 'ml-dsa' | 'sm2';

export interface SigningAlgorithmInfo {
  family: Family;
  /** The hash of the algorithm (RSA, ECDSA). */
  hash?: Hash;
  /** The message types the algorithm takes. */
  messageTypes: readonly SigningMessageType[];
  /** Length in bytes of a DIGEST (or, for ML-DSA, of an EXTERNAL_MU μ) message. */
  digestLength: number;
}

const rsa = (family: 'rsa-pss' | 'rsa-pkcs1', hash: Hash, digestLength: number): SigningAlgorithmInfo => ({
  family, hash, digestLength, messageTypes: ['RAW', 'DIGEST'],
});

export const SIGNING_ALGORITHMS: Readonly<Record<SigningAlgorithm, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: rsa('rsa-pss', 'sha256', 32),
  RSASSA_PSS_SHA_384: rsa('rsa-pss', 'sha384', 48),
  RSASSA_PSS_SHA_512: rsa('rsa-pss', 'sha512', 64),
  RSASSA_PKCS1_V1_5_SHA_256: rsa('rsa-pkcs1', 'sha256', 32),
  RSASSA_PKCS1_V1_5_SHA_384: rsa('rsa-pkcs1', 'sha384', 48),
  RSASSA_PKCS1_V1_5_SHA_512: rsa('rsa-pkcs1', 'sha512', 64),
  ECDSA_SHA_256: { family: 'ecdsa', hash: 'sha256', digestLength: 32, messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_384: { family: 'ecdsa', hash: 'sha384', digestLength: 48, messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_512: { family: 'ecdsa', hash: 'sha512', digestLength: 64, messageTypes: ['RAW', 'DIGEST'] },
  // AWS: "the ED25519_SHA_512 signing algorithm requires MessageType:RAW, while ED25519_PH_SHA_512 requires
  // MessageType:DIGEST. These message types cannot be used interchangeably." (CreateKey KeySpec docs)
  ED25519_SHA_512: { family: 'ed25519', digestLength: 64, messageTypes: ['RAW'] },
  ED25519_PH_SHA_512: { family: 'ed25519ph', digestLength: 64, messageTypes: ['DIGEST'] },
  // AWS: RAW (up to 4 KB) or EXTERNAL_MU (the 64-byte μ of FIPS 204 §6.2); not the HashML-DSA of §5.4.
  ML_DSA_SHAKE_256: { family: 'ml-dsa', digestLength: 64, messageTypes: ['RAW', 'EXTERNAL_MU'] },
  // SM3 digests are 32 bytes; with DIGEST the caller gives e = SM3(Z_A || M) (./sm2.ts).
  SM2DSA: { family: 'sm2', digestLength: 32, messageTypes: ['RAW', 'DIGEST'] },
};

// ---------------------------------------------------------------------------------------------------------
// Public API

/**
 * Signs `message` with the PKCS#8 `privateKey` of a key of `keySpec`. The caller has checked that the key
 * spec offers the algorithm, that the algorithm takes the message type and that a DIGEST / EXTERNAL_MU
 * message has the algorithm's digest length; this function throws a plain Error otherwise.
 */
export async function signMessage(
  algorithm: SigningAlgorithm,
  keySpec: string,
  privateKey: Buffer,
  message: Buffer,
  messageType: SigningMessageType = 'RAW',
): Promise<Buffer> {
  const info = checkedInfo(algorithm, message, messageType);
  const digest = messageType === 'DIGEST';
  // node:crypto does RSA, ECDSA over a message and pure Ed25519; the rest needs the noble libraries.
  const noble = needsNoble(info.family, digest) ? await loadNoble() : undefined;
  switch (info.family) {
    case 'rsa-pss':
    case 'rsa-pkcs1':
      return digest ? rsaSignDigest(info, privateKeyObject(privateKey), message) : rsaSignRaw(info, privateKeyObject(privateKey), message);
    case 'ecdsa':
      if (!digest) return nodeSign(info.hash!, message, { key: privateKeyObject(privateKey), dsaEncoding: 'der' });
      return Buffer.from(
        ecdsaCurve(noble!, keySpec).sign(message, ecdsaSecretKey(privateKey), { prehash: false, format: 'der', lowS: false, extraEntropy: true }),
      );
    case 'ed25519':
      return nodeSign(null, message, privateKeyObject(privateKey));
    case 'ed25519ph':
      return Buffer.from(noble!.ed25519phOfDigest.sign(ed25519phPrehash(message), ed25519Seed(privateKey)));
    case 'ml-dsa': {
      const { algorithm: dsa, secretKey } = mlDsaPrivate(noble!, keySpec, privateKey);
      const signature = messageType === 'EXTERNAL_MU' ? dsa.internal.sign(message, secretKey, { externalMu: true }) : dsa.sign(message, secretKey);
      return Buffer.from(signature);
    }
    case 'sm2':
      return (await loadSm2()).sm2Sign(privateKey, message, digest);
  }
}

/**
 * Whether `signature` is a valid signature of `message` for the SPKI `publicKey` of a key of `keySpec`.
 * Malformed signatures (not DER, wrong length, out of range) are simply invalid. Same preconditions as
 * signMessage.
 */
export async function verifySignature(
  algorithm: SigningAlgorithm,
  keySpec: string,
  publicKey: Buffer,
  message: Buffer,
  messageType: SigningMessageType,
  signature: Buffer,
): Promise<boolean> {
  const info = checkedInfo(algorithm, message, messageType);
  const digest = messageType === 'DIGEST';
  if (info.family === 'sm2') return (await loadSm2()).sm2Verify(publicKey, message, digest, signature);
  const noble = needsNoble(info.family, digest) ? await loadNoble() : undefined;
  try {
    switch (info.family) {
      case 'rsa-pss':
      case 'rsa-pkcs1':
        return digest
          ? rsaVerifyDigest(info, publicKeyObject(publicKey), message, signature)
          : nodeVerify(info.hash!, message, rsaOptions(info, publicKeyObject(publicKey)), signature);
      case 'ecdsa':
        if (!digest) return nodeVerify(info.hash!, message, { key: publicKeyObject(publicKey), dsaEncoding: 'der' }, signature);
        return ecdsaCurve(noble!, keySpec).verify(signature, message, spkiKeyBits(publicKey), { prehash: false, format: 'der', lowS: false });
      case 'ed25519':
        return nodeVerify(null, message, publicKeyObject(publicKey), signature);
      case 'ed25519ph':
        return noble!.ed25519phOfDigest.verify(signature, ed25519phPrehash(message), spkiKeyBits(publicKey), { zip215: false });
      case 'ml-dsa': {
        const dsa = mlDsa(noble!, keySpec);
        const raw = mlDsaPublic(publicKey);
        if (signature.length !== dsa.lengths.signature) return false;
        return messageType === 'EXTERNAL_MU'
          ? dsa.internal.verify(signature, message, raw, { externalMu: true })
          : dsa.verify(signature, message, raw);
      }
    }
  } catch {
    return false;
  }
}

function needsNoble(family: Family, digest: boolean): boolean {
  return family === 'ed25519ph' || family === 'ml-dsa' || (family === 'ecdsa' && digest);
}

function checkedInfo(algorithm: SigningAlgorithm, message: Buffer, messageType: SigningMessageType): SigningAlgorithmInfo {
  const info = SIGNING_ALGORITHMS[algorithm];
  if (!info) throw new Error(`unknown signing algorithm ${algorithm}`);
  if (!info.messageTypes.includes(messageType)) throw new Error(`${algorithm} does not take MessageType ${messageType}`);
  if (messageType !== 'RAW' && message.length !== info.digestLength) throw new Error(`${algorithm} takes ${info.digestLength}-byte digests`);
  return info;
}

// ---------------------------------------------------------------------------------------------------------
// RSA

/** RFC 8017 §9.2 note 1: DER of DigestInfo { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING (digest) } up to the digest. */
const DIGEST_INFO_PREFIX: Readonly<Record<Hash, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const HASH_LENGTH: Readonly<Record<Hash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

function rsaOptions(info: SigningAlgorithmInfo, key: KeyObject) {
  return info.family === 'rsa-pss'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[info.hash!] }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

/** crypto.sign's callback form: the RSA private-key operation runs in libuv's thread pool. */
function rsaSignRaw(info: SigningAlgorithmInfo, key: KeyObject, message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    nodeSign(info.hash!, message, rsaOptions(info, key), (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new Error('not an RSA key');
  return bits;
}

/** RSASSA-PKCS1-v1_5 / RSASSA-PSS over a precomputed digest: EMSA encoding, then RSASP1 (RFC 8017 §8.1.1, §8.2.1). */
function rsaSignDigest(info: SigningAlgorithmInfo, key: KeyObject, digest: Buffer): Buffer {
  if (info.family === 'rsa-pkcs1') {
    // privateEncrypt with PKCS#1 padding is EMSA-PKCS1-v1_5's 00 01 FF..FF 00 || T followed by RSASP1.
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO_PREFIX[info.hash!], digest]));
  }
  const bits = modulusBits(key);
  const k = Math.ceil(bits / 8);
  const encoded = emsaPssEncode(info.hash!, digest, bits - 1);
  const block = encoded.length === k ? encoded : Buffer.concat([Buffer.alloc(k - encoded.length), encoded]);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, block);
}

function rsaVerifyDigest(info: SigningAlgorithmInfo, key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const bits = modulusBits(key);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  if (info.family === 'rsa-pkcs1') {
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    const expected = Buffer.concat([DIGEST_INFO_PREFIX[info.hash!], digest]);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  }
  const block = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  const emLength = Math.ceil((bits - 1) / 8);
  if (block.length < emLength || block.subarray(0, block.length - emLength).some((byte) => byte !== 0)) return false;
  return emsaPssVerify(info.hash!, digest, block.subarray(block.length - emLength), bits - 1);
}

/** RFC 8017 B.2.1 MGF1. */
function mgf1(hash: Hash, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, produced = 0; produced < length; i++, produced += HASH_LENGTH[hash]) {
    counter.writeUInt32BE(i);
    blocks.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** RFC 8017 §9.1.1 EMSA-PSS-ENCODE with MGF1(hash) and sLen = hLen. */
function emsaPssEncode(hash: Hash, mHash: Buffer, emBits: number): Buffer {
  const hLen = mHash.length;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new Error('encoding error');
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - sLen - hLen - 2] = 0x01;
  salt.copy(db, db.length - sLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RFC 8017 §9.1.2 EMSA-PSS-VERIFY with MGF1(hash) and sLen = hLen. */
function emsaPssVerify(hash: Hash, mHash: Buffer, em: Buffer, emBits: number): boolean {
  const hLen = mHash.length;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const unusedBits = 8 * emLen - emBits;
  if ((maskedDb[0]! & ~(0xff >>> unusedBits) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ mask[i]!;
  db[0]! &= 0xff >>> unusedBits;
  const separator = emLen - hLen - sLen - 2;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  if (db[separator] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return timingSafeEqual(h, expected);
}

// ---------------------------------------------------------------------------------------------------------
// ECDSA over a digest (@noble/curves)

function ecdsaCurve(noble: Noble, keySpec: string) {
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
function ecdsaSecretKey(pkcs8: Buffer): Uint8Array {
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
function spkiKeyBits(spki: Buffer): Uint8Array {
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
function ed25519phPrehash(message: Buffer): Buffer {
  return createHash('sha512').update(message).digest();
}

const ed25519Seeds = new WeakMap<Buffer, Uint8Array>();

/** The 32-byte Ed25519 private key (seed) of a PKCS#8 key. */
function ed25519Seed(pkcs8: Buffer): Uint8Array {
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

function mlDsa(noble: Noble, keySpec: string) {
  const algorithm = noble.ML_DSA_ALGORITHMS[keySpec as MlDsaSpec];
  if (!algorithm) throw new Error(`no ML-DSA parameter set for key spec ${keySpec}`);
  return algorithm;
}

const mlDsaSecretKeys = new WeakMap<Buffer, Uint8Array>();

/** The expanded ML-DSA secret key of a seed-form PKCS#8 key (FIPS 204 ML-DSA.KeyGen_internal), computed once. */
function mlDsaPrivate(noble: Noble, keySpec: string, pkcs8: Buffer) {
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

function mlDsaPublic(spki: Buffer): Uint8Array {
  let raw = mlDsaPublicKeys.get(spki);
  if (!raw) {
    raw = spkiKeyBits(spki);
    mlDsaPublicKeys.set(spki, raw);
  }
  return raw;
}
