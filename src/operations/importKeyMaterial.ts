import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { importMaterial, type MaterialImportRequest } from '../kms/materialImport.js';

export interface ImportKeyMaterialInput extends MaterialImportRequest {
  KeyId: string;
}

/**
 * ImportKeyMaterial: the order of checks and what an import does are described at importMaterial
 * (src/kms/materialImport.ts). Response: KeyId (ARN) and KeyMaterialId (AWS-recorded for symmetric keys; kmslite
 * omits it for HMAC and asymmetric keys, which have no CurrentKeyMaterialId either — unconfirmed).
 */
export async function importKeyMaterial(input: ImportKeyMaterialInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const id = await importMaterial(context, key, input);
  return { KeyId: key.metadata.Arn, KeyMaterialId: key.metadata.KeySpec === 'SYMMETRIC_DEFAULT' ? id : undefined };
}
