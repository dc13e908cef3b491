import type {
  EncryptionAlgorithmSpec,
  KeyAgreementAlgorithmSpec,
  KeySpec,
  KeyUsageType,
  MacAlgorithmSpec,
  SigningAlgorithmSpec,
} from '../model/generated/enums.js';

/**
 * KeySpec × KeyUsage: which usages AWS allows for each key spec, and the algorithm lists KeyMetadata
 * shows for each pair (aws-kms-wire.md §9; AWS KMS developer guide "Key spec reference").
 */
export interface AlgorithmLists {
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  MacAlgorithms?: MacAlgorithmSpec[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithmSpec[];
}

const RSA: Partial<Record<KeyUsageType, AlgorithmLists>> = {
  ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] },
  SIGN_VERIFY: {
    SigningAlgorithms: [
      'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
      'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
    ],
  },
};

const nistCurve = (signing: SigningAlgorithmSpec): Partial<Record<KeyUsageType, AlgorithmLists>> => ({
  SIGN_VERIFY: { SigningAlgorithms: [signing] },
  KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] },
});

export const KEY_SPEC_USAGES: Readonly<Record<KeySpec, Partial<Record<KeyUsageType, AlgorithmLists>>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } },
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: nistCurve('ECDSA_SHA_256'),
  ECC_NIST_P384: nistCurve('ECDSA_SHA_384'),
  ECC_NIST_P521: nistCurve('ECDSA_SHA_512'),
  ECC_SECG_P256K1: { SIGN_VERIFY: { SigningAlgorithms: ['ECDSA_SHA_256'] } },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
  SM2: {
    ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SM2PKE'] },
    SIGN_VERIFY: { SigningAlgorithms: ['SM2DSA'] },
    KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] },
  },
  ML_DSA_44: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_65: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_87: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
  HMAC_224: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_224'] } },
  HMAC_256: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_256'] } },
  HMAC_384: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_384'] } },
  HMAC_512: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_512'] } },
};

// Every key's KeyMetadata holds these lists themselves, not copies (two objects, about 56 bytes a key, that were
// never changed): frozen, so a change made in place throws instead of reaching every key of the spec.
for (const usages of Object.values(KEY_SPEC_USAGES)) {
  for (const lists of Object.values(usages)) for (const list of Object.values(lists)) Object.freeze(list);
}
