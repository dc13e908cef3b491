import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256-GCM with a 96-bit random IV and a 128-bit tag. Pure functions over node:crypto. */

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;

export interface GcmSealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function aesGcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer, iv: Buffer = newIv()): GcmSealed {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const updated = cipher.update(plaintext);
  // GCM is a stream mode: final() adds no bytes, so the update output is the ciphertext (no copy).
  const rest = cipher.final();
  const ciphertext = rest.length === 0 ? updated : Buffer.concat([updated, rest]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Returns undefined when authentication fails (wrong key, context, or tampered bytes). */
export function aesGcmDecrypt(key: Buffer, sealed: GcmSealed, aad: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * 96-bit GCM IVs, cut from a pool of random bytes refilled 4 KiB at a time: one randomBytes(12) call per
 * request cost about 10 µs of CPU (a third of Encrypt's own work), a slice of the pool well under 1 µs.
 * Each IV is copied out of the pool, so a pool buffer is never shared with a ciphertext.
 */
const IV_POOL_BYTES = 4096 - (4096 % IV_LENGTH);
let ivPool = Buffer.alloc(0);
let ivPoolOffset = 0;

export function newIv(): Buffer {
  if (ivPoolOffset + IV_LENGTH > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivPoolOffset, ivPoolOffset + IV_LENGTH));
  ivPoolOffset += IV_LENGTH;
  return iv;
}

/**
 * Data keys (GenerateDataKey's plaintext, 1 to 1,024 bytes) are copied out of a pool of random bytes refilled
 * 4 KiB at a time, as the IVs are: randomBytes(32) per request took about 15 % of GenerateDataKey's CPU in a
 * profile (a synchronous crypto job per call). Each byte of the pool is handed out once, and the copy is the
 * caller's own buffer.
 */
const DATA_KEY_POOL_BYTES = 4096;
let dataKeyPool = Buffer.alloc(0);
let dataKeyPoolOffset = 0;

export function newDataKeyBytes(length: number): Buffer {
  if (length > DATA_KEY_POOL_BYTES) return randomBytes(length);
  if (dataKeyPoolOffset + length > dataKeyPool.length) {
    dataKeyPool = randomBytes(DATA_KEY_POOL_BYTES);
    dataKeyPoolOffset = 0;
  }
  const bytes = Buffer.from(dataKeyPool.subarray(dataKeyPoolOffset, dataKeyPoolOffset + length));
  dataKeyPoolOffset += length;
  return bytes;
}

/**
 * New AES-256 keys are cut from a pool of random bytes too, 128 keys to 4 KiB: a key lives as long as its
 * record, and randomBytes(32) gives each key its own ArrayBuffer and native backing store (about 300 bytes of
 * memory beyond the 32 of the key: 3 MiB for 10,000 keys). A pool holds only key material, and each key is a
 * view of its own 32 bytes (nothing in kmslite reads a Buffer's underlying `.buffer`).
 */
const KEY_BYTES = 32;
const KEY_POOL_BYTES = 4096;
let keyPool = Buffer.alloc(0);
let keyPoolOffset = 0;

export function generateSymmetricKeyMaterial(): Buffer {
  if (keyPoolOffset + KEY_BYTES > keyPool.length) {
    keyPool = randomBytes(KEY_POOL_BYTES);
    keyPoolOffset = 0;
  }
  const key = keyPool.subarray(keyPoolOffset, keyPoolOffset + KEY_BYTES);
  keyPoolOffset += KEY_BYTES;
  return key;
}

/**
 * AWS identifies key material with 64 lowercase hex characters. kmslite derives it from the material
 * itself (one-way), so a seeded key has the same KeyMaterialId on every machine, and ciphertexts that
 * name it keep decrypting anywhere the same seed is loaded.
 */
export function keyMaterialIdFor(material: Buffer): string {
  return createHash('sha256').update('kmslite key material id\0').update(material).digest('hex');
}
