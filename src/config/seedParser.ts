/**
 * Seed YAML → a document checked against seed.schema.json. Loaded on first use by seed.ts (parseSeed), so
 * the YAML library and the schema validator stay off the start-up path when the shipped seed is used
 * (the bundle carries it pre-parsed: precompiledSeed.ts).
 */
import { isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
// Precompiled from seed.schema.json by scripts/gen-model.mjs (ajv standalone), so start-up never compiles a schema.
import { validateSeed } from './generated/seedValidator.js';
import { SeedError } from './seedError.js';

export function parseSeedText(text: string, source: string): unknown {
  let document: unknown;
  try {
    // YAML 1.2 core schema; `uniqueKeys` off as in go-yaml v2, which local-kms uses.
    const parsed = parseDocument(text, { uniqueKeys: false });
    if (parsed.errors.length > 0) throw parsed.errors[0];
    keepBackingKeysAsText(parsed);
    document = parsed.toJS() ?? {};
  } catch (error) {
    throw new SeedError(`Invalid seed file ${source}: not valid YAML: ${(error as Error).message}`);
  }
  normalizeNumbers(document);
  acceptLegacyLayout(document);
  if (!validateSeed(document)) {
    const [first] = (validateSeed as unknown as { errors?: { instancePath: string; message?: string }[] }).errors ?? [];
    const where = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '(document)';
    throw new SeedError(`Invalid seed file ${source}: entry ${where} ${first?.message ?? 'is invalid'}`);
  }
  return document;
}

/**
 * A backing key is hex text, but YAML reads an unquoted one made of digits only (or like `1e5`) as a number:
 * go-yaml v2, which local-kms uses, gives a string field the scalar's text, so kmslite does the same.
 */
function keepBackingKeysAsText(document: ReturnType<typeof parseDocument>): void {
  visit(document, {
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'BackingKeys' || !isSeq(pair.value)) return;
      for (const item of pair.value.items) {
        if (isScalar(item) && typeof item.value !== 'string' && typeof item.source === 'string') item.value = item.source;
      }
    },
  });
}

/**
 * local-kms's first seed layout (until May 2020, and still read by local-kms as a fallback): `Keys` is a plain list
 * of AES entries. It is the same entries as `Keys.Symmetric.Aes` in today's layout, so they are moved there.
 */
function acceptLegacyLayout(document: unknown): void {
  if (typeof document !== 'object' || document === null) return;
  const holder = document as { Keys?: unknown };
  if (Array.isArray(holder.Keys)) holder.Keys = { Symmetric: { Aes: holder.Keys } };
}

/**
 * YAML reads an unquoted 12-digit account id as a number; seed authors mean the string. The same for principals'
 * tag and context values (`kms:GrantIsForAWSResource: true`, `cost-centre: 42`): IAM compares them as strings.
 */
function normalizeNumbers(document: unknown): void {
  if (typeof document !== 'object' || document === null) return;
  const principals = (document as { Principals?: unknown }).Principals;
  if (Array.isArray(principals)) {
    for (const principal of principals) {
      if (!principal || typeof principal !== 'object') continue;
      for (const member of ['Tags', 'Context']) stringifyScalars(principal[member]);
    }
  }
  const regions = (document as { Regions?: unknown }).Regions;
  if (!Array.isArray(regions)) return;
  for (const scope of regions) {
    if (scope && typeof scope === 'object' && typeof scope.AccountId === 'number') scope.AccountId = String(scope.AccountId);
  }
}

function stringifyScalars(map: unknown): void {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return;
  const record = map as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'number' || typeof value === 'boolean') record[name] = String(value);
    else if (Array.isArray(value)) record[name] = value.map((item) => (typeof item === 'number' || typeof item === 'boolean' ? String(item) : item));
  }
}
