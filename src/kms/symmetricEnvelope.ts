import { errors } from '../protocol/errors.js';
import { aesGcmDecrypt, aesGcmEncryptInto, IV_LENGTH, TAG_LENGTH, writeIv } from '../crypto/symmetric.js';
import { encodeHeaderPrefix, parseBlob } from '../crypto/ciphertextBlob.js';
import { parseLocalKmsBlob } from '../crypto/localKmsBlob.js';
import { encodeEncryptionContext, encodeLocalKmsEncryptionContext, type EncryptionContext } from '../crypto/encryptionContext.js';
import type { KeyMaterialRecord, KeyRecord } from '../store/records.js';
import { materialById, type RegionStore } from '../store/regionStore.js';
import type { OperationContext } from './context.js';
import { liveKey } from './resolveKey.js';
import { noteKey } from './usage.js';

/**
 * Binds a ciphertext to where its key lives: account and Region for single-Region keys, only the
 * account for multi-Region keys (whose replicas in other Regions share id and material).
 */
interface Scope {
  bytes: Buffer;
  /** The scope followed by the encoding of an empty encryption context: the additional data after the header of most requests. */
  withEmptyContext: Buffer;
}

function scopeOf(key: KeyRecord): Scope {
  let scope = scopes.get(key);
  if (!scope) {
    const [, partition, , region, account] = key.metadata.Arn.split(':');
    const bytes = Buffer.from(key.metadata.MultiRegion ? `${partition}:${account}\0` : `${partition}:${region}:${account}\0`, 'utf8');
    scope = { bytes, withEmptyContext: Buffer.concat([bytes, encodeEncryptionContext(undefined)]) };
    scopes.set(key, scope);
  }
  return scope;
}

/** A key's ARN never changes, so its scope bytes are computed once. */
const scopes = new WeakMap<KeyRecord, Scope>();

/**
 * The AES-GCM additional data of a blob, in parts (docs/contributing/ciphertext-format.md): the header, the scope,
 * the encoded encryption context. Without a context (the usual request) the last two come precomputed.
 */
function additionalData(header: Buffer, scope: Scope, context: EncryptionContext | undefined): Buffer[] {
  return context === undefined ? [header, scope.withEmptyContext] : [header, scope.bytes, encodeEncryptionContext(context)];
}

export interface Sealed {
  ciphertextBlob: Buffer;
  keyMaterialId: string;
}

/**
 * What every Encrypt under one key material shares: the blob header without its IV, and the key's scope. Kept per
 * material with the key it was made for (replicas of a multi-Region key share id and material, not scope objects).
 */
interface SealingTemplate {
  key: KeyRecord;
  headerPrefix: Buffer;
  scope: Scope;
}

const sealingTemplates = new WeakMap<KeyMaterialRecord, SealingTemplate>();

function sealingTemplateOf(key: KeyRecord, material: KeyMaterialRecord): SealingTemplate {
  const known = sealingTemplates.get(material);
  if (known !== undefined && known.key === key) return known;
  const template = { key, headerPrefix: encodeHeaderPrefix(key.metadata.KeyId, material.id), scope: scopeOf(key) };
  sealingTemplates.set(material, template);
  return template;
}

/**
 * Encrypts under the key's current material. The caller has checked key state and usage. The blob is allocated once
 * at its final size and the header, IV, ciphertext and tag are written into it (no intermediate buffers).
 */
export function sealSymmetric(key: KeyRecord, plaintext: Buffer, context: EncryptionContext | undefined): Sealed {
  const material = key.materials[key.materials.length - 1]!;
  const { headerPrefix, scope } = sealingTemplateOf(key, material);
  const headerLength = headerPrefix.length + IV_LENGTH;
  const blob = Buffer.allocUnsafe(headerLength + plaintext.length + TAG_LENGTH);
  blob.set(headerPrefix, 0);
  writeIv(blob, headerPrefix.length);
  const header = blob.subarray(0, headerLength);
  const iv = blob.subarray(headerPrefix.length, headerLength);
  aesGcmEncryptInto(material.bytes, iv, additionalData(header, scope, context), plaintext, blob, headerLength);
  return { ciphertextBlob: blob, keyMaterialId: material.id };
}

/** What a ciphertext blob names, before anything is decrypted. */
export interface BlobReference {
  keyId: string;
  open(key: KeyRecord, context: EncryptionContext | undefined): Opened;
}

export interface Opened {
  plaintext: Buffer;
  keyMaterialId: string;
}

/**
 * Reads which key a symmetric ciphertext blob names: kmslite's own format, or local-kms's (so fixtures
 * made with local-kms and the same seeded key material keep working). Anything else: InvalidCiphertextException.
 */
export function readBlob(blob: Buffer): BlobReference {
  const own = parseBlob(blob);
  if (own) {
    return {
      keyId: own.keyId,
      open(key, context) {
        const material = materialById(key, own.keyMaterialId);
        if (!material) throw errors.invalidCiphertext();
        return opened(aesGcmDecrypt(material.bytes, own, additionalData(own.header, scopeOf(key), context)), material);
      },
    };
  }
  const legacy = parseLocalKmsBlob(blob);
  if (legacy) {
    const slash = legacy.keyArn.lastIndexOf('/');
    return {
      keyId: legacy.keyArn.slice(slash + 1),
      open(key, context) {
        const material = key.materials[legacy.backingKeyIndex];
        if (!material) throw errors.invalidCiphertext();
        return opened(aesGcmDecrypt(material.bytes, legacy, [encodeLocalKmsEncryptionContext(context)]), material);
      },
    };
  }
  throw errors.invalidCiphertext();
}

function opened(plaintext: Buffer | undefined, material: KeyMaterialRecord): Opened {
  if (!plaintext) throw errors.invalidCiphertext();
  return { plaintext, keyMaterialId: material.id };
}

/**
 * The key a blob names, in the caller's store. A blob whose key is not here (another account or Region,
 * or a deleted key) cannot be decrypted: AWS answers InvalidCiphertextException (unconfirmed for every case).
 */
export function keyNamedByBlob(context: OperationContext, store: RegionStore, reference: BlobReference): KeyRecord {
  const key = liveKey(context, store, reference.keyId);
  if (!key) throw errors.invalidCiphertext();
  noteKey(key, context);
  return key;
}
