/**
 * Reading the key id back from a ciphertext blob's header (src/crypto/ciphertextBlob.ts): the UUID form's text is
 * written digit by digit from a table, so every byte value in every position is checked against the plain hex form.
 */
import { encodeHeaderPrefix, parseBlob } from '../../src/crypto/ciphertextBlob.js';

const MATERIAL_ID = 'ab'.repeat(32);

function blobFor(keyId: string): Buffer {
  // Header prefix, a 12-byte IV, a 1-byte ciphertext and a 16-byte tag: the smallest well-formed blob.
  return Buffer.concat([encodeHeaderPrefix(keyId, MATERIAL_ID), Buffer.alloc(12, 1), Buffer.alloc(1, 2), Buffer.alloc(16, 3)]);
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

test('a UUID key id reads back exactly, for every byte value in every position', () => {
  for (let value = 0; value < 256; value++) {
    const keyId = uuidOf(Buffer.from(Array.from({ length: 16 }, (_, position) => (value + position * 17) & 0xff)));
    const blob = blobFor(keyId);
    expect(blob[1]).toBe(0);
    const parsed = parseBlob(blob)!;
    expect(parsed.keyId).toBe(keyId);
    expect(parsed.keyMaterialId).toBe(MATERIAL_ID);
  }
});

test('multi-Region and free-form key ids read back exactly', () => {
  for (const keyId of ['mrk-0123456789abcdef0123456789abcdef', 'seeded-free-form', 'ÄBC-1234-not-a-uuid', '0123456789ABCDEF0123456789ABCDEF0123']) {
    expect(parseBlob(blobFor(keyId))!.keyId).toBe(keyId);
  }
});
