import type { OperationContext } from '../kms/context.js';
import { resolveKey } from '../kms/resolveKey.js';
import { reportsAutomaticRotation } from '../kms/keyAdministration.js';

export interface GetKeyRotationStatusInput {
  KeyId: string;
}

/**
 * Automatic rotation status. Key id or key ARN; cross-account by key ARN (resolveKey). Every key state is
 * accepted. Keys with another origin than AWS_KMS answer `<arn> origin is EXTERNAL which is not valid for
 * this operation.` (AWS-observed); asymmetric and HMAC keys answer KeyRotationEnabled false. A key pending
 * deletion reports false, and its setting returns when the deletion is canceled; a disabled key keeps
 * reporting its setting (API reference GetKeyRotationStatus).
 *
 * When off: only KeyId and KeyRotationEnabled (AWS-recorded); when on: also RotationPeriodInDays and
 * NextRotationDate; while an on-demand rotation is in progress (RotateKeyOnDemand), also OnDemandRotationStartDate
 * (AWS-recorded, with and without automatic rotation; shown in every key state: kmslite's choice).
 */
export function getKeyRotationStatus(input: GetKeyRotationStatusInput, context: OperationContext) {
  const key = resolveKey(context, input.KeyId, { skipStateCheck: true });
  const { metadata, rotation } = key;
  const reported = reportsAutomaticRotation(key);
  const OnDemandRotationStartDate = rotation.onDemandRotationStartDate;
  if (!reported) return { KeyId: metadata.Arn, KeyRotationEnabled: false, OnDemandRotationStartDate };
  return {
    KeyId: metadata.Arn,
    KeyRotationEnabled: true,
    RotationPeriodInDays: rotation.periodInDays,
    NextRotationDate: rotation.nextRotationDate,
    OnDemandRotationStartDate,
  };
}
