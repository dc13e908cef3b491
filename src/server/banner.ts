/**
 * The start-up summary the `kmslite` command prints in the pretty log format (a terminal): what is served,
 * where, from which seed, and one command to paste. In the JSON format the `kmslite listening` line carries
 * the same facts for machines.
 *
 *   kmslite 0.1.0: AWS KMS on http://127.0.0.1:8080 (listening on 0.0.0.0:8080)
 *     seed     /app/seed.yaml
 *     keys     account 111122223333  eu-west-2  2 keys, 1 alias
 *     ...
 */
import type { Kmslite } from './kmslite.js';
import { kmsliteVersion } from '../version.js';

export interface StoreSummary {
  accountId: string;
  region: string;
  keys: number;
  aliases: number;
}

export interface BannerFacts {
  version: string;
  endpoint: string;
  /** Address and port actually bound (0.0.0.0 when the endpoint shows 127.0.0.1). */
  listening: string;
  seedPath?: string;
  dataPath?: string;
  stores: StoreSummary[];
  accountId: string;
  region: string;
  strictCredentials: boolean;
  /** The key the example command uses: an alias or key id of the default account and Region. */
  exampleKeyId?: string;
  /** The web console's address, once kmslite has one (another issue adds it): shown when set. */
  consoleUrl?: string;
}

export function bannerFacts(kmslite: Kmslite, endpoint: string, port: number, consoleUrl?: string): BannerFacts {
  const stores = kmslite.stores
    .all()
    .filter((store) => store.keys.size > 0 || store.aliases.size > 0)
    .map((store) => ({ accountId: store.accountId, region: store.region, keys: store.keys.size, aliases: store.aliases.size }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  const home = kmslite.stores.find(kmslite.config.accountId, kmslite.config.region);
  const aliases = home ? [...home.aliases.keys()] : [];
  const exampleKeyId = aliases.includes('alias/kmslite-default') ? 'alias/kmslite-default' : (aliases[0] ?? (home ? home.keys.keys().next().value : undefined));
  return {
    version: kmsliteVersion(),
    endpoint,
    listening: `${kmslite.config.host}:${port}`,
    seedPath: kmslite.seedPath,
    dataPath: kmslite.config.dataPath,
    stores,
    accountId: kmslite.config.accountId,
    region: kmslite.config.region,
    strictCredentials: kmslite.config.strictCredentials,
    exampleKeyId,
    consoleUrl,
  };
}

export function startupBanner(facts: BannerFacts): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lines = [`kmslite ${facts.version}: AWS KMS on ${facts.endpoint} (listening on ${facts.listening})`];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(12)}${value}`);
  row('seed', facts.seedPath ?? 'none (--no-seed)');
  row('state', facts.dataPath ? `kept in ${facts.dataPath}` : 'in memory (--data-path keeps it)');
  if (facts.stores.length === 0) row('keys', 'none yet');
  facts.stores.forEach((store, index) =>
    row(index === 0 ? 'keys' : '', `account ${store.accountId}  ${store.region.padEnd(14)} ${count(store.keys, 'key', 'keys')}, ${count(store.aliases, 'alias', 'aliases')}`),
  );
  row('credentials', facts.strictCredentials ? 'test/test and --credentials only (--strict-credentials)' : 'any access key; test/test is always known');
  row('defaults', `account ${facts.accountId}, Region ${facts.region}`);
  if (facts.consoleUrl) row('console', facts.consoleUrl);
  row('health', `${facts.endpoint}/_kmslite/health`);
  lines.push('', '  try:', `    ${exampleCommand(facts)}`, '');
  return lines.join('\n') + '\n';
}

/** One aws CLI command that works as pasted (any shell): credentials, Region and endpoint on the line. */
export function exampleCommand(facts: Pick<BannerFacts, 'endpoint' | 'region' | 'exampleKeyId'>): string {
  const prefix = `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms --endpoint-url ${facts.endpoint} --region ${facts.region}`;
  return facts.exampleKeyId
    ? `${prefix} encrypt --key-id ${facts.exampleKeyId} --plaintext aGVsbG8= --query CiphertextBlob --output text`
    : `${prefix} create-key --query KeyMetadata.KeyId --output text`;
}
