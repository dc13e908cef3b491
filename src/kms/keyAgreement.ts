/**
 * DeriveSharedSecret's rules: the key (lookup, state, KEY_AGREEMENT usage, the algorithm against its key spec) and
 * the ECDH shared secret with the peer's public key.
 */
import { KmsError, errors } from '../protocol/errors.js';
import type { KeyAgreementAlgorithmSpec } from '../model/generated/enums.js';
import type { KeyRecord } from '../store/records.js';
import { CURVES, type EccSpec } from '../crypto/keyPairs.js';
import { ecdhSharedSecret } from '../crypto/keyAgreement.js';
import { loadSm2 } from '../crypto/lazyNoble.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertKeyUsage } from './keyUsage.js';

/** The KEY_AGREEMENT key of a DeriveSharedSecret request, after the key lookup and state, usage and algorithm checks. */
export function keyAgreementKey(context: OperationContext, keyIdInput: string, algorithm: KeyAgreementAlgorithmSpec): KeyRecord {
  const key = resolveKey(context, keyIdInput);
  const metadata = key.metadata;
  assertKeyUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
  // Every KEY_AGREEMENT key offers ECDH, the only value the enum allows; kept so a future algorithm fails cleanly.
  if (!metadata.KeyAgreementAlgorithms?.includes(algorithm)) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${metadata.KeySpec}.`,
    );
  }
  return key;
}

/**
 * The raw ECDH shared secret of the key's private key and the peer's DER SubjectPublicKeyInfo (the x coordinate,
 * field-size bytes, no KDF). A public key that is not a DER SPKI of the key's curve → ValidationException with no
 * message.
 */
export async function sharedSecretWith(key: KeyRecord, peerPublicKey: Buffer): Promise<Buffer> {
  const metadata = key.metadata;
  const privateKey = key.materials[key.materials.length - 1]?.bytes;
  // Unreachable for a key that passed the state check (no material means PendingImport).
  if (!privateKey) throw errors.internal();
  const sharedSecret =
    metadata.KeySpec === 'SM2'
      ? (await loadSm2()).sm2SharedSecret(privateKey, peerPublicKey)
      : ecdhSharedSecret(privateKey, peerPublicKey, CURVES[metadata.KeySpec as EccSpec]);
  if (!sharedSecret) throw errors.validation();
  return sharedSecret;
}
