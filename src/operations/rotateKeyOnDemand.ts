import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './_shared/context.js';
import { resolveKey } from './_shared/resolveKey.js';
import { originError } from './_shared/keyStates.js';
import { MAX_ON_DEMAND_ROTATIONS, rotateMaterial } from './_shared/keyLifecycle.js';

export interface RotateKeyOnDemandInput {
  KeyId: string;
}

/**
 * Rotates the key material now. Order of checks (AWS-recorded): the key (key id or key ARN), its state
 * (Disabled → DisabledException before the key-spec check; pending deletion; an EXTERNAL key without
 * material → `<arn> is pending import.`), its key spec (asymmetric/HMAC → UnsupportedOperationException
 * with no message), its origin (an EXTERNAL key with material: kmslite never has new material pending
 * rotation → `No available key material pending rotation for the key: <arn>.`), the quota of on-demand
 * rotations per key (MAX_ON_DEMAND_ROTATIONS).
 *
 * AWS rotates asynchronously (GetKeyRotationStatus shows OnDemandRotationStartDate meanwhile; it took up to
 * about a minute); kmslite completes the rotation before answering. The automatic schedule
 * (NextRotationDate) does not move (AWS-recorded). Response: KeyId = key ARN (AWS-recorded).
 */
export function rotateKeyOnDemand(input: RotateKeyOnDemandInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId);
  const metadata = key.metadata;
  if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException');
  if (metadata.Origin === 'EXTERNAL') {
    throw new KmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${metadata.Arn}.`);
  }
  if (metadata.Origin !== 'AWS_KMS') throw originError(key);
  if (key.rotation.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
    throw new KmsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${metadata.Arn}`,
    );
  }
  rotateMaterial(key, context.now, 'ON_DEMAND');
  key.rotation.onDemandRotations++;
  return { KeyId: metadata.Arn };
}
