/**
 * ECDH key agreement for KMS's KEY_AGREEMENT keys (DeriveSharedSecret): the raw shared secret of
 * SP 800-56A's ECC CDH primitive — the x coordinate of d·Q, big-endian, padded to the field size
 * (32, 48, 66 bytes for P-256, P-384, P-521), no KDF. Pure functions over node:crypto.
 */
import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { privateKeyObject } from './keyPairs.js';
import { readTlv } from './der.js';

/**
 * The peer's DER SubjectPublicKeyInfo as a node:crypto EC public key on `namedCurve` (OpenSSL name), or
 * undefined when it is not one: not DER, trailing bytes, not an EC key, explicit curve parameters, another
 * curve, or a point that is not on the curve (OpenSSL checks that when it decodes the point).
 */
export function peerEcPublicKey(spki: Buffer, namedCurve: string): KeyObject | undefined {
  try {
    const outer = readTlv(spki);
    if (outer.tag !== 0x30 || outer.end !== spki.length) return undefined;
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== namedCurve) return undefined;
    return key;
  } catch {
    return undefined;
  }
}

/**
 * Raw ECDH shared secret between a PKCS#8 private key on `namedCurve` and a peer's SPKI public key;
 * undefined when the peer key is not a valid public key on the same curve.
 */
export function ecdhSharedSecret(privateKeyPkcs8: Buffer, peerPublicKeySpki: Buffer, namedCurve: string): Buffer | undefined {
  const publicKey = peerEcPublicKey(peerPublicKeySpki, namedCurve);
  if (!publicKey) return undefined;
  try {
    return diffieHellman({ privateKey: privateKeyObject(privateKeyPkcs8), publicKey });
  } catch {
    return undefined;
  }
}
