import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { assertNotReplica } from './_shared/multiRegion.js';
import { originError } from './_shared/keyStates.js';
import { MAX_ON_DEMAND_ROTATIONS, rotateMaterial } from './_shared/keyLifecycle.js';
import { addMaterial } from '../store/regionStore.js';
import type { KeyRecord } from '../store/records.js';

export interface RotateKeyOnDemandInput {
  KeyId: string;
}

/**
 * Rotates the key material now. Order of checks (AWS-recorded): the key (key id or key ARN), its state
 * (Disabled → DisabledException before the key-spec check; pending deletion; an EXTERNAL key without
 * material → `<arn> is pending import.`), its key spec (asymmetric/HMAC → UnsupportedOperationException
 * with no message), its origin (an EXTERNAL key without material imported as NEW_KEY_MATERIAL pending rotation →
 * `No available key material pending rotation for the key: <arn>.`, AWS-recorded), the quota of on-demand
 * rotations per key (MAX_ON_DEMAND_ROTATIONS; counted for imported material too — unconfirmed).
 * An EXTERNAL key rotates to its pending imported material, which becomes current with its own ExpirationModel
 * and ValidTo (AWS-recorded: CurrentKeyMaterialId becomes the imported material's id; older ciphertexts decrypt).
 *
 * AWS rotates asynchronously (GetKeyRotationStatus shows OnDemandRotationStartDate meanwhile; it took up to
 * about a minute); kmslite completes the rotation before answering. The automatic schedule
 * (NextRotationDate) does not move (AWS-recorded). Response: KeyId = key ARN (AWS-recorded).
 */
export function rotateKeyOnDemand(input: RotateKeyOnDemandInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  assertNotReplica(key);
  const metadata = key.metadata;
  if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException');
  if (metadata.Origin === 'EXTERNAL') {
    if (!key.pendingMaterial) {
      throw new KmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${metadata.Arn}.`);
    }
  } else if (metadata.Origin !== 'AWS_KMS') throw originError(key);
  if (key.rotation.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
    throw new KmsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${metadata.Arn}`,
    );
  }
  if (key.pendingMaterial) rotateToImportedMaterial(key, context.now);
  else rotateMaterial(key, context.now, 'ON_DEMAND');
  key.rotation.onDemandRotations++;
  return { KeyId: metadata.Arn };
}

/** The material imported as NEW_KEY_MATERIAL becomes current (developer guide "Rotating imported key material"). */
function rotateToImportedMaterial(key: KeyRecord, now: Date): void {
  const material = key.pendingMaterial!;
  delete key.pendingMaterial;
  material.rotationDate = now;
  material.rotationType = 'ON_DEMAND';
  addMaterial(key, material);
  const metadata = key.metadata;
  metadata.CurrentKeyMaterialId = material.id;
  metadata.ExpirationModel = material.imported?.expirationModel;
  if (material.imported?.validTo) metadata.ValidTo = material.imported.validTo;
  else delete metadata.ValidTo;
}
