import { errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { keyStateError, originError } from '../kms/keyStates.js';
import type { KeyRecord } from '../store/records.js';
import { generateWrappingKeyPair, wrappingPairIsValid, type WrappingAlgorithm, type WrappingKeySpec } from '../crypto/keyImport.js';
import {
  IMPORT_PARAMETERS_LIFETIME_MS,
  MAX_IMPORT_PARAMETERS_PER_KEY,
  encodeImportToken,
  newTokenId,
} from '../kms/imports.js';

export interface GetParametersForImportInput {
  KeyId: string;
  WrappingAlgorithm: WrappingAlgorithm;
  WrappingKeySpec: WrappingKeySpec;
}

/**
 * A fresh wrapping key pair and an import token for an EXTERNAL key (API reference GetParametersForImport;
 * developer guide "Importing key material", step 2). The token is bound to this key and this wrapping key and is
 * valid 24 hours (ParametersValidTo). Response KeyId = key ARN (AWS-recorded).
 *
 * Checks, in order: the wrapping algorithm and key spec (RSAES_PKCS1_V1_5 is no longer supported since
 * 2023-10-10; SM2 / SM2PKE only in China Regions and only together — texts unconfirmed), the key (key id or
 * ARN), its origin (AWS_KMS → `<arn> origin is AWS_KMS which is not valid for this operation.`, AWS-recorded),
 * its state (pending deletion / creating / updating refused, Appendix B; Enabled and Disabled keys may reimport).
 */
export async function getParametersForImport(input: GetParametersForImportInput, context: OperationContext) {
  const algorithm = input.WrappingAlgorithm;
  const spec = input.WrappingKeySpec;
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw errors.validation('The RSAES_PKCS1_V1_5 wrapping algorithm is not supported. Use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.');
  }
  const china = context.store.partition === 'aws-cn';
  if (!china && (spec === 'SM2' || algorithm === 'SM2PKE')) {
    throw errors.validation(
      spec === 'SM2' ? 'WrappingKeySpec SM2 is supported only in China Regions.' : 'WrappingAlgorithm SM2PKE is supported only in China Regions.',
    );
  }
  if (!wrappingPairIsValid(algorithm, spec)) {
    throw errors.validation(`WrappingAlgorithm ${algorithm} is not compatible with WrappingKeySpec ${spec}.`);
  }
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  assertImportable(key);
  const pair = await generateWrappingKeyPair(spec);
  // Key generation yielded: look at the key again, so a concurrent deletion is not undone.
  if (context.store.keys.get(key.metadata.KeyId) !== key) throw errors.notFound(`Key '${key.metadata.Arn}' does not exist`);
  assertImportable(key);
  const tokenId = newTokenId();
  const validTo = new Date(context.now.getTime() + IMPORT_PARAMETERS_LIFETIME_MS);
  const kept = [...(key.importParameters ?? [])];
  kept.push({ tokenId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec, privateKey: pair.privateKey, validTo });
  key.importParameters = kept.slice(-MAX_IMPORT_PARAMETERS_PER_KEY);
  return {
    KeyId: key.metadata.Arn,
    ImportToken: encodeImportToken(key.metadata.KeyId, tokenId),
    PublicKey: pair.publicKey,
    ParametersValidTo: validTo,
  };
}

/**
 * GetParametersForImport / ImportKeyMaterial: the key must have Origin EXTERNAL ([9]) and not be pending
 * deletion ([8]), creating, unavailable or (GetParametersForImport only) updating (Appendix B).
 */
export function assertImportable(key: KeyRecord, operation: 'GetParametersForImport' | 'ImportKeyMaterial' = 'GetParametersForImport'): void {
  if (key.metadata.Origin !== 'EXTERNAL') throw originError(key);
  switch (key.metadata.KeyState) {
    case 'PendingDeletion':
    case 'PendingReplicaDeletion':
      throw keyStateError('pendingDeletion', key);
    case 'Creating':
      throw keyStateError('creating', key);
    case 'Updating':
      // Appendix B: ImportKeyMaterial is allowed on an Updating key, GetParametersForImport is not.
      if (operation === 'ImportKeyMaterial') return;
      throw keyStateError('updating', key);
    case 'Unavailable':
      throw keyStateError('unavailable', key);
    default:
      return;
  }
}
