import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { currentPublicKey } from '../kms/keyUsage.js';

export interface GetPublicKeyInput {
  KeyId: string;
  GrantTokens?: string[];
}

/**
 * The public key of an asymmetric key, as DER SubjectPublicKeyInfo, with the key's spec, usage and
 * algorithm lists as DescribeKey shows them. Symmetric and HMAC keys have none (currentPublicKey).
 */
export function getPublicKey(input: GetPublicKeyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const metadata = key.metadata;
  const publicKey = currentPublicKey(key);
  return {
    KeyId: metadata.Arn,
    PublicKey: publicKey,
    CustomerMasterKeySpec: metadata.CustomerMasterKeySpec,
    KeySpec: metadata.KeySpec,
    KeyUsage: metadata.KeyUsage,
    EncryptionAlgorithms: metadata.EncryptionAlgorithms,
    SigningAlgorithms: metadata.SigningAlgorithms,
    KeyAgreementAlgorithms: metadata.KeyAgreementAlgorithms,
  };
}
