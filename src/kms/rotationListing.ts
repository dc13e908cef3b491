/**
 * ListKeyRotations' listing: which keys have one, which materials it shows for IncludeKeyMaterial, and its pages.
 */
import { KmsError, errors } from '../protocol/errors.js';
import type { KeyMaterialRecord, KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';

/** What ListKeyRotations asks for (its wire members). */
export interface RotationListingRequest {
  KeyId: string;
  IncludeKeyMaterial?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY';
  /** 1..1000 (model); default 100. */
  Limit?: number;
  Marker?: string;
}

const DEFAULT_LIMIT = 100;

/**
 * A page of the key materials of a symmetric encryption key, oldest first (AWS-recorded, 2025-07). ROTATIONS_ONLY
 * (the default) lists the materials that rotations created; ALL_KEY_MATERIAL adds the key's first material,
 * which has no RotationDate / RotationType. Every entry has KeyId (the bare key id, as in the API
 * reference example), KeyMaterialId, KeyMaterialState (CURRENT for the material that encrypts, else
 * NON_CURRENT) and, for rotated material, RotationDate and RotationType; EXTERNAL keys add each material's
 * ImportState (IMPORTED, or PENDING_IMPORT once deleted or expired), ExpirationModel, ValidTo and
 * KeyMaterialDescription; with ALL_KEY_MATERIAL, material imported as NEW_KEY_MATERIAL and not yet rotated in is
 * listed last as PENDING_ROTATION (unconfirmed). Every key state is accepted (AWS-recorded for Disabled and PendingDeletion).
 *
 * IncludeKeyMaterial on an asymmetric or HMAC key: ValidationException (AWS-recorded); such a key without
 * it: UnsupportedOperationException with no message (the model's error; unconfirmed).
 */
export function listRotationPage(
  context: OperationContext,
  input: RotationListingRequest,
): { key: KeyRecord; materials: KeyMaterialRecord[]; nextMarker: string | undefined } {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  if (key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    if (input.IncludeKeyMaterial !== undefined) {
      throw errors.validation('Input parameter includeKeyMaterial can only be used with symmetric keys.');
    }
    throw new KmsError('UnsupportedOperationException');
  }
  const materials =
    input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL'
      ? key.pendingMaterial
        ? [...key.materials, key.pendingMaterial]
        : key.materials
      : key.materials.filter((material) => material.rotationType !== undefined);
  const start = input.Marker === undefined ? 0 : markerPosition(input.Marker, materials.length);
  const end = Math.min(start + (input.Limit ?? DEFAULT_LIMIT), materials.length);
  return { key, materials: materials.slice(start, end), nextMarker: end < materials.length ? encodeMarker(end) : undefined };
}

/** Markers name the position of the next entry; the list only grows, so a position stays meaningful. */
function encodeMarker(position: number): string {
  return Buffer.from(`rotations/${position}`, 'utf8').toString('base64url');
}

function markerPosition(marker: string, length: number): number {
  const match = /^rotations\/(\d{1,9})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
  const position = match ? Number(match[1]) : NaN;
  if (!(position >= 1 && position <= length)) throw new KmsError('InvalidMarkerException', 'Invalid marker');
  return position;
}
