import type { OperationContext } from '../kms/context.js';
import type { KeyMaterialRecord, KeyRecord } from '../store/records.js';
import { listRotationPage, type RotationListingRequest } from '../kms/rotationListing.js';

export type ListKeyRotationsInput = RotationListingRequest;

/** ListKeyRotations: which materials are listed, in which order and pages, is listRotationPage's (src/kms). */
export function listKeyRotations(input: ListKeyRotationsInput, context: OperationContext) {
  const page = listRotationPage(context, input);
  const Rotations = page.materials.map((material) => entry(page.key, material));
  return page.nextMarker !== undefined ? { Rotations, NextMarker: page.nextMarker, Truncated: true } : { Rotations, Truncated: false };
}

function entry(key: KeyRecord, material: KeyMaterialRecord) {
  const metadata = key.metadata;
  const external = metadata.Origin === 'EXTERNAL';
  return {
    KeyId: metadata.KeyId,
    KeyMaterialId: material.id,
    KeyMaterialDescription: material.imported?.description,
    ImportState: external ? (material.imported?.state ?? 'IMPORTED') : undefined,
    KeyMaterialState:
      material === key.pendingMaterial ? 'PENDING_ROTATION' : material.id === metadata.CurrentKeyMaterialId ? 'CURRENT' : 'NON_CURRENT',
    ExpirationModel: external ? material.imported?.expirationModel : undefined,
    ValidTo: external ? material.imported?.validTo : undefined,
    RotationDate: material.rotationDate,
    RotationType: material.rotationType,
  };
}
