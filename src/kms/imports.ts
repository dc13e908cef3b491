/**
 * Shared rules of imported key material (BYOK): import tokens, the shape of key material per key spec, and
 * what deleting or expiring imported material does to a key.
 */
import { randomBytes } from 'node:crypto';
import type { KeyMaterialRecord, KeyRecord } from '../store/records.js';
import { HMAC_KEY_BYTES, isAsymmetricSpec, isHmacSpec, mlDsaKeyPairFromSeed, mlDsaSeed, publicKeyOf, specOfPrivateKey } from '../crypto/keyPairs.js';
import type { MlDsaSpec } from '../crypto/keyPairs.js';
import { DAY_MS } from '../util/clock.js';

/** "Each wrapping public key and import token set is valid for 24 hours" (developer guide, step 2). */
export const IMPORT_PARAMETERS_LIFETIME_MS = DAY_MS;

/**
 * Import parameter sets kept per key, newest last (each holds a wrapping private key); older ones are dropped and
 * their tokens then answer InvalidImportTokenException. Expired sets stay in the window so their tokens answer
 * ExpiredImportTokenException. A token may be used more than once while it is valid (unconfirmed).
 */
export const MAX_IMPORT_PARAMETERS_PER_KEY = 20;

/** ValidTo may be at most 365 days after the request (API reference ImportKeyMaterial, ValidTo). */
export const MAX_VALID_TO_MS = 365 * DAY_MS;

const TOKEN_MAGIC = Buffer.from('kmslite-import-token:v1:', 'utf8');

/** The opaque import token: names the key and the parameter set (whose wrapping key pair the key record holds). */
export function encodeImportToken(keyId: string, tokenId: string): Buffer {
  return Buffer.concat([TOKEN_MAGIC, Buffer.from(tokenId, 'hex'), Buffer.from(keyId, 'utf8')]);
}

export function newTokenId(): string {
  return randomBytes(16).toString('hex');
}

export function decodeImportToken(token: Buffer): { keyId: string; tokenId: string } | undefined {
  if (token.length <= TOKEN_MAGIC.length + 16 || !token.subarray(0, TOKEN_MAGIC.length).equals(TOKEN_MAGIC)) return undefined;
  const tokenId = token.subarray(TOKEN_MAGIC.length, TOKEN_MAGIC.length + 16).toString('hex');
  const keyId = token.subarray(TOKEN_MAGIC.length + 16).toString('utf8');
  return { keyId, tokenId };
}

/**
 * Checks unwrapped key material against the key's spec and returns what identifies it (the raw key, or the SPKI
 * public key of an asymmetric key), or undefined when it does not fit: symmetric keys take 32 bytes, HMAC keys
 * 28/32/48/64 bytes per spec, asymmetric keys a PKCS#8 DER private key of exactly the key's spec (developer
 * guide "Importing key material", requirements for imported key material).
 */
export async function materialIdentity(keySpec: string, material: Buffer): Promise<{ identity: Buffer; publicKey?: Buffer } | undefined> {
  if (keySpec === 'SYMMETRIC_DEFAULT') return material.length === 32 ? { identity: material } : undefined;
  if (isHmacSpec(keySpec)) return material.length === HMAC_KEY_BYTES[keySpec] ? { identity: material } : undefined;
  if (!isAsymmetricSpec(keySpec) || specOfPrivateKey(material) !== keySpec) return undefined;
  try {
    if (keySpec.startsWith('ML_DSA_')) {
      const seed = mlDsaSeed(material, keySpec as MlDsaSpec);
      if (!seed) return undefined;
      const publicKey = (await mlDsaKeyPairFromSeed(keySpec as MlDsaSpec, seed)).publicKey;
      return { identity: publicKey, publicKey };
    }
    const publicKey = publicKeyOf(material);
    return { identity: publicKey, publicKey };
  } catch {
    return undefined;
  }
}

/** The key's current material (the one that encrypts / signs), if any was ever imported. */
export function currentMaterial(key: KeyRecord): KeyMaterialRecord | undefined {
  return key.materials[key.materials.length - 1];
}

/**
 * Imported material goes away (DeleteImportedKeyMaterial or expiry): its bytes are dropped, its id stays so
 * the same material can be reimported. When it is the current material the key becomes PendingImport (a key
 * pending deletion keeps its state), Enabled false, and ExpirationModel / ValidTo leave KeyMetadata;
 * CurrentKeyMaterialId stays (AWS-recorded).
 */
export function removeImportedMaterial(key: KeyRecord, material: KeyMaterialRecord): void {
  if (key.pendingMaterial === material) {
    delete key.pendingMaterial;
    return;
  }
  material.bytes = Buffer.alloc(0);
  material.imported = { state: 'PENDING_IMPORT' };
  if (material !== currentMaterial(key)) return;
  const metadata = key.metadata;
  delete metadata.ExpirationModel;
  delete metadata.ValidTo;
  if (metadata.KeyState !== 'PendingDeletion' && metadata.KeyState !== 'PendingReplicaDeletion') {
    metadata.KeyState = 'PendingImport';
    metadata.Enabled = false;
  }
}

/**
 * Imported material whose ValidTo has passed is deleted, as DeleteImportedKeyMaterial would ("When the key
 * material expires, KMS deletes the key material from the KMS key"; API reference ImportKeyMaterial, ValidTo).
 * Called lazily from applyElapsedTime.
 */
export function expireImportedMaterial(key: KeyRecord, now: Date): void {
  const nowMs = now.getTime();
  for (const material of key.materials) {
    const validTo = material.imported?.state === 'IMPORTED' ? material.imported.validTo : undefined;
    if (validTo && validTo.getTime() <= nowMs) removeImportedMaterial(key, material);
  }
  const pendingValidTo = key.pendingMaterial?.imported?.validTo;
  if (key.pendingMaterial && pendingValidTo && pendingValidTo.getTime() <= nowMs) delete key.pendingMaterial;
}
