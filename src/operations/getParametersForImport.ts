import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import type { WrappingAlgorithm, WrappingKeySpec } from '../crypto/keyImport.js';
import { encodeImportToken } from '../kms/imports.js';
import { checkWrappingChoice, issueImportParameters } from '../kms/materialImport.js';

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
  checkWrappingChoice(input.WrappingAlgorithm, input.WrappingKeySpec, context.store.partition);
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const issued = await issueImportParameters(context, key, input.WrappingAlgorithm, input.WrappingKeySpec);
  return {
    KeyId: key.metadata.Arn,
    ImportToken: encodeImportToken(key.metadata.KeyId, issued.tokenId),
    PublicKey: issued.publicKey,
    ParametersValidTo: issued.validTo,
  };
}
