import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';

export interface GetPublicKeyInput {
  KeyId: string;
  GrantTokens?: string[];
}

/**
 * The public key of an asymmetric key, as DER SubjectPublicKeyInfo, with the key's spec, usage and
 * algorithm lists as DescribeKey shows them. Symmetric and HMAC keys have none: UnsupportedOperationException
 * (the text follows AWS's "origin is ... which is not valid for this operation" pattern; unconfirmed).
 */
export function getPublicKey(input: GetPublicKeyInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const metadata = key.metadata;
  const publicKey = key.materials[key.materials.length - 1]?.publicKey;
  if (!publicKey) {
    throw new KmsError('UnsupportedOperationException', `${metadata.Arn} key spec is ${metadata.KeySpec} which is not valid for this operation.`);
  }
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
