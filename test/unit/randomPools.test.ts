/**
 * GenerateDataKey's plaintexts come from a pool of random bytes (src/crypto/symmetric.ts, newDataKeyBytes):
 * every length is served whole, across pool refills, no two answers share bytes, and each is the caller's own copy.
 */
import { newDataKeyBytes, writeIv } from '../../src/crypto/symmetric.js';

test('pooled data keys have the asked length, also across refills of the pool, and up to 1,024 bytes', () => {
  const lengths = [1, 16, 32, 1024, 1000, 7, 1024, 1024, 1024, 1024, 33];
  for (let round = 0; round < 20; round++) {
    for (const length of lengths) expect(newDataKeyBytes(length)).toHaveLength(length);
  }
  expect(newDataKeyBytes(5000)).toHaveLength(5000);
});

test('pooled data keys are distinct, and each is its own buffer', () => {
  const keys = Array.from({ length: 1000 }, () => newDataKeyBytes(32));
  expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(1000);
  const next = newDataKeyBytes(32);
  const copy = Buffer.from(next);
  keys[keys.length - 1]!.fill(0);
  expect(next.equals(copy)).toBe(true);
  expect(next.equals(Buffer.alloc(32))).toBe(false);
});

test('IVs are written into the blob: only the 12 bytes at the offset change, and they differ across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const blob = Buffer.alloc(40, 0xee);
    writeIv(blob, 20);
    expect(blob.subarray(0, 20).equals(Buffer.alloc(20, 0xee))).toBe(true);
    expect(blob.subarray(32).equals(Buffer.alloc(8, 0xee))).toBe(true);
    seen.add(blob.toString('hex', 20, 32));
  }
  expect(seen.size).toBe(1000);
});
