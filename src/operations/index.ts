/**
 * Every operation of the KMS model. `satisfies Record<OperationName, Operation>` makes a missing one a
 * compile error.
 */
import type { OperationName } from '../model/generated/operations.js';
import type { Operation } from '../kms/context.js';
import { createKey } from './createKey.js';
import { describeKey } from './describeKey.js';
import { listKeys } from './listKeys.js';
import { enableKey } from './enableKey.js';
import { disableKey } from './disableKey.js';
import { scheduleKeyDeletion } from './scheduleKeyDeletion.js';
import { cancelKeyDeletion } from './cancelKeyDeletion.js';
import { updateKeyDescription } from './updateKeyDescription.js';
import { createAlias } from './createAlias.js';
import { updateAlias } from './updateAlias.js';
import { deleteAlias } from './deleteAlias.js';
import { listAliases } from './listAliases.js';
import { tagResource } from './tagResource.js';
import { untagResource } from './untagResource.js';
import { listResourceTags } from './listResourceTags.js';
import { getKeyPolicy } from './getKeyPolicy.js';
import { getPublicKey } from './getPublicKey.js';
import { putKeyPolicy } from './putKeyPolicy.js';
import { listKeyPolicies } from './listKeyPolicies.js';
import { encrypt } from './encrypt.js';
import { decrypt } from './decrypt.js';
import { reEncrypt } from './reEncrypt.js';
import { generateDataKey } from './generateDataKey.js';
import { generateDataKeyWithoutPlaintext } from './generateDataKeyWithoutPlaintext.js';
import { generateDataKeyPair } from './generateDataKeyPair.js';
import { generateDataKeyPairWithoutPlaintext } from './generateDataKeyPairWithoutPlaintext.js';
import { generateRandom } from './generateRandom.js';
import { enableKeyRotation } from './enableKeyRotation.js';
import { disableKeyRotation } from './disableKeyRotation.js';
import { getKeyRotationStatus } from './getKeyRotationStatus.js';
import { rotateKeyOnDemand } from './rotateKeyOnDemand.js';
import { listKeyRotations } from './listKeyRotations.js';
import { getKeyLastUsage } from './getKeyLastUsage.js';
import { sign } from './sign.js';
import { verify } from './verify.js';
import { generateMac } from './generateMac.js';
import { verifyMac } from './verifyMac.js';
import { deriveSharedSecret } from './deriveSharedSecret.js';
import { getParametersForImport } from './getParametersForImport.js';
import { importKeyMaterial } from './importKeyMaterial.js';
import { deleteImportedKeyMaterial } from './deleteImportedKeyMaterial.js';
import { revokeGrant } from './revokeGrant.js';
import { retireGrant } from './retireGrant.js';
import { listRetirableGrants } from './listRetirableGrants.js';
import { listGrants } from './listGrants.js';
import { createGrant } from './createGrant.js';
import { replicateKey } from './replicateKey.js';
import { updatePrimaryRegion } from './updatePrimaryRegion.js';
import { connectCustomKeyStore } from './connectCustomKeyStore.js';
import { createCustomKeyStore } from './createCustomKeyStore.js';
import { deleteCustomKeyStore } from './deleteCustomKeyStore.js';
import { describeCustomKeyStores } from './describeCustomKeyStores.js';
import { disconnectCustomKeyStore } from './disconnectCustomKeyStore.js';
import { updateCustomKeyStore } from './updateCustomKeyStore.js';

export const operations = {
  CancelKeyDeletion: cancelKeyDeletion,
  ConnectCustomKeyStore: connectCustomKeyStore,
  CreateAlias: createAlias,
  CreateCustomKeyStore: createCustomKeyStore,
  CreateGrant: createGrant,
  CreateKey: createKey,
  Decrypt: decrypt,
  DeleteAlias: deleteAlias,
  DeleteCustomKeyStore: deleteCustomKeyStore,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  DeriveSharedSecret: deriveSharedSecret,
  DescribeCustomKeyStores: describeCustomKeyStores,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  DisconnectCustomKeyStore: disconnectCustomKeyStore,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyPair: generateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateMac: generateMac,
  GenerateRandom: generateRandom,
  GetKeyLastUsage: getKeyLastUsage,
  GetKeyPolicy: getKeyPolicy,
  GetKeyRotationStatus: getKeyRotationStatus,
  GetParametersForImport: getParametersForImport,
  GetPublicKey: getPublicKey,
  ImportKeyMaterial: importKeyMaterial,
  ListAliases: listAliases,
  ListGrants: listGrants,
  ListKeyPolicies: listKeyPolicies,
  ListKeyRotations: listKeyRotations,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  ListRetirableGrants: listRetirableGrants,
  PutKeyPolicy: putKeyPolicy,
  ReEncrypt: reEncrypt,
  ReplicateKey: replicateKey,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  Sign: sign,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateCustomKeyStore: updateCustomKeyStore,
  UpdateKeyDescription: updateKeyDescription,
  UpdatePrimaryRegion: updatePrimaryRegion,
  Verify: verify,
  VerifyMac: verifyMac,
} satisfies Record<OperationName, Operation>;
