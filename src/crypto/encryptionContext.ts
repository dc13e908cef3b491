/**
 * Canonical, unambiguous encoding of an encryption context, bound as AES-GCM additional data.
 *
 * Pairs are sorted by the UTF-8 bytes of the key, and every key and value is length-prefixed, so
 * `{a: "bc"}` and `{ab: "c"}` encode differently (local-kms, LocalStack and moto concatenate pairs
 * without separators and cannot tell those apart).
 *
 *   u32be pair count, then per pair: u32be keyLength, key bytes, u32be valueLength, value bytes
 */
export type EncryptionContext = Readonly<Record<string, string>>;

const EMPTY = Buffer.alloc(4);

export function encodeEncryptionContext(context: EncryptionContext | undefined): Buffer {
  if (!context) return EMPTY;
  const entries = Object.entries(context).map(([key, value]) => [Buffer.from(key, 'utf8'), Buffer.from(value, 'utf8')] as const);
  if (entries.length === 0) return EMPTY;
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 4;
  for (const [key, value] of entries) size += 8 + key.length + value.length;
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(entries.length, 0);
  let offset = 4;
  for (const [key, value] of entries) {
    out.writeUInt32BE(key.length, offset);
    offset += 4;
    offset += key.copy(out, offset);
    out.writeUInt32BE(value.length, offset);
    offset += 4;
    offset += value.copy(out, offset);
  }
  return out;
}

/**
 * local-kms's encoding (keys sorted, each key immediately followed by its value, no separators).
 * Used only to decrypt ciphertexts that local-kms produced, so users' existing fixtures keep working.
 */
export function encodeLocalKmsEncryptionContext(context: EncryptionContext | undefined): Buffer {
  if (!context) return Buffer.alloc(0);
  const keys = Object.keys(context).sort();
  return Buffer.from(keys.map((key) => key + context[key]).join(''), 'utf8');
}
