/**
 * The steps GetParametersForImport and ImportKeyMaterial take on an EXTERNAL key: which keys accept an import,
 * which wrapping choices are valid, issuing a wrapping key pair with its token, and importing (or reimporting)
 * unwrapped key material into the key's material list. The shared rules they build on (tokens, the shape of
 * material per key spec, removing material) are in imports.ts.
 */
import { KmsError, errors } from '../protocol/errors.js';
import type { ExpirationModel, KeyMaterialRecord, KeyRecord } from '../store/records.js';
import { addMaterial, materialById } from '../store/regionStore.js';
import {
  generateWrappingKeyPair,
  importedMaterialId,
  unwrapKeyMaterial,
  wrappingPairIsValid,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '../crypto/keyImport.js';
import type { OperationContext } from './context.js';
import { keyStateError, originError } from './keyStates.js';
import {
  IMPORT_PARAMETERS_LIFETIME_MS,
  MAX_IMPORT_PARAMETERS_PER_KEY,
  MAX_VALID_TO_MS,
  currentMaterial,
  decodeImportToken,
  materialIdentity,
  newTokenId,
  removeImportedMaterial,
} from './imports.js';

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

/**
 * GetParametersForImport's wrapping choice, checked before the key is looked up: RSAES_PKCS1_V1_5 is no longer
 * supported since 2023-10-10; SM2 / SM2PKE only in China Regions and only together (texts unconfirmed).
 */
export function checkWrappingChoice(algorithm: WrappingAlgorithm, spec: WrappingKeySpec, partition: string): void {
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw errors.validation('The RSAES_PKCS1_V1_5 wrapping algorithm is not supported. Use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.');
  }
  const china = partition === 'aws-cn';
  if (!china && (spec === 'SM2' || algorithm === 'SM2PKE')) {
    throw errors.validation(
      spec === 'SM2' ? 'WrappingKeySpec SM2 is supported only in China Regions.' : 'WrappingAlgorithm SM2PKE is supported only in China Regions.',
    );
  }
  if (!wrappingPairIsValid(algorithm, spec)) {
    throw errors.validation(`WrappingAlgorithm ${algorithm} is not compatible with WrappingKeySpec ${spec}.`);
  }
}

export interface IssuedImportParameters {
  tokenId: string;
  publicKey: Buffer;
  validTo: Date;
}

/**
 * A fresh wrapping key pair for an importable key, kept with the key (newest last, at most
 * MAX_IMPORT_PARAMETERS_PER_KEY) and valid IMPORT_PARAMETERS_LIFETIME_MS.
 */
export async function issueImportParameters(
  context: OperationContext,
  key: KeyRecord,
  algorithm: WrappingAlgorithm,
  spec: WrappingKeySpec,
): Promise<IssuedImportParameters> {
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
  return { tokenId, publicKey: pair.publicKey, validTo };
}

/** What ImportKeyMaterial asks for, besides the key (its wire members, as the checks below name them). */
export interface MaterialImportRequest {
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
 * Returns the KeyMaterialId of the imported material.
 */
export async function importMaterial(context: OperationContext, key: KeyRecord, input: MaterialImportRequest): Promise<string> {
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
  return id;
}

/**
 * DeleteImportedKeyMaterial's rules on the key: origin EXTERNAL, Creating / Updating refused (every other state
 * allowed, PendingImport with no effect — Appendix B), the named material (or the current one) known to the key.
 * Returns the material named (the current one when none is named), whose id the response reports.
 */
export function deleteImportedMaterial(key: KeyRecord, keyMaterialId: string | undefined): KeyMaterialRecord | undefined {
  const metadata = key.metadata;
  if (metadata.Origin !== 'EXTERNAL') throw originError(key);
  if (metadata.KeyState === 'Creating') throw keyStateError('creating', key);
  if (metadata.KeyState === 'Updating') throw keyStateError('updating', key);
  let target = currentMaterial(key);
  if (keyMaterialId !== undefined) {
    target = materialById(key, keyMaterialId) ?? (key.pendingMaterial?.id === keyMaterialId ? key.pendingMaterial : undefined);
    if (!target) throw errors.notFound(`Key material '${keyMaterialId}' does not exist for key '${metadata.Arn}'`);
  }
  if (target && (target.imported?.state !== 'PENDING_IMPORT' || target === key.pendingMaterial)) removeImportedMaterial(key, target);
  return target;
}
