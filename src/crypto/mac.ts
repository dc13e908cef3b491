/**
 * HMAC (RFC 2104) for KMS's HMAC keys: GenerateMac and VerifyMac. Pure functions over node:crypto.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MacAlgorithmSpec } from '../model/generated/enums.js';

/** node:crypto digest name per KMS MAC algorithm. */
export const MAC_DIGESTS: Readonly<Record<MacAlgorithmSpec, string>> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

/** The standard, raw HMAC of `message` under `key` (as long as the digest: 28, 32, 48 or 64 bytes). */
export function hmac(algorithm: MacAlgorithmSpec, key: Buffer, message: Buffer): Buffer {
  return createHmac(MAC_DIGESTS[algorithm], key).update(message).digest();
}

/** Recomputes the HMAC and compares in constant time; a MAC of another length is simply not equal. */
export function verifyHmac(algorithm: MacAlgorithmSpec, key: Buffer, message: Buffer, mac: Buffer): boolean {
  const expected = hmac(algorithm, key, message);
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
