/**
 * LocalStack's CreateKey tags, honoured so that LocalStack users' set-up scripts keep working (docs/migrating.md):
 * - `_custom_id_`: the new key's KeyId (whitespace trimmed). The tag stays on the key, as in LocalStack.
 * - `_custom_key_material_`: the key material, base64 (standard alphabet): a symmetric key's 32-byte AES key, an HMAC
 *   key's raw key (any length from 1 to 1024 bytes, as LocalStack accepts any), or an asymmetric key's DER private
 *   key (PKCS#8, or SEC1 / PKCS#1 as LocalStack's `load_der_private_key` also reads) of exactly the requested
 *   KeySpec. The tag is removed, so ListResourceTags never shows the material (as LocalStack does).
 * Everything is checked before anything is created; bad input is a ValidationException (or AlreadyExistsException
 * for an id in use) whose message never holds the material. Only for keys whose origin is AWS_KMS.
 * Semantics read from LocalStack's services/kms/models.py (KmsKey.__init__, _populate_metadata, KmsCryptoKey).
 */
import { createPrivateKey } from 'node:crypto';
import { KmsError, errors } from '../protocol/errors.js';
import type { KeySpec, OriginType } from '../model/generated/enums.js';
import type { RegionStore } from '../store/regionStore.js';
import { isHmacSpec } from '../crypto/keyPairs.js';
import { materialIdentity } from './imports.js';
import type { Tag } from './tags.js';

export const CUSTOM_ID_TAG = '_custom_id_';
export const CUSTOM_KEY_MATERIAL_TAG = '_custom_key_material_';

export interface CustomKeyOptions {
  keyId?: string;
  material?: { bytes: Buffer; publicKey?: Buffer };
  /** The request's tags without `_custom_key_material_`. */
  tags?: Tag[];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CUSTOM_ID = /^[A-Za-z0-9_-]{1,128}$/;

export async function customKeyOptions(
  tags: Tag[] | undefined,
  request: { keySpec: KeySpec; origin: OriginType; multiRegion: boolean; customKeyStore: boolean },
  store: RegionStore,
): Promise<CustomKeyOptions> {
  const idTag = tags?.find((tag) => tag.TagKey === CUSTOM_ID_TAG);
  const materialTag = tags?.find((tag) => tag.TagKey === CUSTOM_KEY_MATERIAL_TAG);
  if (!idTag && !materialTag) return { tags };
  const options: CustomKeyOptions = { tags: tags!.filter((tag) => tag !== materialTag) };
  if (idTag) options.keyId = customKeyId(idTag.TagValue, request.multiRegion, store);
  if (materialTag) {
    if (request.origin !== 'AWS_KMS' || request.customKeyStore) {
      throw errors.validation(`The ${CUSTOM_KEY_MATERIAL_TAG} tag can only be used with keys whose Origin is AWS_KMS.`);
    }
    options.material = await customMaterial(materialTag.TagValue, request.keySpec);
  }
  return options;
}

function customKeyId(value: string, multiRegion: boolean, store: RegionStore): string {
  const keyId = value.trim();
  if (!CUSTOM_ID.test(keyId)) {
    throw errors.validation(`The ${CUSTOM_ID_TAG} tag must be 1 to 128 letters, digits, '-' or '_' (a UUID is best).`);
  }
  if (multiRegion !== keyId.startsWith('mrk-')) {
    throw errors.validation(`The ${CUSTOM_ID_TAG} tag of a multi-Region key must start with mrk-, and only a multi-Region key's may.`);
  }
  if (store.keys.has(keyId)) throw new KmsError('AlreadyExistsException', `${store.keyArn(keyId)} already exists.`);
  return keyId;
}

async function customMaterial(value: string, keySpec: KeySpec): Promise<{ bytes: Buffer; publicKey?: Buffer }> {
  const text = value.trim();
  if (text.length === 0 || !BASE64.test(text)) throw errors.validation(`The ${CUSTOM_KEY_MATERIAL_TAG} tag is not base64-encoded key material.`);
  const decoded = Buffer.from(text, 'base64');
  if (keySpec === 'SYMMETRIC_DEFAULT') {
    if (decoded.length !== 32) {
      throw errors.validation(`The ${CUSTOM_KEY_MATERIAL_TAG} tag of a SYMMETRIC_DEFAULT key must hold 32 bytes of key material, not ${decoded.length}.`);
    }
    return { bytes: decoded };
  }
  if (isHmacSpec(keySpec)) {
    if (decoded.length < 1 || decoded.length > 1024) {
      throw errors.validation(`The ${CUSTOM_KEY_MATERIAL_TAG} tag of an ${keySpec} key must hold 1 to 1024 bytes of key material.`);
    }
    return { bytes: decoded };
  }
  const pkcs8 = asPkcs8(decoded);
  const identity = pkcs8 && (await materialIdentity(keySpec, pkcs8));
  if (!pkcs8 || !identity) {
    throw errors.validation(`The ${CUSTOM_KEY_MATERIAL_TAG} tag of a ${keySpec} key must hold a DER private key (PKCS#8, SEC1 or PKCS#1) of that key spec.`);
  }
  return { bytes: pkcs8, publicKey: identity.publicKey };
}

/** PKCS#8 DER as it is; SEC1 (EC) and PKCS#1 (RSA) DER re-encoded as PKCS#8; undefined for anything else. */
function asPkcs8(der: Buffer): Buffer | undefined {
  for (const type of ['pkcs8', 'sec1', 'pkcs1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return type === 'pkcs8' ? der : key.export({ type: 'pkcs8', format: 'der' });
    } catch {
      // the next encoding
    }
  }
  // ML-DSA's PKCS#8 is not readable by Node 20: materialIdentity recognises it as it is.
  return der;
}
