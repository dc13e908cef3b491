import { KmsError } from '../protocol/errors.js';
import type { KeyState } from '../model/generated/enums.js';
import type { KeyRecord } from '../store/records.js';

/**
 * The key-state × operation table of the AWS KMS developer guide ("Key states of AWS KMS keys"),
 * as data. An operation absent from the table, or a state absent from its row, is allowed.
 * Footnote numbers refer to aws-kms-wire.md Appendix B.
 */
type Refusal = 'disabled' | 'pendingDeletion' | 'notPendingDeletion' | 'pendingImport' | 'unavailable' | 'creating' | 'updating';
type Row = Partial<Record<KeyState, Refusal>>;

const PENDING_DELETION: Row = { PendingDeletion: 'pendingDeletion', PendingReplicaDeletion: 'pendingDeletion' };

/** Encrypt, Decrypt, GenerateDataKey*, ReEncrypt: [1], [3], [5], [11], [14]. */
const CRYPTOGRAPHIC: Row = {
  Disabled: 'disabled',
  ...PENDING_DELETION,
  PendingImport: 'pendingImport',
  Unavailable: 'unavailable',
  Creating: 'creating',
};

/** EnableKey / DisableKey: [3], [5], [14], [15]. */
const ENABLE_DISABLE: Row = { ...PENDING_DELETION, PendingImport: 'pendingImport', Creating: 'creating', Updating: 'updating' };

/** Key rotation settings: [1], [3], [14]; origin and key-spec refusals are the operations' own. */
const ROTATION_SETTINGS: Row = { Disabled: 'disabled', ...PENDING_DELETION, PendingImport: 'pendingImport', Unavailable: 'unavailable', Creating: 'creating' };

/**
 * Enable/DisableKeyRotation: as ROTATION_SETTINGS, but a PendingImport key (Origin EXTERNAL) is refused by
 * the operation's origin check ([6] `<arn> origin is EXTERNAL which is not valid for this operation.`),
 * not with "is pending import." (Appendix B).
 */
const AUTOMATIC_ROTATION_SETTINGS: Row = { Disabled: 'disabled', ...PENDING_DELETION, Unavailable: 'unavailable', Creating: 'creating' };

const NOT_PENDING_DELETION: Row = {
  Enabled: 'notPendingDeletion',
  Disabled: 'notPendingDeletion',
  PendingImport: 'notPendingDeletion',
  Unavailable: 'notPendingDeletion',
  Creating: 'notPendingDeletion',
  Updating: 'notPendingDeletion',
};

export const KEY_STATE_RULES: Readonly<Record<string, Row>> = {
  CancelKeyDeletion: NOT_PENDING_DELETION,
  CreateAlias: PENDING_DELETION,
  CreateGrant: { Disabled: 'disabled', ...PENDING_DELETION, PendingImport: 'pendingImport', Creating: 'creating' },
  Decrypt: CRYPTOGRAPHIC,
  DeriveSharedSecret: CRYPTOGRAPHIC,
  DisableKey: ENABLE_DISABLE,
  DisableKeyRotation: AUTOMATIC_ROTATION_SETTINGS,
  EnableKey: ENABLE_DISABLE,
  EnableKeyRotation: AUTOMATIC_ROTATION_SETTINGS,
  Encrypt: CRYPTOGRAPHIC,
  GenerateDataKey: CRYPTOGRAPHIC,
  GenerateDataKeyPair: CRYPTOGRAPHIC,
  GenerateDataKeyPairWithoutPlaintext: CRYPTOGRAPHIC,
  GenerateDataKeyWithoutPlaintext: CRYPTOGRAPHIC,
  GenerateMac: CRYPTOGRAPHIC,
  GetPublicKey: CRYPTOGRAPHIC,
  ReEncrypt: CRYPTOGRAPHIC,
  ReplicateKey: { Disabled: 'disabled', ...PENDING_DELETION, PendingImport: 'pendingImport', Creating: 'creating', Updating: 'updating' },
  RotateKeyOnDemand: ROTATION_SETTINGS,
  ScheduleKeyDeletion: { ...PENDING_DELETION, Updating: 'updating' },
  Sign: CRYPTOGRAPHIC,
  TagResource: PENDING_DELETION,
  UntagResource: PENDING_DELETION,
  /** Applied to the destination key only; the alias's current key may be in any state ([10]). */
  UpdateAlias: PENDING_DELETION,
  UpdateKeyDescription: PENDING_DELETION,
  UpdatePrimaryRegion: { Disabled: 'disabled', ...PENDING_DELETION, PendingImport: 'pendingImport', Creating: 'creating' },
  Verify: CRYPTOGRAPHIC,
  VerifyMac: CRYPTOGRAPHIC,
};

/** Throws the error AWS sends when `operation` meets `key` in its current state. */
export function assertKeyState(operation: string, key: KeyRecord): void {
  const refusal = KEY_STATE_RULES[operation]?.[key.metadata.KeyState];
  if (refusal) throw keyStateError(refusal, key);
}

export function keyStateError(refusal: Refusal, key: KeyRecord): KmsError {
  const arn = key.metadata.Arn;
  switch (refusal) {
    case 'disabled':
      return new KmsError('DisabledException', `${arn} is disabled.`);
    case 'pendingDeletion':
      return new KmsError(
        'KMSInvalidStateException',
        key.metadata.KeyState === 'PendingReplicaDeletion' ? `${arn} is pending replica deletion.` : `${arn} is pending deletion.`,
      );
    case 'notPendingDeletion':
      return new KmsError('KMSInvalidStateException', `${arn} is not pending deletion.`);
    case 'pendingImport':
      return new KmsError('KMSInvalidStateException', `${arn} is pending import.`);
    case 'unavailable':
      return new KmsError('KMSInvalidStateException', `${arn} is unavailable.`);
    case 'creating':
      return new KmsError('KMSInvalidStateException', `${arn} is creating.`);
    case 'updating':
      return new KmsError('KMSInvalidStateException', `${arn} is updating.`);
  }
}

/** [6]: `<key ARN> origin is EXTERNAL which is not valid for this operation.` (AWS-observed, e.g. cloudmapper#906). */
export function originError(key: KeyRecord): KmsError {
  return new KmsError('UnsupportedOperationException', `${key.metadata.Arn} origin is ${key.metadata.Origin} which is not valid for this operation.`);
}

/**
 * Enable/DisableKeyRotation: automatic rotation exists only for symmetric encryption keys whose material
 * AWS KMS generated. Other origins answer [6]; asymmetric and HMAC keys answer UnsupportedOperationException
 * with no message (as RotateKeyOnDemand is AWS-recorded to do; Terraform logs of EnableKeyRotation on an
 * RSA_4096 key show the same empty text).
 */
export function assertAutomaticRotationSupported(key: KeyRecord): void {
  if (key.metadata.Origin !== 'AWS_KMS') throw originError(key);
  if (key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException');
}
