/**
 * Plain records of one account×region store. `KeyRecord.metadata` has exactly the DescribeKey
 * `KeyMetadata` shape, so DescribeKey is a projection; secret material sits beside it, never inside it.
 */
import type {
  EncryptionAlgorithmSpec,
  KeyAgreementAlgorithmSpec,
  KeySpec,
  KeyState,
  KeyUsageType,
  MacAlgorithmSpec,
  MultiRegionKeyType,
  OriginType,
  SigningAlgorithmSpec,
} from '../model/generated/enums.js';

export interface MultiRegionKey {
  Arn: string;
  Region: string;
}

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: KeyUsageType;
  KeyState: KeyState;
  DeletionDate?: Date;
  ValidTo?: Date;
  Origin: OriginType;
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
  ExpirationModel?: string;
  KeyManager: 'AWS' | 'CUSTOMER';
  CustomerMasterKeySpec: KeySpec;
  KeySpec: KeySpec;
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithmSpec[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: {
    MultiRegionKeyType: MultiRegionKeyType;
    PrimaryKey: MultiRegionKey;
    ReplicaKeys: MultiRegionKey[];
  };
  PendingDeletionWindowInDays?: number;
  MacAlgorithms?: MacAlgorithmSpec[];
  CurrentKeyMaterialId?: string;
}

export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

export interface KeyMaterialRecord {
  /** 64 lowercase hex, as AWS's KeyMaterialId. */
  id: string;
  /** Symmetric: the AES-256 key. HMAC: the raw key. Asymmetric: the PKCS#8 DER private key. */
  bytes: Buffer;
  /** Asymmetric keys: the SubjectPublicKeyInfo DER public key. */
  publicKey?: Buffer;
  /** When this material became current through a rotation (absent for the key's first material). */
  rotationDate?: Date;
  rotationType?: RotationType;
  /** EXTERNAL keys: how this material was imported (absent for material AWS KMS generated). */
  imported?: ImportedMaterialInfo;
}

/**
 * A key material record that keeps its bytes without a Buffer of its own: the ArrayBuffer they sit in (for a new
 * AES key, the key pool's 4 KiB slab, crypto/symmetric.ts), their offset and length, and a view made each time
 * `bytes` is read. A Buffer view kept per key is 96 bytes of heap on Node 20 (a typed array with its embedder
 * fields), about 0.8 MiB for 10,000 keys; a view made per Encrypt dies young. Everything reads it as a
 * KeyMaterialRecord; members added later (rotationDate…) are plain members after `id`, and the data directory
 * writes it exactly as the plain record it stands for (plainMaterial, stateCodec.ts). Made by newKey.ts for
 * keys that are not asymmetric; records read from the data directory stay plain.
 */
export class CompactKeyMaterial implements KeyMaterialRecord {
  #buffer: ArrayBufferLike;
  #offset: number;
  #length: number;

  constructor(
    public id: string,
    bytes: Buffer,
  ) {
    this.#buffer = bytes.buffer;
    this.#offset = bytes.byteOffset;
    this.#length = bytes.length;
  }

  get bytes(): Buffer {
    return Buffer.from(this.#buffer, this.#offset, this.#length);
  }

  set bytes(bytes: Buffer) {
    this.#buffer = bytes.buffer;
    this.#offset = bytes.byteOffset;
    this.#length = bytes.length;
  }
}

/** The plain record a key material stands for: `id`, `bytes`, then its other members in their order. */
export function plainMaterial(material: KeyMaterialRecord): KeyMaterialRecord {
  if (!(material instanceof CompactKeyMaterial)) return material;
  const { id, ...rest } = material;
  return { id, bytes: material.bytes, ...rest };
}

export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';

/** Imported key material: its expiry and whether it is present (IMPORTED) or was deleted / expired (PENDING_IMPORT). */
export interface ImportedMaterialInfo {
  state: 'IMPORTED' | 'PENDING_IMPORT';
  expirationModel?: ExpirationModel;
  validTo?: Date;
  description?: string;
}

/** One GetParametersForImport answer: the wrapping key pair behind an import token. */
export interface ImportParametersRecord {
  /** Random id carried in the import token. */
  tokenId: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  /** PKCS#8 DER private half of the wrapping key pair. */
  privateKey: Buffer;
  validTo: Date;
}

export interface RotationSettings {
  enabled: boolean;
  periodInDays?: number;
  nextRotationDate?: Date;
  onDemandRotations: number;
  /** While a RotateKeyOnDemand is in progress: when it started (kms/keyLifecycle.ts). */
  onDemandRotationStartDate?: Date;
}

export interface KeyRecord {
  metadata: KeyMetadata;
  /** Oldest first; the last one encrypts. Looked up by id to decrypt (regionStore.ts, materialById). */
  materials: KeyMaterialRecord[];
  policy: string;
  tags: Map<string, string>;
  rotation: RotationSettings;
  aliasNames: Set<string>;
  /** Multi-Region keys once replicated: the set shared by the primary and its replicas (kms/multiRegion.ts). */
  multiRegionSet?: MultiRegionSet;
  /** EXTERNAL keys: unexpired GetParametersForImport answers, oldest first. */
  importParameters?: ImportParametersRecord[];
  /** EXTERNAL symmetric keys: material imported as NEW_KEY_MATERIAL, waiting for RotateKeyOnDemand. */
  pendingMaterial?: KeyMaterialRecord;
  /** Start of usage tracking for GetKeyLastUsage (the key's creation in kmslite). */
  usageTrackingStart: Date;
  /** The key's grants by GrantId, in creation order; they go when the key goes. */
  grants: Map<string, GrantRecord>;
}

/** One grant (CreateGrant), complete enough for policy/grant evaluation. */
export interface GrantRecord {
  GrantId: string;
  Name?: string;
  CreationDate: Date;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  /** `arn:<partition>:iam::<account that created the grant>:root`. */
  IssuingAccount: string;
  Operations: string[];
  Constraints?: { EncryptionContextSubset?: Record<string, string>; EncryptionContextEquals?: Record<string, string> };
  /** The key's ARN (ListGrants' KeyId). */
  KeyArn: string;
  /** Creation order across the process, for listing markers. */
  sequence: number;
}

export interface AliasRecord {
  AliasName: string;
  AliasArn: string;
  TargetKeyId: string;
  CreationDate: Date;
  LastUpdatedDate: Date;
}

/**
 * The related multi-Region keys of one key id: the primary and its replicas, one per Region of the account.
 * Every member's record points at the same set object.
 */
export interface MultiRegionSet {
  primaryRegion: string;
  /** By Region, in replication order (the first primary first). */
  members: Map<string, { key: KeyRecord; store: MultiRegionMemberStore }>;
}

/**
 * What a multi-Region set needs of a member's store (RegionStore is one). Declared here rather than imported, so
 * that records.ts depends on nothing else in the store folder.
 */
export interface MultiRegionMemberStore {
  /** Removes the member's key (its deletion date passed). */
  deleteKey(keyId: string): void;
  /** Marks the member's key for the next write to disk: a change made through another member of its set. */
  markKeyChanged(keyId: string): void;
}

/**
 * Most keys have no tags, grants or aliases: they all share these two empty collections instead of three of
 * their own (about 600 bytes a key). A key gets its own on the first addition (ownTags, ownGrants,
 * ownAliasNames); adding to a shared one throws, so a write that forgot to take its own fails loudly.
 */
class SharedEmptyMap<K, V> extends Map<K, V> {
  override set(): this {
    throw new Error('kmslite bug: an addition to the shared empty map (take the key its own first)');
  }
}
class SharedEmptySet<T> extends Set<T> {
  override add(): this {
    throw new Error('kmslite bug: an addition to the shared empty set (take the key its own first)');
  }
}
const EMPTY_MAP: Map<never, never> = new SharedEmptyMap();
const EMPTY_SET: Set<never> = new SharedEmptySet();

export function noTags(): Map<string, string> {
  return EMPTY_MAP;
}

export function noGrants(): Map<string, GrantRecord> {
  return EMPTY_MAP;
}

export function noAliasNames(): Set<string> {
  return EMPTY_SET;
}

/** The key's own tag map, for an addition. */
export function ownTags(key: KeyRecord): Map<string, string> {
  if (key.tags === EMPTY_MAP) key.tags = new Map();
  return key.tags;
}

/** The key's own grant map, for an addition. */
export function ownGrants(key: KeyRecord): Map<string, GrantRecord> {
  if (key.grants === EMPTY_MAP) key.grants = new Map();
  return key.grants;
}

/**
 * A new key's rotation settings (rotation off, no on-demand rotation yet): one frozen object shared by every key
 * that never changed them (40 bytes a key). A change takes the key its own first (ownRotation); a change made
 * to the shared one throws. Multi-Region keys share one rotation object on purpose (kms/multiRegion.ts): the set
 * shares the primary's own object, taken before it is shared.
 */
const DEFAULT_ROTATION: RotationSettings = Object.freeze({ enabled: false, onDemandRotations: 0 });

export function defaultRotation(): RotationSettings {
  return DEFAULT_ROTATION;
}

/** The key's own rotation settings, for a change. */
export function ownRotation(key: KeyRecord): RotationSettings {
  if (key.rotation === DEFAULT_ROTATION) key.rotation = { enabled: false, onDemandRotations: 0 };
  return key.rotation;
}

/** The key's own alias-name set, for an addition. */
export function ownAliasNames(key: KeyRecord): Set<string> {
  if (key.aliasNames === EMPTY_SET) key.aliasNames = new Set();
  return key.aliasNames;
}
