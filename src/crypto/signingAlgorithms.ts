/**
 * The KMS signing algorithms as data: for each, its family, hash, the message types it takes and the length of a
 * DIGEST / EXTERNAL_MU message (what Sign and Verify check before signing; signing.ts says how each is computed).
 */
export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256' | 'RSASSA_PSS_SHA_384' | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512' | 'ED25519_PH_SHA_512'
  | 'ML_DSA_SHAKE_256'
  | 'SM2DSA';

export type SigningMessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

export type Hash = 'sha256' | 'sha384' | 'sha512';
export type Family = 'rsa-pss' | 'rsa-pkcs1' | 'ecdsa' | 'ed25519' | 'ed25519ph' | 'ml-dsa' | 'sm2';

export interface SigningAlgorithmInfo {
  family: Family;
  /** The hash of the algorithm (RSA, ECDSA). */
  hash?: Hash;
  /** The message types the algorithm takes. */
  messageTypes: readonly SigningMessageType[];
  /** Length in bytes of a DIGEST (or, for ML-DSA, of an EXTERNAL_MU μ) message. */
  digestLength: number;
}

const rsa = (family: 'rsa-pss' | 'rsa-pkcs1', hash: Hash, digestLength: number): SigningAlgorithmInfo => ({
  family, hash, digestLength, messageTypes: ['RAW', 'DIGEST'],
});

export const SIGNING_ALGORITHMS: Readonly<Record<SigningAlgorithm, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: rsa('rsa-pss', 'sha256', 32),
  RSASSA_PSS_SHA_384: rsa('rsa-pss', 'sha384', 48),
  RSASSA_PSS_SHA_512: rsa('rsa-pss', 'sha512', 64),
  RSASSA_PKCS1_V1_5_SHA_256: rsa('rsa-pkcs1', 'sha256', 32),
  RSASSA_PKCS1_V1_5_SHA_384: rsa('rsa-pkcs1', 'sha384', 48),
  RSASSA_PKCS1_V1_5_SHA_512: rsa('rsa-pkcs1', 'sha512', 64),
  ECDSA_SHA_256: { family: 'ecdsa', hash: 'sha256', digestLength: 32, messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_384: { family: 'ecdsa', hash: 'sha384', digestLength: 48, messageTypes: ['RAW', 'DIGEST'] },
  ECDSA_SHA_512: { family: 'ecdsa', hash: 'sha512', digestLength: 64, messageTypes: ['RAW', 'DIGEST'] },
  // AWS: "the ED25519_SHA_512 signing algorithm requires MessageType:RAW, while ED25519_PH_SHA_512 requires
  // MessageType:DIGEST. These message types cannot be used interchangeably." (CreateKey KeySpec docs)
  ED25519_SHA_512: { family: 'ed25519', digestLength: 64, messageTypes: ['RAW'] },
  ED25519_PH_SHA_512: { family: 'ed25519ph', digestLength: 64, messageTypes: ['DIGEST'] },
  // AWS: RAW (up to 4 KB) or EXTERNAL_MU (the 64-byte μ of FIPS 204 §6.2); not the HashML-DSA of §5.4.
  ML_DSA_SHAKE_256: { family: 'ml-dsa', digestLength: 64, messageTypes: ['RAW', 'EXTERNAL_MU'] },
  // SM3 digests are 32 bytes; with DIGEST the caller gives e = SM3(Z_A || M) (./sm2.ts).
  SM2DSA: { family: 'sm2', digestLength: 32, messageTypes: ['RAW', 'DIGEST'] },
};
