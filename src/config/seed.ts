/**
 * Seeding from YAML: the local-kms seed format, unchanged, plus kmslite's extensions (see seed.schema.json
 * and docs/seeding.md). An invalid seed stops start-up with a message naming the file, the entry and the
 * problem. Applying a seed never overwrites: a key or alias that already exists is kept (local-kms's rule).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
// Precompiled from seed.schema.json by scripts/gen-model.mjs (ajv standalone), so start-up never compiles a schema.
import { validateSeed } from './generated/seedValidator.js';
import type { StoreBundle } from '../store/bundle.js';
import type { RegionStore } from '../store/regionStore.js';
import { buildKey } from '../operations/_shared/newKey.js';
import { checkPolicyDocument } from '../operations/_shared/policy.js';
import { DAY_MS } from '../util/clock.js';
import { parseArn } from '../util/arn.js';

export class SeedError extends Error {}

interface SeedKeyEntry {
  Metadata: { KeyId: string; Description?: string; Enabled?: boolean; KeyUsage?: string; KeySpec?: string; Origin?: 'AWS_KMS' | 'EXTERNAL'; MultiRegion?: boolean };
  BackingKeys?: string[];
  NextKeyRotation?: string | Date;
  RotationPeriodInDays?: number;
  Tags?: { TagKey: string; TagValue: string }[];
  Policy?: string | object;
  PrivateKeyPem?: string;
}

interface SeedKeys {
  Symmetric?: { Aes?: SeedKeyEntry[]; Hmac?: SeedKeyEntry[] };
  Asymmetric?: { Rsa?: SeedKeyEntry[]; Ecc?: SeedKeyEntry[] };
}

interface SeedAlias {
  AliasName: string;
  TargetKeyId: string;
}

interface SeedScope {
  AccountId?: string;
  Region: string;
  Keys?: SeedKeys;
  Aliases?: SeedAlias[];
}

export interface SeedDocument {
  Keys?: SeedKeys;
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

export function loadSeedFile(path: string): SeedDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${path}: ${(error as Error).message}`);
  }
  return parseSeed(text, path);
}

export function parseSeed(text: string, source: string): SeedDocument {
  let document: unknown;
  try {
    // YAML 1.2 core schema; `uniqueKeys` off as in go-yaml v2, which local-kms uses.
    document = parseYaml(text, { uniqueKeys: false }) ?? {};
  } catch (error) {
    throw new SeedError(`Invalid seed file ${source}: not valid YAML: ${(error as Error).message}`);
  }
  normalizeNumbers(document);
  if (!validateSeed(document)) {
    const [first] = (validateSeed as unknown as { errors?: { instancePath: string; message?: string }[] }).errors ?? [];
    const where = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '(document)';
    throw new SeedError(`Invalid seed file ${source}: entry ${where} ${first?.message ?? 'is invalid'}`);
  }
  return document as SeedDocument;
}

/** YAML reads an unquoted 12-digit account id as a number; seed authors mean the string. */
function normalizeNumbers(document: unknown): void {
  if (typeof document !== 'object' || document === null) return;
  const regions = (document as { Regions?: unknown }).Regions;
  if (!Array.isArray(regions)) return;
  for (const scope of regions) {
    if (scope && typeof scope === 'object' && typeof scope.AccountId === 'number') scope.AccountId = String(scope.AccountId);
  }
}

/**
 * Puts the seed's keys and aliases into the stores, as of `now`. Throws SeedError (naming the file,
 * entry and problem) for an entry kmslite cannot honour; kinds of keys that a later issue brings are
 * reported in `skipped` instead.
 */
export function applySeed(document: SeedDocument, stores: StoreBundle, defaults: SeedDefaults, now: Date, source: string): SeedReport {
  const report: SeedReport = { keys: 0, aliases: 0, skipped: [] };
  const scopes: SeedScope[] = [{ Region: defaults.region, Keys: document.Keys, Aliases: document.Aliases }, ...(document.Regions ?? [])];
  scopes.forEach((scope, index) => {
    const label = index === 0 ? '' : `Regions.${index - 1}.`;
    const store = stores.get(scope.AccountId ?? defaults.accountId, scope.Region);
    applyKeys(scope.Keys, store, now, `${source}: ${label}Keys`, report);
    applyAliases(scope.Aliases ?? [], store, now, `${source}: ${label}Aliases`, report);
  });
  return report;
}

function applyKeys(keys: SeedKeys | undefined, store: RegionStore, now: Date, where: string, report: SeedReport): void {
  (keys?.Symmetric?.Aes ?? []).forEach((entry, index) => {
    const entryName = `${where}.Symmetric.Aes.${index} (KeyId ${entry.Metadata.KeyId})`;
    if (store.keys.has(entry.Metadata.KeyId)) return;
    store.putKey(symmetricKeyFromSeed(entry, store, now, entryName));
    report.keys++;
  });
  for (const [kind, entries] of [
    ['Symmetric.Hmac', keys?.Symmetric?.Hmac],
    ['Asymmetric.Rsa', keys?.Asymmetric?.Rsa],
    ['Asymmetric.Ecc', keys?.Asymmetric?.Ecc],
  ] as const) {
    (entries ?? []).forEach((entry, index) => {
      report.skipped.push(`${where}.${kind}.${index} (KeyId ${entry.Metadata.KeyId}): ${kind} keys are not supported by kmslite yet`);
    });
  }
}

function symmetricKeyFromSeed(entry: SeedKeyEntry, store: RegionStore, now: Date, entryName: string) {
  const origin = entry.Metadata.Origin ?? 'AWS_KMS';
  const backingKeys = (entry.BackingKeys ?? []).map((hex) => Buffer.from(hex, 'hex'));
  if (origin !== 'EXTERNAL' && backingKeys.length === 0) throw new SeedError(`Invalid seed entry ${entryName}: BackingKeys needs at least one 32-byte hex key`);
  if (origin === 'EXTERNAL' && backingKeys.length > 1) throw new SeedError(`Invalid seed entry ${entryName}: an EXTERNAL key has at most one backing key`);
  if (entry.Metadata.KeySpec !== undefined && entry.Metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw new SeedError(`Invalid seed entry ${entryName}: an Aes key has KeySpec SYMMETRIC_DEFAULT, not ${entry.Metadata.KeySpec}`);
  }
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
  const record = buildKey(store, {
    keyId: entry.Metadata.KeyId,
    description: entry.Metadata.Description,
    policy,
    tags: entry.Tags,
    materials: backingKeys,
    origin,
    enabled: entry.Metadata.Enabled ?? true,
    multiRegion: entry.Metadata.MultiRegion ?? false,
    creationDate: now,
  });
  if (entry.NextKeyRotation !== undefined || entry.RotationPeriodInDays !== undefined) {
    const periodInDays = entry.RotationPeriodInDays ?? 365;
    const next = entry.NextKeyRotation !== undefined ? new Date(entry.NextKeyRotation) : new Date(now.getTime() + periodInDays * DAY_MS);
    if (Number.isNaN(next.getTime())) throw new SeedError(`Invalid seed entry ${entryName}: NextKeyRotation is not a date`);
    record.rotation = { enabled: true, periodInDays, nextRotationDate: next, onDemandRotations: 0 };
  }
  return record;
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
    if (!key) {
      // local-kms does not check targets either; say so rather than stop (the key may be of a kind skipped above).
      report.skipped.push(`${entryName}: target key ${alias.TargetKeyId} is not seeded in ${store.region}`);
      return;
    }
    store.putAlias({ AliasName: alias.AliasName, AliasArn: store.aliasArn(alias.AliasName), TargetKeyId: targetKeyId, CreationDate: now, LastUpdatedDate: now });
    key.aliasNames.add(alias.AliasName);
    report.aliases++;
  });
}
