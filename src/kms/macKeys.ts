import { KmsError, errors } from '../protocol/errors.js';
import type { MacAlgorithmSpec } from '../model/generated/enums.js';
import type { KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { resolveKey } from './resolveKey.js';
import { assertKeyUsage } from './keyUsage.js';

/**
 * The HMAC key of a GenerateMac/VerifyMac request, after AWS's checks in order: key lookup and key state
 * (resolveKey), key usage (`<arn> key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`), then the
 * algorithm against the key spec (`Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.`); all
 * three texts AWS-recorded. Returns the current HMAC key bytes.
 */
export function macKey(context: OperationContext, keyIdInput: string, algorithm: MacAlgorithmSpec): { key: KeyRecord; secret: Buffer } {
  const key = resolveKey(context, keyIdInput);
  assertKeyUsage(key, 'GENERATE_VERIFY_MAC', context.operation);
  if (!key.metadata.MacAlgorithms?.includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.metadata.KeySpec}.`);
  }
  const material = key.materials[key.materials.length - 1];
  // Unreachable for a key that passed the state check (no material means PendingImport).
  if (!material) throw errors.internal();
  return { key, secret: material.bytes };
}
