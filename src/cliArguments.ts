/**
 * The `kmslite` command's flags (they mirror the environment variables: README, "Configuration").
 *
 * commander defines and parses them, and owns --help, --version and every error text. Loading and building
 * commander's program is a few milliseconds of start-up, though, and the usual command line is a handful of
 * `--flag value` pairs: those are read here directly (`readPlainFlags`), to the same options object commander
 * makes. Anything else (help, version, an unknown or repeated flag, `--flag=value`, a short flag, a value that
 * starts with `-`, a value outside a flag's choices) goes to commander, so its answers do not change.
 * test/unit/cliArguments.test.ts compares both readings.
 */
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { kmsliteVersion } from './version.js';
import type { LogFormat, LogLevel } from './config/config.js';

export interface CliOptions {
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
}

const ACCESS_CONTROL_CHOICES = ['off', 'audit', 'enforce'];
const LOG_LEVEL_CHOICES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMAT_CHOICES = ['pretty', 'json'];

type Commander = typeof import('commander');

function loadCommander(): Commander {
  // The bundle is CommonJS (scripts/bundle.mjs): esbuild bundles commander for this literal require() call and
  // evaluates it only when the call runs. The ES module build (dist/src, tests) has no `require`: node's loader.
  return (typeof require === 'function' ? require('commander') : createRequire(import.meta.url)('commander')) as Commander;
}

/** The program: every flag, its help text and its parsing. */
export function kmsliteProgram(): Command {
  const { Command, Option } = loadCommander();
  return new Command()
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
      new Option('--access-control <mode>', 'evaluate key policies, IAM policies and grants (env KMSLITE_ACCESS_CONTROL, default off)').choices(ACCESS_CONTROL_CHOICES),
    )
    .option('--no-assume-secure-transport', 'aws:SecureTransport is false for plain-HTTP requests (env KMSLITE_ASSUME_SECURE_TRANSPORT=false; default true)')
    .option('--strict-credentials', 'reject access keys whose secret is unknown (env KMSLITE_STRICT_CREDENTIALS=true)')
    .option('--single-region', 'serve every request from --region whatever Region the client signs for, as local-kms (env KMSLITE_SINGLE_REGION=true)')
    .option('--audit-max-bytes <n>', 'estimated bytes the in-memory audit events may hold, oldest dropped first (env KMS_AUDIT_MAX_BYTES, default 33554432)', (value) => Number(value))
    .option('--allowed-hosts <list>', 'extra Host names the operator API answers, comma-separated, * = any (env KMSLITE_ALLOWED_HOSTS)')
    .option('--admin-token <token>', 'require Authorization: Bearer <token> on every operator API request (env KMSLITE_ADMIN_TOKEN)')
    .option('--allow-key-material-export', 'allow GET /_kmslite/state?includeKeyMaterial=true (env KMSLITE_ALLOW_KEY_MATERIAL_EXPORT=true)')
    .option('--allow-custom-regions', 'accept any Region-shaped name in the credential scope, not only AWS Regions (env KMSLITE_ALLOW_CUSTOM_REGIONS=true)')
    .addOption(new Option('--log-level <level>', 'log level (env KMSLITE_LOG_LEVEL, default info)').choices(LOG_LEVEL_CHOICES))
    .addOption(
      new Option('--log-format <format>', 'request lines and start-up summary for people, or JSON lines (env KMSLITE_LOG_FORMAT; default pretty on a terminal, else json)').choices(
        LOG_FORMAT_CHOICES,
      ),
    )
    .version(kmsliteVersion());
}

/** The flags that take a value: option key, and how commander turns the text into the value. */
const VALUE_FLAGS: Readonly<Record<string, { key: keyof CliOptions; read?: (text: string) => unknown; choices?: string[] }>> = {
  '--port': { key: 'port', read: Number },
  '--host': { key: 'host' },
  '--account-id': { key: 'accountId' },
  '--region': { key: 'region' },
  '--seed-path': { key: 'seedPath' },
  '--data-path': { key: 'dataPath' },
  '--credentials': { key: 'credentials' },
  '--audit-max-events': { key: 'auditMaxEvents', read: Number },
  '--audit-file': { key: 'auditFile' },
  '--access-control': { key: 'accessControl', choices: ACCESS_CONTROL_CHOICES },
  '--audit-max-bytes': { key: 'auditMaxBytes', read: Number },
  '--allowed-hosts': { key: 'allowedHosts' },
  '--admin-token': { key: 'adminToken' },
  '--log-level': { key: 'logLevel', choices: LOG_LEVEL_CHOICES },
  '--log-format': { key: 'logFormat', choices: LOG_FORMAT_CHOICES },
};
/** The flags without a value, and the value each sets. */
const SWITCH_FLAGS: Readonly<Record<string, { key: keyof CliOptions; value: boolean }>> = {
  '--no-seed': { key: 'seed', value: false },
  '--no-assume-secure-transport': { key: 'assumeSecureTransport', value: false },
  '--strict-credentials': { key: 'strictCredentials', value: true },
  '--single-region': { key: 'singleRegion', value: true },
  '--allow-key-material-export': { key: 'allowKeyMaterialExport', value: true },
  '--allow-custom-regions': { key: 'allowCustomRegions', value: true },
};

/**
 * The options commander would give for `args` (the arguments after the script), when they are only plain
 * `--flag value` pairs and switches, each at most once; undefined for anything else (then commander reads them).
 */
export function readPlainFlags(args: readonly string[]): CliOptions | undefined {
  // commander's defaults for the two --no- flags.
  const options: Record<string, unknown> = { seed: true, assumeSecureTransport: true };
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (seen.has(flag)) return undefined;
    seen.add(flag);
    const switched = SWITCH_FLAGS[flag];
    if (switched !== undefined) {
      options[switched.key] = switched.value;
      continue;
    }
    const valued = VALUE_FLAGS[flag];
    const text = args[i + 1];
    if (valued === undefined || text === undefined || text.startsWith('-')) return undefined;
    if (valued.choices !== undefined && !valued.choices.includes(text)) return undefined;
    options[valued.key] = valued.read ? valued.read(text) : text;
    i++;
  }
  return options as unknown as CliOptions;
}

/** The options of the command line `argv` (process.argv: node, the script, then the arguments). */
export function parseCommandLine(argv: readonly string[]): CliOptions {
  const plain = readPlainFlags(argv.slice(2));
  if (plain !== undefined) return plain;
  // commander prints help, the version or an error and exits for those; otherwise it returns the options.
  return kmsliteProgram().parse(argv as string[]).opts<CliOptions>();
}
