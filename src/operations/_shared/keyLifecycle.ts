import type { RegionStore } from '../../store/regionStore.js';
import { addMaterial } from '../../store/regionStore.js';
import type { KeyRecord } from '../../store/records.js';
import { generateSymmetricKeyMaterial, keyMaterialIdFor } from '../../crypto/symmetric.js';
import { DAY_MS } from '../../util/clock.js';

/** Automatic rotations done in one catch-up at most (the clock moved decades ahead). */
const MAX_CATCH_UP_ROTATIONS = 1000;

/**
 * Applies what the passing of time did to a key since it was last looked at, lazily, never by timers:
 * a key whose deletion date has passed is deleted (with its aliases), and automatic rotations that
 * fell due while the key was enabled happen, each dated when it was due.
 * Returns false when the key no longer exists.
 */
export function applyElapsedTime(store: RegionStore, key: KeyRecord, now: Date): boolean {
  const metadata = key.metadata;
  if (metadata.DeletionDate && metadata.DeletionDate.getTime() <= now.getTime()) {
    store.deleteKey(metadata.KeyId);
    return false;
  }
  const rotation = key.rotation;
  if (rotation.enabled && rotation.nextRotationDate && metadata.KeyState === 'Enabled') {
    let due = rotation.nextRotationDate.getTime();
    const periodMs = (rotation.periodInDays ?? 365) * DAY_MS;
    for (let done = 0; due <= now.getTime() && done < MAX_CATCH_UP_ROTATIONS; done++) {
      rotateMaterial(key, new Date(due), 'AUTOMATIC');
      due += periodMs;
    }
    rotation.nextRotationDate = new Date(due);
  }
  return true;
}

/** New symmetric key material becomes current; older material stays to decrypt old ciphertexts. */
export function rotateMaterial(key: KeyRecord, at: Date, rotationType: 'AUTOMATIC' | 'ON_DEMAND'): void {
  const bytes = generateSymmetricKeyMaterial();
  const material = { id: keyMaterialIdFor(bytes), bytes, rotationDate: at, rotationType };
  addMaterial(key, material);
  key.metadata.CurrentKeyMaterialId = material.id;
}
