/**
 * Seeding from YAML: the local-kms seed format, unchanged, plus kmslite's extensions (see seed.schema.json
 * and docs/seeding.md). An invalid seed stops start-up with a message naming the file, the entry and the
 * problem. Applying a seed never overwrites: a key or alias that already exists is kept (local-kms's rule).
 *
 * Longer than 300 lines because applying a seed is one walk over the document (managed keys, keys of each kind,
 * aliases) whose entry checks and messages read best together; parsing (seedParser.ts) and the schema are apart.
 */
import { readFileSync } from 'node:fs';
import { SeedError } from './seedError.js';
import { PRECOMPILED_SEED } from './precompiledSeed.js';
import type { StoreBundle } from '../store/bundle.js';
import type { RegionStore } from '../store/regionStore.js';
import { createPrivateKey } from 'node:crypto';
import { buildKey } from '../kms/newKey.js';
import { KEY_SPEC_USAGES } from '../kms/keySpecs.js';
import { HMAC_KEY_BYTES, isHmacSpec, mlDsaKeyPairFromSeed, mlDsaSeed, specOfPrivateKey, type MlDsaSpec } from '../crypto/keyPairs.js';
import { ownAliasNames, type KeyRecord } from '../store/records.js';
import type { KeyUsageType } from '../model/generated/enums.js';
import { checkPolicyDocument } from '../kms/policy.js';
import { DAY_MS } from '../util/clock.js';
import { parseArn } from '../util/arn.js';
import type { PrincipalDeclaration } from '../authz/index.js';
import { createAwsManagedKey, isPredefinedAwsAlias, PREDEFINED_AWS_ALIAS_NAMES } from '../kms/awsManagedKeys.js';

export { SeedError };

interface SeedKeyEntry {
  Metadata: {
    KeyId: string;
    Description?: string;
    Enabled?: boolean;
    KeyUsage?: string;
    KeySpec?: string;
    Origin?: 'AWS_KMS' | 'EXTERNAL';
    MultiRegion?: boolean;
  };
  BackingKeys?: string[];
  NextKeyRotation?: string | Date;
  RotationPeriodInDays?: number;
  Tags?: { TagKey: string; TagValue: string }[];
  Policy?: string | object;
  PrivateKeyPem?: string;
  /** ML-DSA entries: the 32-byte FIPS 204 key-generation seed, hex. */
  Seed?: string;
}

interface SeedKeys {
  Symmetric?: { Aes?: SeedKeyEntry[]; Hmac?: SeedKeyEntry[] };
  Asymmetric?: { Rsa?: SeedKeyEntry[]; Ecc?: SeedKeyEntry[]; Ed25519?: SeedKeyEntry[]; MlDsa?: SeedKeyEntry[]; Sm2?: SeedKeyEntry[] };
}

interface SeedAlias {
  AliasName: string;
  TargetKeyId: string;
}

/** kmslite: an AWS managed key pinned to a fixed id and material, so that fixtures made with it decrypt everywhere. */
interface SeedManagedKey {
  AliasName: string;
  KeyId?: string;
  BackingKeys?: string[];
}

interface SeedScope {
  AccountId?: string;
  Region: string;
  Keys?: SeedKeys;
  ManagedKeys?: SeedManagedKey[];
  Aliases?: SeedAlias[];
}

export interface SeedDocument {
  /** Declared principals for access control (docs/access-control.md); top level only. */
  Principals?: PrincipalDeclaration[];
  Keys?: SeedKeys;
  ManagedKeys?: SeedManagedKey[];
  Aliases?: SeedAlias[];
  Regions?: SeedScope[];
}

export interface SeedDefaults {
  accountId: string;
  region: string;
}

export interface SeedReport {
  keys: number;
  aliases: number;
  skipped: string[];
}

export async function loadSeedFile(path: string): Promise<SeedDocument> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${path}: ${(error as Error).message}`);
  }
  // The seed kmslite ships, parsed and checked at build time (in the bundle only): no YAML at start-up.
  if (PRECOMPILED_SEED !== undefined && text === PRECOMPILED_SEED.text) return JSON.parse(PRECOMPILED_SEED.json) as SeedDocument;
  return parseSeed(text, path);
}

/** YAML text → a schema-checked seed document; throws SeedError naming `source`, the entry and the problem. */
export async function parseSeed(text: string, source: string): Promise<SeedDocument> {
  // The YAML parser and the seed schema's validator load on first use, off the start-up path of the shipped seed.
  const { parseSeedText } = await import('./seedParser.js');
  return parseSeedText(text, source) as SeedDocument;
}

/**
 * Puts the seed's keys and aliases into the stores, as of `now` (asynchronous: some key kinds load libraries). Throws SeedError (naming the file,
 * entry and problem) for an entry kmslite cannot honour; kinds of keys that a later issue brings are
 * reported in `skipped` instead.
 */
export async function applySeed(document: SeedDocument, stores: StoreBundle, defaults: SeedDefaults, now: Date, source: string): Promise<SeedReport> {
  const report: SeedReport = { keys: 0, aliases: 0, skipped: [] };
  const scopes: SeedScope[] = [
    { Region: defaults.region, Keys: document.Keys, ManagedKeys: document.ManagedKeys, Aliases: document.Aliases },
    ...(document.Regions ?? []),
  ];
  const label = (index: number) => (index === 0 ? '' : `Regions.${index - 1}.`);
  // Every managed-key entry is checked before anything is created, so a wrong one leaves no half-applied seed.
  scopes.forEach((scope, index) => checkManagedKeyEntries(scope.ManagedKeys ?? [], `${source}: ${label(index)}ManagedKeys`));
  for (const [index, scope] of scopes.entries()) {
    const store = stores.get(scope.AccountId ?? defaults.accountId, scope.Region);
    await applyKeys(scope.Keys, store, now, `${source}: ${label(index)}Keys`, report);
    applyManagedKeys(scope.ManagedKeys ?? [], store, now, `${source}: ${label(index)}ManagedKeys`, report);
    applyAliases(scope.Aliases ?? [], store, now, `${source}: ${label(index)}Aliases`, report);
  }
  return report;
}

function managedKeyEntryName(where: string, index: number, entry: SeedManagedKey): string {
  return `${where}.${index} (${entry.AliasName})`;
}

/** A managed key is named by one of AWS's predefined aliases, once per account and Region. */
function checkManagedKeyEntries(entries: SeedManagedKey[], where: string): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const entryName = managedKeyEntryName(where, index, entry);
    if (!entry.AliasName.startsWith('alias/aws/')) {
      throw new SeedError(`Invalid seed entry ${entryName}: an AWS managed key's AliasName starts with alias/aws/`);
    }
    if (!isPredefinedAwsAlias(entry.AliasName)) {
      throw new SeedError(`Invalid seed entry ${entryName}: ${entry.AliasName} is not a predefined AWS alias (one of ${PREDEFINED_AWS_ALIAS_NAMES.join(', ')})`);
    }
    if (seen.has(entry.AliasName)) throw new SeedError(`Invalid seed entry ${entryName}: ${entry.AliasName} appears twice`);
    seen.add(entry.AliasName);
  });
}

/**
 * AWS managed keys with a fixed id and material (random when not given), created as the first request naming
 * the alias would create them. One whose alias exists already (e.g. restored from --data-path) is kept.
 */
function applyManagedKeys(entries: SeedManagedKey[], store: RegionStore, now: Date, where: string, report: SeedReport): void {
  entries.forEach((entry, index) => {
    const entryName = managedKeyEntryName(where, index, entry);
    const existing = store.aliases.get(entry.AliasName);
    if (existing) {
      if (entry.KeyId !== undefined && existing.TargetKeyId !== entry.KeyId) {
        report.skipped.push(`${entryName}: ${entry.AliasName} exists already with key ${existing.TargetKeyId}; kept`);
      }
      return;
    }
    if (entry.KeyId !== undefined && store.keys.has(entry.KeyId)) {
      throw new SeedError(`Invalid seed entry ${entryName}: key ${entry.KeyId} exists already in ${store.region}`);
    }
    const materials = entry.BackingKeys?.map((hex) => Buffer.from(hex, 'hex'));
    const pinned = entry.KeyId !== undefined || materials !== undefined;
    createAwsManagedKey(store, entry.AliasName, now, pinned ? { keyId: entry.KeyId, materials } : undefined);
    report.keys++;
    report.aliases++;
  });
}

/** The kinds of key entries, in the order local-kms applies them (AES, HMAC, RSA, ECC), then kmslite's own. */
const ASYMMETRIC_KINDS = {
  Rsa: { family: (spec: string) => spec.startsWith('RSA_'), usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], defaultUsage: undefined },
  Ecc: { family: (spec: string) => spec.startsWith('ECC_NIST_P') || spec === 'ECC_SECG_P256K1', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], defaultUsage: 'SIGN_VERIFY' },
  Ed25519: { family: (spec: string) => spec === 'ECC_NIST_EDWARDS25519', usages: ['SIGN_VERIFY'], defaultUsage: 'SIGN_VERIFY' },
  MlDsa: { family: (spec: string) => spec.startsWith('ML_DSA_'), usages: ['SIGN_VERIFY'], defaultUsage: 'SIGN_VERIFY' },
  Sm2: { family: (spec: string) => spec === 'SM2', usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT'], defaultUsage: undefined },
} as const;

async function applyKeys(keys: SeedKeys | undefined, store: RegionStore, now: Date, where: string, report: SeedReport): Promise<void> {
  const add = async (kind: string, entries: SeedKeyEntry[] | undefined, build: (entry: SeedKeyEntry, entryName: string) => KeyRecord | Promise<KeyRecord>) => {
    for (const [index, entry] of (entries ?? []).entries()) {
      const entryName = `${where}.${kind}.${index} (KeyId ${entry.Metadata.KeyId})`;
      if (store.keys.has(entry.Metadata.KeyId)) continue;
      store.putKey(await build(entry, entryName));
      report.keys++;
    }
  };
  await add('Symmetric.Aes', keys?.Symmetric?.Aes, (entry, name) => symmetricKeyFromSeed(entry, store, now, name));
  await add('Symmetric.Hmac', keys?.Symmetric?.Hmac, (entry, name) => hmacKeyFromSeed(entry, store, now, name, report));
  for (const kind of Object.keys(ASYMMETRIC_KINDS) as (keyof typeof ASYMMETRIC_KINDS)[]) {
    await add(`Asymmetric.${kind}`, keys?.Asymmetric?.[kind], (entry, name) => asymmetricKeyFromSeed(kind, entry, store, now, name));
  }
}

/** What every kind of entry shares: metadata flags, policy and tags, checked as CreateKey would. */
function commonKeyFields(entry: SeedKeyEntry, entryName: string) {
  if (entry.Metadata.MultiRegion && !entry.Metadata.KeyId.startsWith('mrk-')) {
    throw new SeedError(`Invalid seed entry ${entryName}: a multi-Region key id starts with mrk-`);
  }
  const policy = typeof entry.Policy === 'object' ? JSON.stringify(entry.Policy, null, 2) : entry.Policy;
  if (policy !== undefined) {
    try {
      checkPolicyDocument(policy);
    } catch {
      throw new SeedError(`Invalid seed entry ${entryName}: Policy is not a valid key policy document`);
    }
  }
  const tagKeys = new Set<string>();
  for (const tag of entry.Tags ?? []) {
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw new SeedError(`Invalid seed entry ${entryName}: tag ${tag.TagKey} uses the reserved aws: prefix`);
    if (tagKeys.has(tag.TagKey)) throw new SeedError(`Invalid seed entry ${entryName}: duplicate tag ${tag.TagKey}`);
    tagKeys.add(tag.TagKey);
  }
  return {
    keyId: entry.Metadata.KeyId,
    description: entry.Metadata.Description,
    policy,
    tags: entry.Tags,
    enabled: entry.Metadata.Enabled ?? true,
    multiRegion: entry.Metadata.MultiRegion ?? false,
  };
}

function symmetricKeyFromSeed(entry: SeedKeyEntry, store: RegionStore, now: Date, entryName: string): KeyRecord {
  const origin = entry.Metadata.Origin ?? 'AWS_KMS';
  const backingKeys = (entry.BackingKeys ?? []).map((hex) => Buffer.from(hex, 'hex'));
  if (origin !== 'EXTERNAL' && backingKeys.length === 0) throw new SeedError(`Invalid seed entry ${entryName}: BackingKeys needs at least one 32-byte hex key`);
  if (origin === 'EXTERNAL' && backingKeys.length > 1) throw new SeedError(`Invalid seed entry ${entryName}: an EXTERNAL key has at most one backing key`);
  if (entry.Metadata.KeySpec !== undefined && entry.Metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw new SeedError(`Invalid seed entry ${entryName}: an Aes key has KeySpec SYMMETRIC_DEFAULT, not ${entry.Metadata.KeySpec}`);
  }
  const record = buildKey(store, { ...commonKeyFields(entry, entryName), materials: backingKeys, origin, creationDate: now });
  if (entry.NextKeyRotation !== undefined || entry.RotationPeriodInDays !== undefined) {
    const periodInDays = entry.RotationPeriodInDays ?? 365;
    const next = entry.NextKeyRotation !== undefined ? new Date(entry.NextKeyRotation) : new Date(now.getTime() + periodInDays * DAY_MS);
    if (Number.isNaN(next.getTime())) throw new SeedError(`Invalid seed entry ${entryName}: NextKeyRotation is not a date`);
    record.rotation = { enabled: true, periodInDays, nextRotationDate: next, onDemandRotations: 0 };
  }
  return record;
}

/**
 * local-kms's `Symmetric.Hmac` entries: KeySpec HMAC_224..512 and the raw key in hex (28/32/48/64 bytes).
 * AWS does not rotate HMAC keys, so only the last backing key is used; earlier ones and NextKeyRotation are
 * reported and ignored.
 */
function hmacKeyFromSeed(entry: SeedKeyEntry, store: RegionStore, now: Date, entryName: string, report: SeedReport): KeyRecord {
  const keySpec = entry.Metadata.KeySpec;
  if (keySpec === undefined || !isHmacSpec(keySpec)) {
    throw new SeedError(`Invalid seed entry ${entryName}: an Hmac key needs KeySpec HMAC_224, HMAC_256, HMAC_384 or HMAC_512`);
  }
  const keyUsage = entry.Metadata.KeyUsage ?? 'GENERATE_VERIFY_MAC';
  if (keyUsage !== 'GENERATE_VERIFY_MAC') throw new SeedError(`Invalid seed entry ${entryName}: an Hmac key has KeyUsage GENERATE_VERIFY_MAC`);
  const backingKeys = (entry.BackingKeys ?? []).map((hex) => Buffer.from(hex, 'hex'));
  const material = backingKeys[backingKeys.length - 1];
  if (!material || material.length !== HMAC_KEY_BYTES[keySpec]) {
    throw new SeedError(`Invalid seed entry ${entryName}: ${keySpec} needs a backing key of ${HMAC_KEY_BYTES[keySpec]} bytes (${HMAC_KEY_BYTES[keySpec] * 2} hex digits)`);
  }
  if (backingKeys.length > 1 || entry.NextKeyRotation !== undefined) {
    report.skipped.push(`${entryName}: HMAC keys do not rotate in AWS KMS; only the last backing key is used`);
  }
  return buildKey(store, { ...commonKeyFields(entry, entryName), keySpec, keyUsage, materials: [material], creationDate: now });
}

/**
 * Asymmetric entries: a PEM private key (PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" as local-kms's Ecc
 * entries use, or PKCS#1 "RSA PRIVATE KEY"); ML-DSA keys as PKCS#8 in the seed form or a 32-byte `Seed`.
 * The key spec comes from the key itself; Metadata.KeySpec, when given, must agree.
 */
async function asymmetricKeyFromSeed(
  kind: keyof typeof ASYMMETRIC_KINDS,
  entry: SeedKeyEntry,
  store: RegionStore,
  now: Date,
  entryName: string,
): Promise<KeyRecord> {
  const rules = ASYMMETRIC_KINDS[kind];
  const privateKey = await privateKeyFromSeedEntry(entry, entryName);
  const keySpec = specOfPrivateKey(privateKey);
  if (!keySpec || !rules.family(keySpec)) {
    throw new SeedError(`Invalid seed entry ${entryName}: PrivateKeyPem is not a private key of a key spec for ${kind} entries${keySpec ? ` (it is ${keySpec})` : ''}`);
  }
  if (entry.Metadata.KeySpec !== undefined && entry.Metadata.KeySpec !== keySpec) {
    throw new SeedError(`Invalid seed entry ${entryName}: Metadata.KeySpec ${entry.Metadata.KeySpec} does not match the private key, which is ${keySpec}`);
  }
  if (keySpec === 'SM2' && !store.region.startsWith('cn-')) {
    throw new SeedError(`Invalid seed entry ${entryName}: SM2 keys exist only in the China Regions (cn-north-1, cn-northwest-1), not ${store.region}`);
  }
  const keyUsage = (entry.Metadata.KeyUsage ?? rules.defaultUsage) as KeyUsageType | undefined;
  if (keyUsage === undefined) throw new SeedError(`Invalid seed entry ${entryName}: KeyUsage is required for ${kind} keys (${rules.usages.join(' or ')})`);
  if (!(rules.usages as readonly string[]).includes(keyUsage) || !KEY_SPEC_USAGES[keySpec][keyUsage]) {
    throw new SeedError(`Invalid seed entry ${entryName}: KeyUsage ${keyUsage} is not valid for ${keySpec}`);
  }
  // node:crypto cannot derive ML-DSA public keys: compute it from the seed inside the key.
  const mlDsaSeedBytes = keySpec.startsWith('ML_DSA_') ? mlDsaSeed(privateKey, keySpec as MlDsaSpec) : undefined;
  const publicKey = mlDsaSeedBytes ? (await mlDsaKeyPairFromSeed(keySpec as MlDsaSpec, mlDsaSeedBytes)).publicKey : undefined;
  return buildKey(store, { ...commonKeyFields(entry, entryName), keySpec, keyUsage, materials: [privateKey], publicKey, creationDate: now });
}

async function privateKeyFromSeedEntry(entry: SeedKeyEntry, entryName: string): Promise<Buffer> {
  if (entry.Seed !== undefined) {
    const keySpec = entry.Metadata.KeySpec;
    if (keySpec !== 'ML_DSA_44' && keySpec !== 'ML_DSA_65' && keySpec !== 'ML_DSA_87') {
      throw new SeedError(`Invalid seed entry ${entryName}: a Seed needs Metadata.KeySpec ML_DSA_44, ML_DSA_65 or ML_DSA_87`);
    }
    return (await mlDsaKeyPairFromSeed(keySpec, Buffer.from(entry.Seed, 'hex'))).privateKey;
  }
  if (entry.PrivateKeyPem === undefined) throw new SeedError(`Invalid seed entry ${entryName}: PrivateKeyPem is required`);
  try {
    return createPrivateKey({ key: entry.PrivateKeyPem, format: 'pem' }).export({ type: 'pkcs8', format: 'der' });
  } catch {
    // node:crypto cannot read ML-DSA keys: take the DER out of the PEM as it is.
    const match = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(entry.PrivateKeyPem);
    if (match) return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
    throw new SeedError(`Invalid seed entry ${entryName}: PrivateKeyPem is not an unencrypted PEM private key`);
  }
}

function applyAliases(aliases: SeedAlias[], store: RegionStore, now: Date, where: string, report: SeedReport): void {
  aliases.forEach((alias, index) => {
    const entryName = `${where}.${index} (${alias.AliasName})`;
    if (!alias.AliasName.startsWith('alias/') || alias.AliasName.startsWith('alias/aws/')) {
      throw new SeedError(`Invalid seed entry ${entryName}: an alias name starts with alias/ and not alias/aws/`);
    }
    if (store.aliases.has(alias.AliasName)) return;
    // local-kms stores TargetKeyId verbatim, so a key ARN works there too; kmslite keeps the bare id.
    const targetKeyId = parseArn(alias.TargetKeyId)?.resource.replace(/^key\//, '') ?? alias.TargetKeyId;
    const key = store.keys.get(targetKeyId);
    if (key?.metadata.KeyManager === 'AWS') {
      throw new SeedError(`Invalid seed entry ${entryName}: ${alias.TargetKeyId} is an AWS managed key, which takes no other alias`);
    }
    if (!key) {
      // local-kms does not check targets either; say so rather than stop (the key may be of a kind skipped above).
      report.skipped.push(`${entryName}: target key ${alias.TargetKeyId} is not seeded in ${store.region}`);
      return;
    }
    store.putAlias({ AliasName: alias.AliasName, AliasArn: store.aliasArn(alias.AliasName), TargetKeyId: targetKeyId, CreationDate: now, LastUpdatedDate: now });
    ownAliasNames(key).add(alias.AliasName);
    report.aliases++;
  });
}
