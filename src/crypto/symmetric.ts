import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256-GCM with a 96-bit random IV and a 128-bit tag. Pure functions over node:crypto. */

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;

export interface GcmSealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Encrypts `plaintext` into `out` at `offset`: the ciphertext, then the 16-byte tag. The additional data is the
 * concatenation of `aad`, given in parts so callers need not copy them into one buffer (GCM takes additional data
 * in pieces: the same tag as one setAAD of the whole). Writing into the caller's buffer saves a copy of the blob.
 */
export function aesGcmEncryptInto(key: Buffer, iv: Buffer, aad: readonly Buffer[], plaintext: Buffer, out: Buffer, offset: number): void {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  for (const part of aad) cipher.setAAD(part);
  const ciphertext = cipher.update(plaintext);
  out.set(ciphertext, offset);
  // GCM is a stream mode: final() adds no bytes, so the update output is the whole ciphertext.
  const rest = cipher.final();
  out.set(rest, offset + ciphertext.length);
  out.set(cipher.getAuthTag(), offset + ciphertext.length + rest.length);
}

/**
 * Returns undefined when authentication fails (wrong key, context, or tampered bytes). The additional data is the
 * concatenation of `aad` (see aesGcmEncryptInto).
 */
export function aesGcmDecrypt(key: Buffer, sealed: GcmSealed, aad: readonly Buffer[]): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    for (const part of aad) decipher.setAAD(part);
    decipher.setAuthTag(sealed.tag);
    const plaintext = decipher.update(sealed.ciphertext);
    // final() checks the tag; GCM gives no bytes there, so the update output is the plaintext (no copy).
    const rest = decipher.final();
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    return undefined;
  }
}

/**
 * Random bytes handed out once each from a buffer refilled `size` bytes at a time: one randomBytes call per
 * request is a synchronous crypto job with its own wrapper object and ArrayBuffer (measured below), a slice of the
 * pool well under 1 µs.
 */
class RandomPool {
  #pool = Buffer.alloc(0);
  #offset = 0;
  constructor(private readonly size: number) {}

  /** The next `length` (≤ size) bytes, as a view of the pool; they are never handed out again. */
  view(length: number): Buffer {
    this.#reserve(length);
    const bytes = this.#pool.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return bytes;
  }

  /** Copies the next `length` (≤ size) bytes into `target` at `offset`; they are never handed out again. */
  copyInto(target: Buffer, offset: number, length: number): void {
    this.#reserve(length);
    this.#pool.copy(target, offset, this.#offset, this.#offset + length);
    this.#offset += length;
  }

  #reserve(length: number): void {
    if (this.#offset + length > this.#pool.length) {
      this.#pool = randomBytes(this.size);
      this.#offset = 0;
    }
  }
}

/**
 * 96-bit GCM IVs: one randomBytes(12) call per request cost about 10 µs of CPU (a third of Encrypt's own work).
 * Each IV is copied out of the pool into the ciphertext blob, so a pool buffer is never shared with a ciphertext.
 */
const ivPool = new RandomPool(4096 - (4096 % IV_LENGTH));

/** Writes a fresh random IV into `target` at `offset`. */
export function writeIv(target: Buffer, offset: number): void {
  ivPool.copyInto(target, offset, IV_LENGTH);
}

/**
 * Data keys (GenerateDataKey's plaintext, 1 to 1,024 bytes): randomBytes(32) per request took about 15 % of
 * GenerateDataKey's CPU in a profile. The copy is the caller's own buffer.
 */
const DATA_KEY_POOL_BYTES = 4096;
const dataKeyPool = new RandomPool(DATA_KEY_POOL_BYTES);

export function newDataKeyBytes(length: number): Buffer {
  return length > DATA_KEY_POOL_BYTES ? randomBytes(length) : Buffer.from(dataKeyPool.view(length));
}

/**
 * New AES-256 keys, 128 keys to 4 KiB: a key lives as long as its record, and randomBytes(32) gives each key its
 * own ArrayBuffer and native backing store (about 300 bytes of memory beyond the 32 of the key: 3 MiB for 10,000
 * keys). The pool holds only key material, and each key is a view of its own 32 bytes (nothing in kmslite reads a
 * Buffer's underlying `.buffer`).
 */
const keyPool = new RandomPool(4096);

export function generateSymmetricKeyMaterial(): Buffer {
  return keyPool.view(32);
}

/**
 * AWS identifies key material with 64 lowercase hex characters. kmslite derives it from the material
 * itself (one-way), so a seeded key has the same KeyMaterialId on every machine, and ciphertexts that
 * name it keep decrypting anywhere the same seed is loaded.
 */
export function keyMaterialIdFor(material: Buffer): string {
  return createHash('sha256').update('kmslite key material id\0').update(material).digest('hex');
}
