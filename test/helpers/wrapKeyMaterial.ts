/**
 * Key material import for tests: wrapped as the AWS docs describe, with node:crypto only, so the tests check
 * kmslite's unwrapping against an independent implementation.
 */
import { GetParametersForImportCommand, ImportKeyMaterialCommand, type AlgorithmSpec, type KMSClient, type WrappingKeySpec } from '@aws-sdk/client-kms';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';

export function wrapKeyMaterial(algorithm: AlgorithmSpec, publicKeyDer: Uint8Array, material: Buffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaep = (oaepHash: string, data: Buffer) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  switch (algorithm) {
    case 'RSAES_OAEP_SHA_1':
      return oaep('sha1', material);
    case 'RSAES_OAEP_SHA_256':
      return oaep('sha256', material);
    case 'RSA_AES_KEY_WRAP_SHA_1':
    case 'RSA_AES_KEY_WRAP_SHA_256': {
      // RSA-OAEP of an ephemeral AES-256 key, then the material under RFC 5649 key wrap with padding.
      const aesKey = randomBytes(32);
      const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
      const wrapped = Buffer.concat([cipher.update(material), cipher.final()]);
      return Buffer.concat([oaep(algorithm === 'RSA_AES_KEY_WRAP_SHA_1' ? 'sha1' : 'sha256', aesKey), wrapped]);
    }
    default:
      throw new Error(`no wrapping for ${algorithm}`);
  }
}

export interface ImportOptions {
  algorithm?: AlgorithmSpec;
  wrappingKeySpec?: WrappingKeySpec;
  ImportType?: 'NEW_KEY_MATERIAL' | 'EXISTING_KEY_MATERIAL';
  /** Material that expires at this time (KEY_MATERIAL_EXPIRES); without it, KEY_MATERIAL_DOES_NOT_EXPIRE. */
  ValidTo?: Date;
  KeyMaterialId?: string;
  KeyMaterialDescription?: string;
}

/** GetParametersForImport, wrapKeyMaterial with what it returned, then ImportKeyMaterial. Both answers are returned. */
export async function importWrappedKeyMaterial(client: KMSClient, keyId: string, material: Buffer, options: ImportOptions = {}) {
  const algorithm = options.algorithm ?? 'RSAES_OAEP_SHA_256';
  const parameters = await client.send(
    new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: options.wrappingKeySpec ?? 'RSA_2048' }),
  );
  const imported = await client.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: wrapKeyMaterial(algorithm, parameters.PublicKey!, material),
      ExpirationModel: options.ValidTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ValidTo: options.ValidTo,
      ImportType: options.ImportType,
      KeyMaterialId: options.KeyMaterialId,
      KeyMaterialDescription: options.KeyMaterialDescription,
    }),
  );
  return { parameters, imported };
}
