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
 * The algorithm table is signingAlgorithms.ts; the RSA paths are rsaSigning.ts; the paths over the noble libraries
 * (ECDSA over a digest, Ed25519ph, ML-DSA) are nobleSigning.ts.
 *
 * MessageType DIGEST means the message is already the hash: it is not hashed again (except for Ed25519ph, above). node:crypto cannot sign or
 * verify a precomputed digest (Node 20 always hashes), so DIGEST uses, for RSA, the PKCS#1 encodings over
 * node's raw RSA primitive (privateEncrypt / publicDecrypt) and, for ECDSA, @noble/curves with prehash off.
 * RAW signing with RSA keys uses node's asynchronous crypto.sign, which runs in libuv's thread pool; the
 * DIGEST path's raw RSA operation (privateEncrypt) has no asynchronous form in Node 20 and runs inline.
 */
import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from './keyPairs.js';
import { loadNoble, loadSm2 } from './lazyNoble.js';
import { SIGNING_ALGORITHMS, type Family, type SigningAlgorithm, type SigningAlgorithmInfo, type SigningMessageType } from './signingAlgorithms.js';
import { rsaOptions, rsaSignDigest, rsaSignRaw, rsaVerifyDigest } from './rsaSigning.js';
import { ecdsaCurve, ecdsaSecretKey, ed25519phPrehash, ed25519Seed, mlDsa, mlDsaPrivate, mlDsaPublic, spkiKeyBits } from './nobleSigning.js';

export { SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningAlgorithmInfo, type SigningMessageType };

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
