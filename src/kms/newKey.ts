import { CompactKeyMaterial, defaultRotation, noAliasNames, noGrants, noTags, type KeyMaterialRecord, type KeyMetadata, type KeyRecord } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';
import type { KeySpec, KeyUsageType, OriginType } from '../model/generated/enums.js';
import { keyMaterialIdFor } from '../crypto/symmetric.js';
import { isAsymmetricSpec, publicKeyOf } from '../crypto/keyPairs.js';
import { KEY_SPEC_USAGES } from './keySpecs.js';

/**
 * The key policy AWS attaches when CreateKey has no Policy, byte for byte as GetKeyPolicy returns it
 * (Jackson pretty-print: " : ", two-space indent, "[ {" … "} ]"; aws-kms-wire.md §10).
 */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  // One flat string per account, shared by its keys (strings are immutable): not a fresh concatenation per key.
  const cacheKey = `${partition}:${accountId}`;
  let policy = DEFAULT_POLICIES.get(cacheKey);
  if (policy === undefined) {
    policy = defaultPolicyText(partition, accountId);
    // Bounded: accounts come from access keys, which any client may make up.
    if (DEFAULT_POLICIES.size >= 1000) DEFAULT_POLICIES.clear();
    DEFAULT_POLICIES.set(cacheKey, policy);
  }
  return policy;
}

const DEFAULT_POLICIES = new Map<string, string>();

function defaultPolicyText(partition: string, accountId: string): string {
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

export interface NewKey {
  /** Default SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT. The pair must be allowed by KEY_SPEC_USAGES. */
  keySpec?: KeySpec;
  keyUsage?: KeyUsageType;
  keyId: string;
  description?: string;
  policy?: string;
  tags?: ReadonlyArray<{ TagKey: string; TagValue: string }>;
  /**
   * Oldest first; the last is current. Empty for EXTERNAL keys not imported yet. Symmetric keys: 32-byte AES
   * keys; HMAC keys: the raw HMAC key; asymmetric keys: one PKCS#8 DER private key.
   */
  materials: Buffer[];
  /**
   * Asymmetric keys: the SPKI DER public key of the material. Derived with node:crypto when absent, which
   * ML-DSA keys cannot be (Node 20 has no ML-DSA): their callers pass it.
   */
  publicKey?: Buffer;
  origin?: OriginType;
  enabled?: boolean;
  multiRegion?: boolean;
  creationDate: Date;
}

/** Builds (does not store) a key record of any spec, with KeyMetadata exactly as DescribeKey shows it. */
export function buildKey(store: RegionStore, spec: NewKey): KeyRecord {
  const arn = store.keyArn(spec.keyId);
  const origin = spec.origin ?? 'AWS_KMS';
  const keySpec: KeySpec = spec.keySpec ?? 'SYMMETRIC_DEFAULT';
  const keyUsage: KeyUsageType = spec.keyUsage ?? 'ENCRYPT_DECRYPT';
  const algorithms = KEY_SPEC_USAGES[keySpec][keyUsage];
  if (!algorithms) throw new Error(`KeyUsage ${keyUsage} is not valid for KeySpec ${keySpec}`);
  const asymmetric = isAsymmetricSpec(keySpec);
  // Not asymmetric: the bytes kept without a Buffer view of their own (CompactKeyMaterial, 96 bytes a key less).
  const materials: KeyMaterialRecord[] = spec.materials.map((bytes) =>
    asymmetric ? { id: keyMaterialIdFor(bytes), bytes, publicKey: spec.publicKey ?? publicKeyOf(bytes) } : new CompactKeyMaterial(keyMaterialIdFor(bytes), bytes),
  );
  const pendingImport = origin === 'EXTERNAL' && materials.length === 0;
  const enabled = !pendingImport && (spec.enabled ?? true);
  // The members that depend on the key's kind, in the order they always had (JSON answers and the data directory
  // list members in insertion order). Spread into the literal below rather than added to it afterwards: V8 then
  // gives the object room for them inside itself, where members added later live in a separate property array
  // (about 40 bytes a key).
  const kindMembers: Partial<KeyMetadata> = {};
  if (origin === 'EXTERNAL' && !pendingImport) kindMembers.ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  if (spec.multiRegion) {
    kindMembers.MultiRegionConfiguration = {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arn, Region: store.region },
      ReplicaKeys: [],
    };
  }
  // "Present for symmetric encryption keys with AWS_KMS or EXTERNAL origin" (model docs): not HMAC, not asymmetric.
  const current = materials[materials.length - 1];
  if (current && keySpec === 'SYMMETRIC_DEFAULT') kindMembers.CurrentKeyMaterialId = current.id;
  const metadata: KeyMetadata = {
    AWSAccountId: store.accountId,
    // The same characters, kept as a slice of the ARN that ends with them (V8 keeps a substring of 13 or more
    // characters as a reference into its parent): 24 bytes a key less than a string of its own.
    KeyId: arn.slice(arn.length - spec.keyId.length),
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
    // The spec's own (frozen) lists, shared by its keys: nothing changes them in place (keySpecs.ts).
    ...algorithms,
    MultiRegion: spec.multiRegion ?? false,
    ...kindMembers,
  };
  return {
    metadata,
    materials,
    policy: spec.policy ?? defaultKeyPolicy(store.partition, store.accountId),
    tags: spec.tags?.length ? new Map(spec.tags.map((tag) => [tag.TagKey, tag.TagValue])) : noTags(),
    rotation: defaultRotation(),
    aliasNames: noAliasNames(),
    usageTrackingStart: spec.creationDate,
    grants: noGrants(),
  };
}
