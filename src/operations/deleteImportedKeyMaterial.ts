import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { deleteImportedMaterial } from '../kms/materialImport.js';

export interface DeleteImportedKeyMaterialInput {
  KeyId: string;
  KeyMaterialId?: string;
}

/**
 * Deletes imported key material (API reference DeleteImportedKeyMaterial): the named material, or the current one
 * when KeyMaterialId is absent. Deleting the current material puts the key in PendingImport (a key pending
 * deletion keeps its state), removes ExpirationModel / ValidTo from KeyMetadata and keeps CurrentKeyMaterialId
 * (AWS-recorded). Reimporting the same material restores the key; ciphertexts made before decrypt again.
 * Deleting material pending rotation withdraws it; deleting an older material leaves the key's state alone and
 * makes the ciphertexts under it undecryptable until it is reimported (both unconfirmed).
 *
 * Checks: the key (key id or ARN), origin EXTERNAL ([9] `<arn> origin is AWS_KMS which is not valid for this
 * operation.`), state (Creating / Updating refused; every other state allowed, PendingImport with no effect —
 * Appendix B), KeyMaterialId known to the key (else NotFoundException; text unconfirmed).
 * Response: KeyId (ARN) and KeyMaterialId of the deleted material (symmetric keys; unconfirmed for others).
 */
export function deleteImportedKeyMaterial(input: DeleteImportedKeyMaterialInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const target = deleteImportedMaterial(key, input.KeyMaterialId);
  return { KeyId: key.metadata.Arn, KeyMaterialId: key.metadata.KeySpec === 'SYMMETRIC_DEFAULT' ? target?.id : undefined };
}
