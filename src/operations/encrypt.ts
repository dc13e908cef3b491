import { errors } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { assertEncryptionAlgorithm, assertKeyUsage } from './_shared/keyUsage.js';
import { sealSymmetric } from './_shared/symmetricEnvelope.js';
import { recordUsage } from './_shared/usage.js';
import { assertSymmetric } from './_shared/symmetricOnly.js';

export interface EncryptInput {
  KeyId: string;
  Plaintext: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

export function encrypt(input: EncryptInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  assertKeyUsage(key, 'ENCRYPT_DECRYPT', 'Encrypt');
  const algorithm = assertEncryptionAlgorithm(key, input.EncryptionAlgorithm);
  assertSymmetric(key);
  if (input.DryRun) throw errors.dryRun();
  const sealed = sealSymmetric(key, input.Plaintext, input.EncryptionContext);
  recordUsage(key, context);
  return { CiphertextBlob: sealed.ciphertextBlob, KeyId: key.metadata.Arn, EncryptionAlgorithm: algorithm };
}
