/**
 * SM2 (GB/T 32918) for KMS's SM2 keys: SM2DSA signatures, SM2PKE encryption and SM2 key agreement.
 * PLACEHOLDER: the SM2 work replaces this file; the signatures below are the agreed interface.
 */
export function sm2Sign(_privateKeyPkcs8: Buffer, _message: Buffer, _messageIsDigest: boolean): Buffer {
  throw new Error('SM2 signing is not implemented yet');
}

export function sm2Verify(_publicKeySpki: Buffer, _message: Buffer, _messageIsDigest: boolean, _signature: Buffer): boolean {
  throw new Error('SM2 verification is not implemented yet');
}

export function sm2Encrypt(_publicKeySpki: Buffer, _plaintext: Buffer): Buffer {
  throw new Error('SM2 encryption is not implemented yet');
}

/** Returns undefined when the ciphertext does not decrypt (caller answers InvalidCiphertextException). */
export function sm2Decrypt(_privateKeyPkcs8: Buffer, _ciphertext: Buffer): Buffer | undefined {
  throw new Error('SM2 decryption is not implemented yet');
}

/** The raw shared secret (x coordinate) of SM2-curve ECDH; undefined when the peer key is not an SM2 public key. */
export function sm2SharedSecret(_privateKeyPkcs8: Buffer, _peerPublicKeySpki: Buffer): Buffer | undefined {
  throw new Error('SM2 key agreement is not implemented yet');
}
