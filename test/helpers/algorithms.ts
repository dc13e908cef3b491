/** node:crypto's name for the hash a KMS signing or MAC algorithm names (ECDSA_SHA_384 → sha384, HMAC_SHA_224 → sha224). */
export function nodeHashOf(algorithm: string): string {
  const bits = /_SHA_(224|256|384|512)$/.exec(algorithm)?.[1];
  if (bits === undefined) throw new Error(`no SHA-2 hash in ${algorithm}`);
  return `sha${bits}`;
}
