import { KmsError, errors } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { assertImportable } from './getParametersForImport.js';
import type { ExpirationModel, KeyMaterialRecord } from '../store/records.js';
import { addMaterial, materialById } from '../store/regionStore.js';
import { importedMaterialId, unwrapKeyMaterial, type WrappingAlgorithm, type WrappingKeySpec } from '../crypto/keyImport.js';
import { MAX_VALID_TO_MS, currentMaterial, decodeImportToken, materialIdentity } from '../kms/imports.js';

export interface ImportKeyMaterialInput {
  KeyId: string;
  ImportToken: Buffer;
  EncryptedKeyMaterial: Buffer;
  ValidTo?: Date;
  ExpirationModel?: ExpirationModel;
  ImportType?: 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL';
  KeyMaterialDescription?: string;
  KeyMaterialId?: string;
}

/**
 * Imports (or reimports) key material into an EXTERNAL key (API reference ImportKeyMaterial; developer guide
 * "Importing key material"). Order of checks:
 * 1. the key and its origin / state (as GetParametersForImport, but an Updating key is allowed);
 * 2. ExpirationModel (default KEY_MATERIAL_EXPIRES) and ValidTo: EXPIRES without ValidTo →
 *    `A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES` (AWS-recorded); ValidTo with
 *    DOES_NOT_EXPIRE, in the past, or more than 365 days ahead → ValidationException (texts unconfirmed);
 * 3. ImportType (default NEW_KEY_MATERIAL for a key that never had material, else EXISTING_KEY_MATERIAL) and
 *    KeyMaterialId (symmetric keys only; not with NEW_KEY_MATERIAL) — texts unconfirmed;
 * 4. the import token: not one of this key's → InvalidImportTokenException, past ParametersValidTo →
 *    ExpiredImportTokenException (texts from the model's exception docs; unconfirmed);
 * 5. unwrapping → InvalidCiphertextException (no message) when it fails;
 * 6. the material's shape for the key spec (32 bytes; HMAC 28/32/48/64; PKCS#8 of the key's spec) and, for a
 *    reimport, its identity → IncorrectKeyMaterialException (text unconfirmed);
 * 7. NEW_KEY_MATERIAL into a symmetric key that has material: becomes pending rotation (RotateKeyOnDemand makes it
 *    current), refused while another material is pending (AWS-recorded text).
 * Response: KeyId (ARN) and KeyMaterialId (AWS-recorded for symmetric keys; kmslite omits it for HMAC and
 * asymmetric keys, which have no CurrentKeyMaterialId either — unconfirmed).
 */
export async function importKeyMaterial(input: ImportKeyMaterialInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  assertImportable(key, 'ImportKeyMaterial');
  const metadata = key.metadata;
  const symmetric = metadata.KeySpec === 'SYMMETRIC_DEFAULT';

  const expirationModel: ExpirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (expirationModel === 'KEY_MATERIAL_EXPIRES') {
    if (!input.ValidTo) throw errors.validation('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    const validToMs = input.ValidTo.getTime();
    if (validToMs <= context.now.getTime()) throw errors.validation('The validTo date must be in the future.');
    if (validToMs > context.now.getTime() + MAX_VALID_TO_MS) {
      throw errors.validation('The validTo date must be no more than 365 days in the future.');
    }
  } else if (input.ValidTo) {
    throw errors.validation('A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
  }

  const hasHistory = key.materials.length > 0;
  const importType = input.ImportType ?? (hasHistory ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL');
  if (input.KeyMaterialId !== undefined && !symmetric) {
    throw errors.validation('KeyMaterialId can only be used with symmetric encryption keys.');
  }
  if (input.KeyMaterialId !== undefined && importType === 'NEW_KEY_MATERIAL') {
    throw errors.validation('KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.');
  }
  if (importType === 'NEW_KEY_MATERIAL' && hasHistory && !symmetric) {
    throw errors.validation('ImportType NEW_KEY_MATERIAL can be used only once with asymmetric and HMAC keys.');
  }
  if (importType === 'NEW_KEY_MATERIAL' && hasHistory && metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA') {
    throw errors.validation('New key material cannot be imported into a replica key; import it into the primary key.');
  }

  const decoded = decodeImportToken(input.ImportToken);
  const parameters = decoded && decoded.keyId === metadata.KeyId ? key.importParameters?.find((entry) => entry.tokenId === decoded.tokenId) : undefined;
  if (!parameters) {
    throw new KmsError('InvalidImportTokenException', 'The import token is invalid or is associated with a different KMS key.');
  }
  if (parameters.validTo.getTime() <= context.now.getTime()) {
    throw new KmsError('ExpiredImportTokenException', 'The import token has expired. Use GetParametersForImport to get a new import token and public key.');
  }

  const material = await unwrapKeyMaterial(
    parameters.wrappingAlgorithm as WrappingAlgorithm,
    parameters.wrappingKeySpec as WrappingKeySpec,
    parameters.privateKey,
    input.EncryptedKeyMaterial,
  );
  if (!material) throw errors.invalidCiphertext();
  const identity = await materialIdentity(metadata.KeySpec, material);
  const incorrect = () =>
    new KmsError('IncorrectKeyMaterialException', 'The key material is invalid or is not the same key material that was previously imported into this KMS key.');
  if (!identity) throw incorrect();
  const id = importedMaterialId(metadata.KeyId, identity.identity);
  if (context.store.keys.get(metadata.KeyId) !== key) throw errors.notFound(`Key '${metadata.Arn}' does not exist`);

  const imported = {
    state: 'IMPORTED' as const,
    expirationModel,
    validTo: expirationModel === 'KEY_MATERIAL_EXPIRES' ? input.ValidTo : undefined,
    description: input.KeyMaterialDescription,
  };

  let target: KeyMaterialRecord;
  if (importType === 'EXISTING_KEY_MATERIAL') {
    const known = materialById(key, id) ?? (key.pendingMaterial?.id === id ? key.pendingMaterial : undefined);
    if (!known || (input.KeyMaterialId !== undefined && input.KeyMaterialId !== id)) throw incorrect();
    target = known;
    target.bytes = material;
    if (identity.publicKey) target.publicKey = identity.publicKey;
    target.imported = { ...imported, description: input.KeyMaterialDescription ?? target.imported?.description };
  } else if (!hasHistory) {
    target = { id, bytes: material, imported };
    if (identity.publicKey) target.publicKey = identity.publicKey;
    addMaterial(key, target);
    if (symmetric) metadata.CurrentKeyMaterialId = id;
  } else {
    if (materialById(key, id)) throw incorrect();
    if (key.pendingMaterial && key.pendingMaterial.id !== id) {
      throw new KmsError(
        'KMSInvalidStateException',
        `New key material (id: ${id}) cannot be imported into KMS key ${metadata.Arn}, because another key material (id: ${key.pendingMaterial.id}) is pending rotation.`,
      );
    }
    target = { id, bytes: material, imported };
    key.pendingMaterial = target;
  }

  if (target === currentMaterial(key)) {
    metadata.ExpirationModel = expirationModel;
    if (imported.validTo) metadata.ValidTo = imported.validTo;
    else delete metadata.ValidTo;
    if (metadata.KeyState === 'PendingImport') {
      metadata.KeyState = 'Enabled';
      metadata.Enabled = true;
    }
  }
  return { KeyId: metadata.Arn, KeyMaterialId: symmetric ? id : undefined };
}
