/**
 * RSA signatures for signing.ts. RAW: node's asynchronous crypto.sign, which runs in libuv's thread pool.
 * DIGEST (the message is already the hash): node:crypto cannot sign a precomputed digest (Node 20 always hashes), so
 * the RFC 8017 encodings (EMSA-PKCS1-v1_5's DigestInfo, EMSA-PSS with MGF1 and salt length = digest length, what
 * AWS does) are written here over node's raw RSA primitive (privateEncrypt / publicDecrypt), which has no
 * asynchronous form in Node 20 and runs inline.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, sign as nodeSign, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Hash, SigningAlgorithmInfo } from './signingAlgorithms.js';

/** RFC 8017 §9.2 note 1: DER of DigestInfo { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING (digest) } up to the digest. */
const DIGEST_INFO_PREFIX: Readonly<Record<Hash, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const HASH_LENGTH: Readonly<Record<Hash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

export function rsaOptions(info: SigningAlgorithmInfo, key: KeyObject) {
  return info.family === 'rsa-pss'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[info.hash!] }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

/** crypto.sign's callback form: the RSA private-key operation runs in libuv's thread pool. */
export function rsaSignRaw(info: SigningAlgorithmInfo, key: KeyObject, message: Buffer): Promise<Buffer> {
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
export function rsaSignDigest(info: SigningAlgorithmInfo, key: KeyObject, digest: Buffer): Buffer {
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

export function rsaVerifyDigest(info: SigningAlgorithmInfo, key: KeyObject, digest: Buffer, signature: Buffer): boolean {
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
