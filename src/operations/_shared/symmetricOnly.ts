import { KmsError } from '../../protocol/errors.js';
import type { KeyRecord } from '../../store/records.js';

/** Asymmetric and HMAC cryptography arrives with its own issue; until then such keys answer this. */
export function assertSymmetric(key: KeyRecord): void {
  if (key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperationException', `KeySpec ${key.metadata.KeySpec} is not supported by kmslite yet.`);
  }
}
