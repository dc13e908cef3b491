import { errors } from '../protocol/errors.js';
import { aesGcmDecrypt, aesGcmEncrypt, newIv } from '../crypto/symmetric.js';
import { encodeHeaderPrefix, packBlob, parseBlob } from '../crypto/ciphertextBlob.js';
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
function scopeOf(key: KeyRecord): Buffer {
  let scope = scopes.get(key);
  if (!scope) {
    const [, partition, , region, account] = key.metadata.Arn.split(':');
    scope = Buffer.from(key.metadata.MultiRegion ? `${partition}:${account}\0` : `${partition}:${region}:${account}\0`, 'utf8');
    scopes.set(key, scope);
  }
  return scope;
}

/** A key's ARN never changes, so its scope bytes are computed once. */
const scopes = new WeakMap<KeyRecord, Buffer>();

export interface Sealed {
  ciphertextBlob: Buffer;
  keyMaterialId: string;
}

/**
 * A blob header without its IV, per key material: every Encrypt under that material begins with the same bytes.
 * The key id is kept beside it (replicas of a multi-Region key share id and material).
 */
const headerPrefixes = new WeakMap<KeyMaterialRecord, { keyId: string; prefix: Buffer }>();

function headerPrefixOf(keyId: string, material: KeyMaterialRecord): Buffer {
  const known = headerPrefixes.get(material);
  if (known !== undefined && known.keyId === keyId) return known.prefix;
  const prefix = encodeHeaderPrefix(keyId, material.id);
  headerPrefixes.set(material, { keyId, prefix });
  return prefix;
}

/** Encrypts under the key's current material. The caller has checked key state and usage. */
export function sealSymmetric(key: KeyRecord, plaintext: Buffer, context: EncryptionContext | undefined): Sealed {
  const material = key.materials[key.materials.length - 1]!;
  const iv = newIv();
  const header = Buffer.concat([headerPrefixOf(key.metadata.KeyId, material), iv]);
  const aad = Buffer.concat([header, scopeOf(key), encodeEncryptionContext(context)]);
  const sealed = aesGcmEncrypt(material.bytes, plaintext, aad, iv);
  return { ciphertextBlob: packBlob(header, sealed.ciphertext, sealed.tag), keyMaterialId: material.id };
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
        const aad = Buffer.concat([own.header, scopeOf(key), encodeEncryptionContext(context)]);
        return opened(aesGcmDecrypt(material.bytes, own, aad), material);
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
        return opened(aesGcmDecrypt(material.bytes, legacy, encodeLocalKmsEncryptionContext(context)), material);
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
