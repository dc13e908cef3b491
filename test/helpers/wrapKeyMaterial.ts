/**
 * Wraps key material for ImportKeyMaterial as the AWS docs describe, with node:crypto only, so the tests check
 * kmslite's unwrapping against an independent implementation.
 */
import type { AlgorithmSpec } from '@aws-sdk/client-kms';
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
