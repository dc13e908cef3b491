#!/usr/bin/env node
/** The `kmslite` command: flags mirror the environment variables (README, "Configuration"). */
import { Command, Option } from 'commander';
import { Kmslite } from './server/kmslite.js';
import { SeedError } from './config/seed.js';
import type { ConfigOverrides, LogFormat, LogLevel } from './config/config.js';
import { capYoungGeneration } from './server/youngGeneration.js';
import { kmsliteVersion } from './version.js';
import { bannerFacts, startupBanner } from './server/banner.js';
import { CONSOLE_PATH } from './server/consolePath.js';

const program = new Command()
  .name('kmslite')
  .description('An AWS KMS-compatible local emulator: real cryptography, verified SigV4, AWS-exact errors.')
  .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)', (value) => Number(value))
  .option('--host <host>', 'address to bind (env KMSLITE_HOST, default 127.0.0.1; the Docker image sets 0.0.0.0)')
  .option('--account-id <id>', 'default 12-digit account (env KMS_ACCOUNT_ID, default 111122223333)')
  .option('--region <region>', 'Region for local-kms-format seed entries (env KMS_REGION, default eu-west-2)')
  .option('--seed-path <file>', 'YAML seed file (env KMS_SEED_PATH; default /init/seed.yaml if present, else the bundled seed.yaml)')
  .option('--no-seed', 'start with empty stores')
  .option('--data-path <dir>', 'keep state in this directory across restarts (env KMS_DATA_PATH; default: in memory only)')
  .option('--credentials <list>', 'extra ACCESS_KEY:SECRET[:ACCOUNT_ID] entries, comma-separated (env KMSLITE_CREDENTIALS); test:test is always known')
  .option('--audit-max-events <n>', 'audit events kept in memory for GET /_kmslite/audit (env KMS_AUDIT_MAX_EVENTS, default 10000; 0 = none)', (value) => Number(value))
  .option('--audit-file <path>', 'also append every audit event as a JSON line to this file, mode 0600 (env KMS_AUDIT_PATH)')
  .addOption(
    new Option('--access-control <mode>', 'evaluate key policies, IAM policies and grants (env KMSLITE_ACCESS_CONTROL, default off)').choices(['off', 'audit', 'enforce']),
  )
  .option('--no-assume-secure-transport', 'aws:SecureTransport is false for plain-HTTP requests (env KMSLITE_ASSUME_SECURE_TRANSPORT=false; default true)')
  .option('--strict-credentials', 'reject access keys whose secret is unknown (env KMSLITE_STRICT_CREDENTIALS=true)')
  .option('--single-region', 'serve every request from --region whatever Region the client signs for, as local-kms (env KMSLITE_SINGLE_REGION=true)')
  .option('--audit-max-bytes <n>', 'estimated bytes the in-memory audit events may hold, oldest dropped first (env KMS_AUDIT_MAX_BYTES, default 33554432)', (value) => Number(value))
  .option('--allowed-hosts <list>', 'extra Host names the operator API answers, comma-separated, * = any (env KMSLITE_ALLOWED_HOSTS)')
  .option('--admin-token <token>', 'require Authorization: Bearer <token> on every operator API request (env KMSLITE_ADMIN_TOKEN)')
  .option('--allow-key-material-export', 'allow GET /_kmslite/state?includeKeyMaterial=true (env KMSLITE_ALLOW_KEY_MATERIAL_EXPORT=true)')
  .option('--allow-custom-regions', 'accept any Region-shaped name in the credential scope, not only AWS Regions (env KMSLITE_ALLOW_CUSTOM_REGIONS=true)')
  .addOption(
    new Option('--log-level <level>', 'log level (env KMSLITE_LOG_LEVEL, default info)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  )
  .addOption(
    new Option('--log-format <format>', 'request lines and start-up summary for people, or JSON lines (env KMSLITE_LOG_FORMAT; default pretty on a terminal, else json)').choices([
      'pretty',
      'json',
    ]),
  )
  .version(kmsliteVersion());

program.parse();
const options = program.opts<{
  port?: number;
  host?: string;
  accountId?: string;
  region?: string;
  seedPath?: string;
  seed: boolean;
  dataPath?: string;
  credentials?: string;
  strictCredentials?: boolean;
  singleRegion?: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  auditMaxEvents?: number;
  auditFile?: string;
  accessControl?: 'off' | 'audit' | 'enforce';
  assumeSecureTransport?: boolean;
  auditMaxBytes?: number;
  allowedHosts?: string;
  adminToken?: string;
  allowKeyMaterialExport?: boolean;
  allowCustomRegions?: boolean;
}>();

const overrides: ConfigOverrides = {
  port: options.port,
  host: options.host,
  accountId: options.accountId,
  region: options.region,
  seedPath: options.seed === false ? false : options.seedPath,
  dataPath: options.dataPath,
  credentials: options.credentials,
  strictCredentials: options.strictCredentials,
  singleRegion: options.singleRegion,
  logLevel: options.logLevel,
  logFormat: options.logFormat,
  auditMaxEvents: options.auditMaxEvents,
  auditPath: options.auditFile,
  accessControl: options.accessControl,
  // commander sets true by default for a --no- flag: only the flag itself (false) overrides the environment.
  assumeSecureTransport: options.assumeSecureTransport === false ? false : undefined,
  auditMaxBytes: options.auditMaxBytes,
  allowedHosts: options.allowedHosts,
  adminToken: options.adminToken,
  allowKeyMaterialExport: options.allowKeyMaterialExport,
  allowCustomRegions: options.allowCustomRegions,
};
for (const key of Object.keys(overrides) as (keyof ConfigOverrides)[]) if (overrides[key] === undefined) delete overrides[key];

// No top-level await: the bundle is CommonJS (scripts/bundle.mjs: it runs from a V8 code cache).
async function main(): Promise<void> {
  // V8's young generation held at 4 MiB semi-spaces, whatever the store's history (src/server/youngGeneration.ts).
  // KMSLITE_SEMI_SPACE_MB sets another size; 0 leaves V8 alone (the build's code-cache training run uses 0).
  const semiSpaceMiB = Number(process.env.KMSLITE_SEMI_SPACE_MB ?? 4);
  if (semiSpaceMiB > 0) capYoungGeneration(semiSpaceMiB);

  let kmslite: Kmslite;
  try {
    kmslite = await Kmslite.create(overrides);
  } catch (error) {
    console.error(`kmslite: ${error instanceof SeedError ? error.message : (error as Error).message}`);
    process.exit(1);
  }

  const listening = await kmslite.listen().catch((error: Error) => {
    console.error(`kmslite: cannot listen on ${kmslite.config.host}:${kmslite.config.port}: ${error.message}`);
    process.exit(1);
  });
  const { endpoint, port, address } = listening;
  const consoleUrl = `${endpoint}${CONSOLE_PATH}`;
  if (kmslite.logFormat === 'pretty') {
    // The summary is for a person at a terminal: shown at the default level (info), not at warn or silent.
    if (kmslite.logger.isLevelEnabled('info')) process.stdout.write(startupBanner(bannerFacts(kmslite, endpoint, port, consoleUrl)));
  } else {
    kmslite.logger.info(
      // `address` is what the socket is bound to (0.0.0.0 = every interface); the token, if any, is never logged.
      { address, endpoint, console: consoleUrl, version: kmsliteVersion(), accountId: kmslite.config.accountId, region: kmslite.config.region, seed: kmslite.seedPath ?? null, strictCredentials: kmslite.config.strictCredentials, singleRegion: kmslite.config.singleRegion, accessControl: kmslite.config.accessControl, operatorToken: kmslite.config.adminToken !== undefined },
      'kmslite listening',
    );
  }

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      kmslite.logger.info({ signal }, 'kmslite stopping');
      kmslite.close().then(() => process.exit(0));
    });
  }
}

void main();
