import type { RegionStore } from '../store/regionStore.js';
import { addMaterial } from '../store/regionStore.js';
import { ownRotation, type KeyRecord, type MultiRegionSet } from '../store/records.js';
import { generateSymmetricKeyMaterial, keyMaterialIdFor } from '../crypto/symmetric.js';
import { DAY_MS } from '../util/clock.js';
import { refreshConfigurations, syncCurrentMaterial } from './multiRegion.js';
import { expireImportedMaterial } from './imports.js';
import { settleCustomKeyStoreKey } from './customKeyStores.js';

/** Automatic rotations done in one catch-up at most (the clock moved decades ahead). */
const MAX_CATCH_UP_ROTATIONS = 1000;

/** EnableKeyRotation's RotationPeriodInDays when the request has none (API reference). */
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/**
 * On-demand rotations allowed per KMS key over its life, not adjustable (developer guide "Resource quotas"
 * and "Perform on-demand key rotation", current; AWS-recorded 2025-04 with 10, since raised to 25).
 */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/**
 * How long an on-demand rotation is in progress (RotateKeyOnDemand → its new material current). AWS rotates in the
 * background and took up to about a minute in recordings (aws-recorded-scenarios.md); kmslite's choice: exactly
 * one minute of kmslite's clock, finished lazily at the first look-up after that (POST /_kmslite/clock/advance
 * skips the wait).
 */
export const ON_DEMAND_ROTATION_DURATION_MS = 60_000;

/**
 * Applies what the passing of time did to a key since it was last looked at, lazily, never by timers:
 * a key whose deletion date has passed is deleted (with its aliases), and automatic rotations that
 * fell due while the key was enabled happen, each dated when it was due.
 * Imported key material past its ValidTo is deleted (key back to PendingImport; developer guide "Setting an
 * expiration time").
 * Returns false when the key no longer exists.
 *
 * Every operation that changes a key's state looks the key up first (resolveKey → liveKey), so time is
 * always applied under the state the key had while that time passed: a key that is Disabled or pending
 * deletion does not rotate ("While a KMS key is disabled, AWS KMS does not rotate it"; same for keys
 * pending deletion), and what it missed is settled by resumeAutomaticRotation when it is enabled again.
 */
export function applyElapsedTime(store: RegionStore, key: KeyRecord, now: Date): boolean {
  // Replicated multi-Region keys: the whole set at once (replica Creating → Enabled, replica deletion,
  // PendingReplicaDeletion → PendingDeletion, rotation through the primary); see settleMultiRegionSet below.
  if (key.multiRegionSet) return settleMultiRegionSet(key, store.region, now);
  const metadata = key.metadata;
  if (metadata.DeletionDate && metadata.DeletionDate.getTime() <= now.getTime()) {
    store.deleteKey(metadata.KeyId);
    return false;
  }
  // Imported material whose ValidTo has passed is deleted; the key goes back to PendingImport.
  if (metadata.Origin === 'EXTERNAL') expireImportedMaterial(key, now);
  // Keys in a custom key store are Unavailable while their store is not connected (customKeyStores.ts).
  if (metadata.CustomKeyStoreId !== undefined) settleCustomKeyStoreKey(store, key);
  applyAutomaticRotation(key, now);
  return true;
}

/** Automatic rotations that fell due while the key was Enabled, each dated when it was due. */
export function applyAutomaticRotation(key: KeyRecord, now: Date): void {
  finishOnDemandRotation(key, now);
  const rotation = key.rotation;
  if (rotation.enabled && rotation.nextRotationDate && key.metadata.KeyState === 'Enabled') {
    let due = rotation.nextRotationDate.getTime();
    const periodMs = (rotation.periodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS) * DAY_MS;
    for (let done = 0; due <= now.getTime() && done < MAX_CATCH_UP_ROTATIONS; done++) {
      rotateMaterial(key, new Date(due), 'AUTOMATIC');
      due += periodMs;
    }
    rotation.nextRotationDate = new Date(due);
  }
}

/** New symmetric key material becomes current; older material stays to decrypt old ciphertexts. */
export function rotateMaterial(key: KeyRecord, at: Date, rotationType: 'AUTOMATIC' | 'ON_DEMAND'): void {
  const bytes = generateSymmetricKeyMaterial();
  const material = { id: keyMaterialIdFor(bytes), bytes, rotationDate: at, rotationType };
  addMaterial(key, material);
  key.metadata.CurrentKeyMaterialId = material.id;
  // Multi-Region keys share their material list: every Region's key shows the new current material.
  syncCurrentMaterial(key, material.id);
}

/**
 * EnableKeyRotation's schedule. Turning rotation on: the first rotation is one period after the enable
 * date (API reference EnableKeyRotation; developer guide "Rotate AWS KMS keys"). Changing the period of a
 * key whose rotation is already on: AWS does not document the effect; kmslite keeps the schedule's anchor
 * (the enable date or the last automatic rotation) and counts the new period from it, so calling
 * EnableKeyRotation again with the same period changes nothing, and a shorter period whose date has
 * already passed rotates at once, as a re-enabled key that missed its date does (unconfirmed).
 * The caller has checked that the key is Enabled.
 */
export function scheduleAutomaticRotation(key: KeyRecord, periodInDays: number, now: Date): void {
  const rotation = ownRotation(key);
  const periodMs = periodInDays * DAY_MS;
  let next = now.getTime() + periodMs;
  if (rotation.enabled && rotation.nextRotationDate && rotation.periodInDays !== undefined) {
    next = rotation.nextRotationDate.getTime() - rotation.periodInDays * DAY_MS + periodMs;
  }
  rotation.enabled = true;
  rotation.periodInDays = periodInDays;
  rotation.nextRotationDate = new Date(next);
  rotateIfOverdue(key, now);
}

/** DisableKeyRotation: the schedule is forgotten; enabling rotation again starts a new one from that date. */
export function stopAutomaticRotation(key: KeyRecord): void {
  const rotation = ownRotation(key);
  rotation.enabled = false;
  delete rotation.periodInDays;
  delete rotation.nextRotationDate;
}

/**
 * A key becomes Enabled again (EnableKey): if its key material is past its last scheduled rotation date,
 * AWS KMS rotates it immediately and every period thereafter; otherwise the original schedule resumes
 * (developer guide "Rotate AWS KMS keys", "Disabled KMS keys"; API reference GetKeyRotationStatus).
 */
export function resumeAutomaticRotation(key: KeyRecord, now: Date): void {
  rotateIfOverdue(key, now);
}

function rotateIfOverdue(key: KeyRecord, now: Date): void {
  const rotation = key.rotation;
  if (!rotation.enabled || !rotation.nextRotationDate || key.metadata.KeyState !== 'Enabled') return;
  if (rotation.nextRotationDate.getTime() > now.getTime()) return;
  rotateMaterial(key, now, 'AUTOMATIC');
  rotation.nextRotationDate = new Date(now.getTime() + (rotation.periodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS) * DAY_MS);
}

/**
 * An on-demand rotation that has run its course (ON_DEMAND_ROTATION_DURATION_MS) completes, dated when it
 * completed: the new material (random, or an EXTERNAL key's material imported as NEW_KEY_MATERIAL) becomes
 * current and ListKeyRotations lists it from then on. It completes whatever the key's state became meanwhile.
 * An EXTERNAL key whose pending material went away meanwhile (DeleteImportedKeyMaterial) just stops rotating.
 */
export function finishOnDemandRotation(key: KeyRecord, now: Date): void {
  const start = key.rotation.onDemandRotationStartDate;
  if (!start) return;
  const at = start.getTime() + ON_DEMAND_ROTATION_DURATION_MS;
  if (at > now.getTime()) return;
  delete key.rotation.onDemandRotationStartDate;
  if (key.pendingMaterial) rotateToImportedMaterial(key, new Date(at));
  else if (key.metadata.Origin === 'AWS_KMS') rotateMaterial(key, new Date(at), 'ON_DEMAND');
}

/** The material imported as NEW_KEY_MATERIAL becomes current (developer guide "Rotating imported key material"). */
function rotateToImportedMaterial(key: KeyRecord, at: Date): void {
  const material = key.pendingMaterial!;
  delete key.pendingMaterial;
  material.rotationDate = at;
  material.rotationType = 'ON_DEMAND';
  addMaterial(key, material);
  const metadata = key.metadata;
  metadata.CurrentKeyMaterialId = material.id;
  metadata.ExpirationModel = material.imported?.expirationModel;
  if (material.imported?.validTo) metadata.ValidTo = material.imported.validTo;
  else delete metadata.ValidTo;
}

/**
 * Applies elapsed time to the whole multi-Region set `key` belongs to (the rules are in multiRegion.ts's opening
 * comment). Returns whether `key` (in `region`) still exists.
 */
export function settleMultiRegionSet(key: KeyRecord, region: string, now: Date): boolean {
  const set = key.multiRegionSet!;
  finishCreating(set);
  for (const member of set.members.values()) {
    if (member.key.metadata.Origin === 'EXTERNAL') expireImportedMaterial(member.key, now);
  }
  const primary = set.members.get(set.primaryRegion);
  if (primary) applyAutomaticRotation(primary.key, now);
  deleteDueKeys(set, now);
  return set.members.get(region)?.key === key;
}

function finishCreating(set: MultiRegionSet): void {
  for (const { key } of set.members.values()) {
    const metadata = key.metadata;
    if (metadata.KeyState !== 'Creating') continue;
    const current = key.materials[key.materials.length - 1];
    if (!current) {
      metadata.KeyState = 'PendingImport';
      metadata.Enabled = false;
      continue;
    }
    metadata.KeyState = 'Enabled';
    metadata.Enabled = true;
    if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') metadata.CurrentKeyMaterialId = current.id;
  }
}

function deleteDueKeys(set: MultiRegionSet, now: Date): void {
  const due = [...set.members.entries()]
    .filter(([region, { key }]) => region !== set.primaryRegion && key.metadata.DeletionDate && key.metadata.DeletionDate.getTime() <= now.getTime())
    .sort(([, a], [, b]) => a.key.metadata.DeletionDate!.getTime() - b.key.metadata.DeletionDate!.getTime());
  let lastDeletion: Date | undefined;
  for (const [region, { key, store }] of due) {
    store.deleteKey(key.metadata.KeyId);
    set.members.delete(region);
    lastDeletion = key.metadata.DeletionDate;
  }
  const primary = set.members.get(set.primaryRegion);
  if (!primary) return;
  if (due.length > 0) refreshConfigurations(set);
  const metadata = primary.key.metadata;
  if (metadata.KeyState === 'PendingReplicaDeletion' && set.members.size === 1) {
    // The waiting period begins when the last replica is deleted (API reference ScheduleKeyDeletion).
    const start = lastDeletion ?? now;
    metadata.KeyState = 'PendingDeletion';
    metadata.DeletionDate = new Date(start.getTime() + (metadata.PendingDeletionWindowInDays ?? 30) * DAY_MS);
    delete metadata.PendingDeletionWindowInDays;
  }
  if (set.members.size === 1 && metadata.DeletionDate && metadata.DeletionDate.getTime() <= now.getTime()) {
    primary.store.deleteKey(metadata.KeyId);
    set.members.delete(set.primaryRegion);
  }
}
