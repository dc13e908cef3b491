/**
 * Imported key material (BYOK): wrapping key pairs, unwrapping of EncryptedKeyMaterial and the identity of
 * imported material. Pure functions over node:crypto (and the SM2 code for SM2PKE in China Regions).
 *
 * Wrapping algorithms (developer guide "Importing key material", step 3; API reference GetParametersForImport):
 * - RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256: the key material encrypted directly with RSA-OAEP (MGF1 with the same
 *   hash, empty label) under the wrapping public key.
 * - RSA_AES_KEY_WRAP_SHA_1 / RSA_AES_KEY_WRAP_SHA_256: RSA-OAEP(ephemeral AES key) followed by AES key wrap
 *   with padding (RFC 5649) of the key material under that AES key (PKCS#11 CKM_RSA_AES_KEY_WRAP); the RSA part
 *   is exactly as long as the wrapping key's modulus.
 * - SM2PKE: SM2 public key encryption under an SM2 wrapping key (China Regions only).
 * - RSAES_PKCS1_V1_5: no longer supported by AWS KMS since 2023-10-10; GetParametersForImport refuses it, so it
 *   never reaches unwrapping.
 */
import { constants, createDecipheriv, createPrivateKey, createHash, generateKeyPair as generateKeyPairCallback, privateDecrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { generateKeyPair } from './keyPairs.js';
// SM2 (and the noble curve code under it) loads on first use, off the start-up path.
import { loadSm2 } from './lazyNoble.js';

export type WrappingAlgorithm =
  | 'RSAES_PKCS1_V1_5'
  | 'RSAES_OAEP_SHA_1'
  | 'RSAES_OAEP_SHA_256'
  | 'RSA_AES_KEY_WRAP_SHA_1'
  | 'RSA_AES_KEY_WRAP_SHA_256'
  | 'SM2PKE';
export type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'SM2';

const RSA_BITS: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** RFC 5649 alternative initial value (the 32-bit constant before the message length indicator). */
const KWP_AIV = Buffer.from('a65959a6', 'hex');

const KWP_CIPHERS: Readonly<Record<number, string>> = { 16: 'id-aes128-wrap-pad', 24: 'id-aes192-wrap-pad', 32: 'id-aes256-wrap-pad' };

const generateKeyObjects = promisify(generateKeyPairCallback);

export interface WrappingKeyPair {
  /** SubjectPublicKeyInfo DER (GetParametersForImport's PublicKey). */
  publicKey: Buffer;
  /** PKCS#8 DER. */
  privateKey: Buffer;
}

/** A fresh wrapping key pair of the spec (asynchronous: RSA-4096 generation takes a while). */
export async function generateWrappingKeyPair(spec: WrappingKeySpec): Promise<WrappingKeyPair> {
  if (spec === 'SM2') return generateKeyPair('SM2');
  const pair = await generateKeyObjects('rsa', { modulusLength: RSA_BITS[spec]!, publicExponent: 0x10001 });
  return {
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }),
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

/** The key material inside EncryptedKeyMaterial, or undefined when it does not unwrap. */
export async function unwrapKeyMaterial(
  algorithm: WrappingAlgorithm,
  wrappingKeySpec: WrappingKeySpec,
  wrappingPrivateKey: Buffer,
  encrypted: Buffer,
): Promise<Buffer | undefined> {
  try {
    switch (algorithm) {
      case 'RSAES_OAEP_SHA_1':
      case 'RSAES_OAEP_SHA_256':
        return rsaOaepDecrypt(wrappingPrivateKey, algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256', encrypted);
      case 'RSA_AES_KEY_WRAP_SHA_1':
      case 'RSA_AES_KEY_WRAP_SHA_256': {
        const rsaBytes = (RSA_BITS[wrappingKeySpec] ?? 0) / 8;
        if (rsaBytes === 0 || encrypted.length <= rsaBytes) return undefined;
        const aesKey = rsaOaepDecrypt(
          wrappingPrivateKey,
          algorithm === 'RSA_AES_KEY_WRAP_SHA_1' ? 'sha1' : 'sha256',
          encrypted.subarray(0, rsaBytes),
        );
        return aesKeyUnwrapWithPadding(aesKey, encrypted.subarray(rsaBytes));
      }
      case 'SM2PKE':
        return (await loadSm2()).sm2Decrypt(wrappingPrivateKey, encrypted);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

function rsaOaepDecrypt(privateKey: Buffer, oaepHash: 'sha1' | 'sha256', ciphertext: Buffer): Buffer {
  const key = createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' });
  return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext);
}

/** RFC 5649 unwrap; throws when the integrity check fails. */
export function aesKeyUnwrapWithPadding(kek: Buffer, wrapped: Buffer): Buffer {
  const cipher = KWP_CIPHERS[kek.length];
  if (!cipher || wrapped.length < 16 || wrapped.length % 8 !== 0) throw new Error('not an AES-KWP blob');
  const decipher = createDecipheriv(cipher, kek, KWP_AIV);
  return Buffer.concat([decipher.update(wrapped), decipher.final()]);
}

/**
 * KeyMaterialId of imported material: "KMS assigns a unique identifier to the key material based on the KMS key
 * ID and the imported key material" (API reference ImportKeyMaterial, KeyMaterialId). 64 lowercase hex.
 * `identity` is the raw key for symmetric and HMAC keys and the SPKI public key for asymmetric keys (so two
 * PKCS#8 encodings of one private key are the same material).
 */
export function importedMaterialId(keyId: string, identity: Buffer): string {
  return createHash('sha256').update('kmslite imported key material id\0').update(keyId).update('\0').update(identity).digest('hex');
}

/** The wrapping key specs and algorithms that fit together: SM2PKE only with SM2, every RSA algorithm with RSA. */
export function wrappingPairIsValid(algorithm: WrappingAlgorithm, spec: WrappingKeySpec): boolean {
  return (algorithm === 'SM2PKE') === (spec === 'SM2');
}
