import type { KeyMaterialRecord, KeyMetadata, KeyRecord } from '../../store/records.js';
import type { RegionStore } from '../../store/regionStore.js';
import type { KeySpec, KeyUsageType, OriginType } from '../../model/generated/enums.js';
import { keyMaterialIdFor } from '../../crypto/symmetric.js';

/**
 * The key policy AWS attaches when CreateKey has no Policy, byte for byte as GetKeyPolicy returns it
 * (Jackson pretty-print: " : ", two-space indent, "[ {" … "} ]"; aws-kms-wire.md §10).
 */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

export interface NewSymmetricKey {
  keyId: string;
  description?: string;
  policy?: string;
  tags?: ReadonlyArray<{ TagKey: string; TagValue: string }>;
  /** Oldest first; the last is current. Empty for EXTERNAL keys not imported yet. */
  materials: Buffer[];
  origin?: OriginType;
  enabled?: boolean;
  multiRegion?: boolean;
  creationDate: Date;
}

/** Builds (does not store) a SYMMETRIC_DEFAULT key record with KeyMetadata exactly as DescribeKey shows it. */
export function buildSymmetricKey(store: RegionStore, spec: NewSymmetricKey): KeyRecord {
  const arn = store.keyArn(spec.keyId);
  const origin = spec.origin ?? 'AWS_KMS';
  const materials: KeyMaterialRecord[] = spec.materials.map((bytes) => ({ id: keyMaterialIdFor(bytes), bytes }));
  const pendingImport = origin === 'EXTERNAL' && materials.length === 0;
  const enabled = !pendingImport && (spec.enabled ?? true);
  const keySpec: KeySpec = 'SYMMETRIC_DEFAULT';
  const keyUsage: KeyUsageType = 'ENCRYPT_DECRYPT';
  const metadata: KeyMetadata = {
    AWSAccountId: store.accountId,
    KeyId: spec.keyId,
    Arn: arn,
    CreationDate: spec.creationDate,
    Enabled: enabled,
    Description: spec.description ?? '',
    KeyUsage: keyUsage,
    KeyState: pendingImport ? 'PendingImport' : enabled ? 'Enabled' : 'Disabled',
    Origin: origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: keySpec,
    KeySpec: keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: spec.multiRegion ?? false,
  };
  if (origin === 'EXTERNAL' && !pendingImport) metadata.ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  if (spec.multiRegion) {
    metadata.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arn, Region: store.region },
      ReplicaKeys: [],
    };
  }
  const current = materials[materials.length - 1];
  if (current) metadata.CurrentKeyMaterialId = current.id;
  return {
    metadata,
    materials,
    materialsById: new Map(materials.map((material) => [material.id, material])),
    policy: spec.policy ?? defaultKeyPolicy(store.partition, store.accountId),
    tags: new Map((spec.tags ?? []).map((tag) => [tag.TagKey, tag.TagValue])),
    rotation: { enabled: false, onDemandRotations: 0 },
    aliasNames: new Set(),
    usageTrackingStart: spec.creationDate,
  };
}
