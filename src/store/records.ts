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
}

export interface RotationSettings {
  enabled: boolean;
  periodInDays?: number;
  nextRotationDate?: Date;
  onDemandRotations: number;
}

export interface KeyUsageRecord {
  operation: string;
  timestamp: Date;
  requestId: string;
}

export interface KeyRecord {
  metadata: KeyMetadata;
  /** Oldest first; the last one encrypts. Looked up by id to decrypt. */
  materials: KeyMaterialRecord[];
  materialsById: Map<string, KeyMaterialRecord>;
  policy: string;
  tags: Map<string, string>;
  rotation: RotationSettings;
  aliasNames: Set<string>;
  lastUsage?: KeyUsageRecord;
  /** Start of usage tracking for GetKeyLastUsage (the key's creation in kmslite). */
  usageTrackingStart: Date;
}

export interface AliasRecord {
  AliasName: string;
  AliasArn: string;
  TargetKeyId: string;
  CreationDate: Date;
  LastUpdatedDate: Date;
}
