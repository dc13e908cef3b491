/**
 * The kmslite symmetric ciphertext blob, format version 1. Documented in docs/contributing/ciphertext-format.md.
 *
 *   size  field
 *   1     format version (0x01)
 *   1     key id form: 0x00 UUID key id, 0x01 multi-Region key id (mrk-<32 hex>), 0x02 any other key id
 *   16    forms 0x00/0x01: the key id's 32 hex digits as 16 raw bytes
 *   1+n   form 0x02 instead: length byte, then the key id in UTF-8 (seeded keys may have free-form ids)
 *   32    key material id (the 64-hex KeyMaterialId as raw bytes)
 *   12    AES-GCM IV
 *   n     AES-256-GCM ciphertext (n = plaintext length)
 *   16    AES-GCM tag
 *
 * AES-GCM additional data = the header (everything before the ciphertext) || scope || canonical encryption
 * context; scope binds the blob to its account (and, for single-Region keys, its Region), so a blob copied
 * to another account or Region never decrypts there, while a multi-Region key's replicas share it.
 * Overhead for AWS-form key ids is 78 bytes: a 4096-byte plaintext gives 4174 bytes, inside KMS's 6144.
 */
export const BLOB_VERSION = 1;

const FORM_UUID = 0;
const FORM_MULTI_REGION = 1;
const FORM_OTHER = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION = /^mrk-[0-9a-f]{32}$/;
const TAG_LENGTH = 16;
const IV_LENGTH = 12;
const MATERIAL_ID_LENGTH = 32;

export interface BlobHeader {
  keyId: string;
  keyMaterialId: string;
  iv: Buffer;
}

export interface ParsedBlob extends BlobHeader {
  header: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function encodeHeader(header: BlobHeader): Buffer {
  return Buffer.concat([encodeHeaderPrefix(header.keyId, header.keyMaterialId), header.iv]);
}

/** The header without its IV: the same for every blob of one key material (symmetricEnvelope.ts keeps it). */
export function encodeHeaderPrefix(keyId: string, keyMaterialId: string): Buffer {
  let idBytes: Buffer;
  let form: number;
  if (UUID.test(keyId)) {
    form = FORM_UUID;
    idBytes = Buffer.from(keyId.replace(/-/g, ''), 'hex');
  } else if (MULTI_REGION.test(keyId)) {
    form = FORM_MULTI_REGION;
    idBytes = Buffer.from(keyId.slice(4), 'hex');
  } else {
    form = FORM_OTHER;
    const raw = Buffer.from(keyId, 'utf8');
    if (raw.length > 255) throw new Error('key id too long for a ciphertext blob');
    idBytes = Buffer.concat([Buffer.from([raw.length]), raw]);
  }
  return Buffer.concat([Buffer.from([BLOB_VERSION, form]), idBytes, Buffer.from(keyMaterialId, 'hex')]);
}

/** Returns undefined for anything that is not a well-formed version-1 blob. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 2 || blob[0] !== BLOB_VERSION) return undefined;
  let offset = 2;
  let keyId: string;
  switch (blob[1]) {
    case FORM_UUID: {
      if (blob.length < offset + 16) return undefined;
      keyId = uuidText(blob, offset);
      offset += 16;
      break;
    }
    case FORM_MULTI_REGION:
      if (blob.length < offset + 16) return undefined;
      keyId = `mrk-${blob.toString('hex', offset, offset + 16)}`;
      offset += 16;
      break;
    case FORM_OTHER: {
      const length = blob[offset]!;
      if (length === 0 || blob.length < offset + 1 + length) return undefined;
      keyId = blob.toString('utf8', offset + 1, offset + 1 + length);
      offset += 1 + length;
      break;
    }
    default:
      return undefined;
  }
  const headerEnd = offset + MATERIAL_ID_LENGTH + IV_LENGTH;
  if (blob.length < headerEnd + TAG_LENGTH) return undefined;
  return {
    keyId,
    keyMaterialId: blob.toString('hex', offset, offset + MATERIAL_ID_LENGTH),
    iv: blob.subarray(offset + MATERIAL_ID_LENGTH, headerEnd),
    header: blob.subarray(0, headerEnd),
    ciphertext: blob.subarray(headerEnd, blob.length - TAG_LENGTH),
    tag: blob.subarray(blob.length - TAG_LENGTH),
  };
}

/** Each byte value's two lowercase hex digits, as two latin1 character codes (low byte first). */
const HEX_DIGITS = new Uint16Array(256);
for (let value = 0; value < 256; value++) {
  const digits = value.toString(16).padStart(2, '0');
  HEX_DIGITS[value] = digits.charCodeAt(0) | (digits.charCodeAt(1) << 8);
}

/**
 * The 16 bytes at `offset` as a UUID's text (8-4-4-4-12 lowercase hex digits). Written as latin1 bytes and read as
 * one string: Decrypt looks the key up by this text, and slicing a hex string and joining the pieces with dashes
 * made a string of pieces that the lookup then had to flatten (about 0.3 µs more per Decrypt, measured).
 */
function uuidText(blob: Buffer, offset: number): string {
  const text = Buffer.allocUnsafe(36);
  let position = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[position++] = 0x2d; // '-'
    const digits = HEX_DIGITS[blob[offset + i]!]!;
    text[position++] = digits & 0xff;
    text[position++] = digits >> 8;
  }
  return text.toString('latin1');
}
