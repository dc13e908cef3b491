/**
 * Ciphertext blobs made by local-kms (nsmithuk/local-kms), so users' existing fixtures keep decrypting
 * when the same key material is seeded into kmslite:
 *
 *   [1 byte N = length of key ARN][N bytes key ARN][4 bytes little-endian backing-key index][12 bytes nonce]
 *   [AES-256-GCM ciphertext || 16-byte tag]
 *
 * with the encryption context as local-kms encodes it (see encodeLocalKmsEncryptionContext).
 */
export interface LocalKmsBlob {
  keyArn: string;
  backingKeyIndex: number;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function parseLocalKmsBlob(blob: Buffer): LocalKmsBlob | undefined {
  const arnLength = blob[0];
  if (arnLength === undefined || arnLength < 20) return undefined;
  const rest = 1 + arnLength + 4 + 12 + 16;
  if (blob.length < rest) return undefined;
  const keyArn = blob.toString('latin1', 1, 1 + arnLength);
  if (!keyArn.startsWith('arn:aws') || !keyArn.includes(':kms:')) return undefined;
  const indexOffset = 1 + arnLength;
  return {
    keyArn,
    backingKeyIndex: blob.readUInt32LE(indexOffset),
    iv: blob.subarray(indexOffset + 4, indexOffset + 16),
    ciphertext: blob.subarray(indexOffset + 16, blob.length - 16),
    tag: blob.subarray(blob.length - 16),
  };
}
