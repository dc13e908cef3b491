import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION_KEY_ID = /^mrk-[0-9a-f]{32}$/;

export function newKeyId(): string {
  return randomUUID();
}

export function newMultiRegionKeyId(): string {
  return `mrk-${randomBytes(16).toString('hex')}`;
}

/** AWS answers `Invalid keyId '<id>'` for anything that is not one of these two forms. */
export function isWellFormedKeyId(value: string): boolean {
  return KEY_ID.test(value) || MULTI_REGION_KEY_ID.test(value);
}

export function isMultiRegionKeyId(value: string): boolean {
  return value.startsWith('mrk-');
}

export function newRequestId(): string {
  return flatUuid();
}

const UUID_POOL = Buffer.allocUnsafe(16 * 256);
let uuidPoolOffset = UUID_POOL.length;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const UUID_TEXT = Buffer.allocUnsafe(36);

/**
 * A random (version 4) UUID as one flat string. node:crypto's randomUUID builds its answer from many small
 * pieces (a rope of about 1 KB of heap until it is flattened); request ids and audit event ids are kept by
 * the audit trail for thousands of requests, so they are built flat here, from the same kind of cached
 * CSPRNG bytes randomUUID uses.
 */
export function flatUuid(): string {
  if (uuidPoolOffset === UUID_POOL.length) {
    randomFillSync(UUID_POOL);
    uuidPoolOffset = 0;
  }
  const offset = uuidPoolOffset;
  uuidPoolOffset += 16;
  UUID_POOL[offset + 6] = (UUID_POOL[offset + 6]! & 0x0f) | 0x40;
  UUID_POOL[offset + 8] = (UUID_POOL[offset + 8]! & 0x3f) | 0x80;
  let out = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) UUID_TEXT[out++] = 0x2d;
    const byte = UUID_POOL[offset + i]!;
    UUID_TEXT[out++] = HEX_DIGITS[byte >> 4]!;
    UUID_TEXT[out++] = HEX_DIGITS[byte & 15]!;
  }
  return UUID_TEXT.toString('latin1', 0, 36);
}
