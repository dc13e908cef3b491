import type { KeySpec, SigningAlgorithmSpec } from '@aws-sdk/client-kms';

/** node:crypto's name for the hash a KMS signing or MAC algorithm names (ECDSA_SHA_384 → sha384, HMAC_SHA_224 → sha224). */
export function nodeHashOf(algorithm: string): string {
  const bits = /_SHA_(224|256|384|512)$/.exec(algorithm)?.[1];
  if (bits === undefined) throw new Error(`no SHA-2 hash in ${algorithm}`);
  return `sha${bits}`;
}

/** LocalStack's test_sign_verify parameters (tests/aws/services/kms/test_kms.py): key spec and signing algorithm. */
export const LOCALSTACK_SIGN_VERIFY_CASES: [KeySpec, SigningAlgorithmSpec][] = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['RSA_2048', 'RSASSA_PSS_SHA_384'],
  ['RSA_2048', 'RSASSA_PSS_SHA_512'],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
];
