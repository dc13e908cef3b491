/**
 * Checks of a record read back from the data directory (src/store/stateCodec.ts decodes, these check): every
 * member kmslite writes has the type it writes, every enum one of its values, every required member is there.
 * A value kmslite would never write is damage (a file edited by hand, or a kmslite bug), and stops start-up with
 * the member's name rather than failing later inside an operation. Pure functions; they throw DataFormatError.
 */
import {
  EncryptionAlgorithmSpec,
  ExpirationModelType,
  GrantOperation,
  KeyAgreementAlgorithmSpec,
  KeyManagerType,
  KeySpec,
  KeyState,
  KeyUsageType,
  MacAlgorithmSpec,
  MultiRegionKeyType,
  OriginType,
  SigningAlgorithmSpec,
  ConnectionStateType,
  CustomKeyStoreType,
} from '../model/generated/enums.js';
import { keyMaterialIdFor } from '../crypto/symmetric.js';
import type { AliasRecord, KeyRecord } from './records.js';
import type { CustomKeyStoreRecord } from './regionStore.js';

export class DataFormatError extends Error {}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isBoolean: Check = (value) => typeof value === 'boolean';
const isDate: Check = (value) => value instanceof Date;
const isBuffer: Check = (value) => Buffer.isBuffer(value);
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf = (values: readonly string[]): Check => (value) => typeof value === 'string' && values.includes(value);
const listOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const isMaterialId: Check = (value) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
const isStringMap: Check = (value) => value instanceof Map && [...value].every(([k, v]) => typeof k === 'string' && typeof v === 'string');

/** Checks `record[name]` for each entry of `members`; `where` names the record in the message. */
function checkMembers(record: unknown, members: Record<string, Check>, where: string): void {
  if (!isObject(record)) throw new DataFormatError(`${where}: not an object`);
  for (const [name, check] of Object.entries(members)) {
    const value = (record as Record<string, unknown>)[name];
    if (!check(value)) throw new DataFormatError(`${where}: ${name} ${describe(value)} is not what kmslite writes there`);
  }
}

/** A short, secret-free description of a bad value (key material is never quoted). */
function describe(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (Buffer.isBuffer(value) || value instanceof Map || value instanceof Set || value instanceof Date) return `(a ${value.constructor.name})`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '(a list)' : '(an object)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const METADATA: Record<string, Check> = {
  AWSAccountId: isString,
  KeyId: isString,
  Arn: isString,
  CreationDate: isDate,
  Enabled: isBoolean,
  Description: isString,
  KeyUsage: oneOf(KeyUsageType),
  KeyState: oneOf(KeyState),
  DeletionDate: optional(isDate),
  ValidTo: optional(isDate),
  Origin: oneOf(OriginType),
  CustomKeyStoreId: optional(isString),
  CloudHsmClusterId: optional(isString),
  ExpirationModel: optional(oneOf(ExpirationModelType)),
  KeyManager: oneOf(KeyManagerType),
  CustomerMasterKeySpec: oneOf(KeySpec),
  KeySpec: oneOf(KeySpec),
  EncryptionAlgorithms: optional(listOf(oneOf(EncryptionAlgorithmSpec))),
  SigningAlgorithms: optional(listOf(oneOf(SigningAlgorithmSpec))),
  KeyAgreementAlgorithms: optional(listOf(oneOf(KeyAgreementAlgorithmSpec))),
  MultiRegion: isBoolean,
  PendingDeletionWindowInDays: optional(isCount),
  MacAlgorithms: optional(listOf(oneOf(MacAlgorithmSpec))),
  CurrentKeyMaterialId: optional(isMaterialId),
};

const MATERIAL: Record<string, Check> = {
  id: isMaterialId,
  bytes: isBuffer,
  publicKey: optional(isBuffer),
  rotationDate: optional(isDate),
  rotationType: optional(oneOf(['AUTOMATIC', 'ON_DEMAND'])),
};

const IMPORTED: Record<string, Check> = {
  state: oneOf(['IMPORTED', 'PENDING_IMPORT']),
  expirationModel: optional(oneOf(ExpirationModelType)),
  validTo: optional(isDate),
  description: optional(isString),
};

const ROTATION: Record<string, Check> = {
  enabled: isBoolean,
  periodInDays: optional(isCount),
  nextRotationDate: optional(isDate),
  onDemandRotations: isCount,
};

const IMPORT_PARAMETERS: Record<string, Check> = {
  tokenId: isString,
  wrappingAlgorithm: isString,
  wrappingKeySpec: isString,
  privateKey: isBuffer,
  validTo: isDate,
};

const GRANT: Record<string, Check> = {
  GrantId: isString,
  Name: optional(isString),
  CreationDate: isDate,
  GranteePrincipal: isString,
  RetiringPrincipal: optional(isString),
  IssuingAccount: isString,
  Operations: listOf(oneOf(GrantOperation)),
  Constraints: optional(isObject),
  KeyArn: isString,
  sequence: isCount,
};

/** A key record as stored (without what is derived: aliasNames, multiRegionSet). */
export function checkKeyRecord(key: KeyRecord, where: string): void {
  checkMembers(key, { metadata: isObject, materials: Array.isArray, policy: isString, tags: isStringMap, rotation: isObject, usageTrackingStart: isDate, grants: (value) => value instanceof Map }, where);
  checkMembers(key.metadata, METADATA, `${where} metadata`);
  if (key.metadata.MultiRegionConfiguration !== undefined) {
    checkMembers(key.metadata.MultiRegionConfiguration, { MultiRegionKeyType: oneOf(MultiRegionKeyType), PrimaryKey: isObject, ReplicaKeys: Array.isArray }, `${where} metadata.MultiRegionConfiguration`);
  }
  key.materials.forEach((material, index) => {
    checkMembers(material, MATERIAL, `${where} materials[${index}]`);
    if (material.imported !== undefined) checkMembers(material.imported, IMPORTED, `${where} materials[${index}].imported`);
    // Material kmslite generated has an id derived from its bytes (src/crypto/symmetric.ts): a changed byte shows.
    if (key.metadata.Origin === 'AWS_KMS' && material.id !== keyMaterialIdFor(material.bytes)) {
      throw new DataFormatError(`${where} materials[${index}]: the key material does not match its id ${material.id} (the id is derived from the material)`);
    }
  });
  if (key.pendingMaterial !== undefined) checkMembers(key.pendingMaterial, MATERIAL, `${where} pendingMaterial`);
  checkMembers(key.rotation, ROTATION, `${where} rotation`);
  if (key.importParameters !== undefined) {
    if (!Array.isArray(key.importParameters)) throw new DataFormatError(`${where}: importParameters is not a list`);
    key.importParameters.forEach((parameters, index) => checkMembers(parameters, IMPORT_PARAMETERS, `${where} importParameters[${index}]`));
  }
  for (const [grantId, grant] of key.grants) {
    checkMembers(grant, GRANT, `${where} grant ${String(grantId)}`);
    if (grant.GrantId !== grantId) throw new DataFormatError(`${where} grant ${String(grantId)}: listed under another GrantId`);
  }
}

export function checkAliasRecord(alias: AliasRecord, where: string): void {
  checkMembers(alias, { AliasName: isString, AliasArn: isString, TargetKeyId: isString, CreationDate: isDate, LastUpdatedDate: isDate }, where);
}

export function checkCustomKeyStoreRecord(record: CustomKeyStoreRecord, where: string): void {
  checkMembers(
    record,
    {
      id: isString,
      name: isString,
      type: oneOf(CustomKeyStoreType),
      creationDate: isDate,
      sequence: isCount,
      connectionState: oneOf(ConnectionStateType),
      connectionErrorCode: optional(isString),
      cloudHsmClusterId: optional(isString),
      trustAnchorCertificate: optional(isString),
      keyStorePassword: optional(isString),
      xks: optional(isObject),
      heldKeyStates: (value) => value instanceof Map && [...value].every(([k, v]) => typeof k === 'string' && (v === 'Enabled' || v === 'Disabled')),
    },
    where,
  );
}
