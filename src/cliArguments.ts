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

/**
 * Every flag, once: commander's flag text and help, the option key, and (for a flag with a value) how the text
 * becomes the value and the allowed choices, or (for a switch) the value it sets. Both readers are built from it.
 */
interface FlagSpec {
  /** commander's flags text, e.g. `-p, --port <port>` or `--no-seed`. */
  flags: string;
  help: string;
  key: keyof CliOptions;
  read?: (text: string) => unknown;
  choices?: string[];
  /** Switches only: the value the flag sets. */
  switchValue?: boolean;
}

const FLAGS: readonly FlagSpec[] = [
  { flags: '-p, --port <port>', key: 'port', read: Number, help: 'port to listen on (env PORT, default 8080)' },
  { flags: '--host <host>', key: 'host', help: 'address to bind (env KMSLITE_HOST, default 127.0.0.1; the Docker image sets 0.0.0.0)' },
  { flags: '--account-id <id>', key: 'accountId', help: 'default 12-digit account (env KMS_ACCOUNT_ID, default 111122223333)' },
  { flags: '--region <region>', key: 'region', help: 'Region for local-kms-format seed entries (env KMS_REGION, default eu-west-2)' },
  { flags: '--seed-path <file>', key: 'seedPath', help: 'YAML seed file (env KMS_SEED_PATH; default /init/seed.yaml if present, else the bundled seed.yaml)' },
  { flags: '--no-seed', key: 'seed', switchValue: false, help: 'start with empty stores' },
  { flags: '--data-path <dir>', key: 'dataPath', help: 'keep state in this directory across restarts (env KMS_DATA_PATH; default: in memory only)' },
  { flags: '--credentials <list>', key: 'credentials', help: 'extra ACCESS_KEY:SECRET[:ACCOUNT_ID] entries, comma-separated (env KMSLITE_CREDENTIALS); test:test is always known' },
  { flags: '--audit-max-events <n>', key: 'auditMaxEvents', read: Number, help: 'audit events kept in memory for GET /_kmslite/audit (env KMS_AUDIT_MAX_EVENTS, default 10000; 0 = none)' },
  { flags: '--audit-file <path>', key: 'auditFile', help: 'also append every audit event as a JSON line to this file, mode 0600 (env KMS_AUDIT_PATH)' },
  { flags: '--access-control <mode>', key: 'accessControl', choices: ['off', 'audit', 'enforce'], help: 'evaluate key policies, IAM policies and grants (env KMSLITE_ACCESS_CONTROL, default off)' },
  { flags: '--no-assume-secure-transport', key: 'assumeSecureTransport', switchValue: false, help: 'aws:SecureTransport is false for plain-HTTP requests (env KMSLITE_ASSUME_SECURE_TRANSPORT=false; default true)' },
  { flags: '--strict-credentials', key: 'strictCredentials', switchValue: true, help: 'reject access keys whose secret is unknown (env KMSLITE_STRICT_CREDENTIALS=true)' },
  { flags: '--single-region', key: 'singleRegion', switchValue: true, help: 'serve every request from --region whatever Region the client signs for, as local-kms (env KMSLITE_SINGLE_REGION=true)' },
  { flags: '--audit-max-bytes <n>', key: 'auditMaxBytes', read: Number, help: 'estimated bytes the in-memory audit events may hold, oldest dropped first (env KMS_AUDIT_MAX_BYTES, default 33554432)' },
  { flags: '--allowed-hosts <list>', key: 'allowedHosts', help: 'extra Host names the operator API answers, comma-separated, * = any (env KMSLITE_ALLOWED_HOSTS)' },
  { flags: '--admin-token <token>', key: 'adminToken', help: 'require Authorization: Bearer <token> on every operator API request (env KMSLITE_ADMIN_TOKEN)' },
  { flags: '--allow-key-material-export', key: 'allowKeyMaterialExport', switchValue: true, help: 'allow GET /_kmslite/state?includeKeyMaterial=true (env KMSLITE_ALLOW_KEY_MATERIAL_EXPORT=true)' },
  { flags: '--allow-custom-regions', key: 'allowCustomRegions', switchValue: true, help: 'accept any Region-shaped name in the credential scope, not only AWS Regions (env KMSLITE_ALLOW_CUSTOM_REGIONS=true)' },
  { flags: '--log-level <level>', key: 'logLevel', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], help: 'log level (env KMSLITE_LOG_LEVEL, default info)' },
  {
    flags: '--log-format <format>',
    key: 'logFormat',
    choices: ['pretty', 'json'],
    help: 'request lines and start-up summary for people, or JSON lines (env KMSLITE_LOG_FORMAT; default pretty on a terminal, else json)',
  },
];

/** The long form of a flag (`--port` of `-p, --port <port>`). */
function longFlag(flags: string): string {
  return /--[a-z-]+/.exec(flags)![0];
}

type Commander = typeof import('commander');

function loadCommander(): Commander {
  // The bundle is CommonJS (scripts/bundle.mjs): esbuild bundles commander for this literal require() call and
  // evaluates it only when the call runs. The ES module build (dist/src, tests) has no `require`: node's loader.
  return (typeof require === 'function' ? require('commander') : createRequire(import.meta.url)('commander')) as Commander;
}

/** The program: every flag of FLAGS, its help text and its parsing. */
export function kmsliteProgram(): Command {
  const { Command, Option } = loadCommander();
  const program = new Command().name('kmslite').description('An AWS KMS-compatible local emulator: real cryptography, verified SigV4, AWS-exact errors.');
  for (const flag of FLAGS) {
    if (flag.choices !== undefined) program.addOption(new Option(flag.flags, flag.help).choices(flag.choices));
    else if (flag.read !== undefined) program.option(flag.flags, flag.help, (value: string) => flag.read!(value));
    else program.option(flag.flags, flag.help);
  }
  return program.version(kmsliteVersion());
}

/** The flags that take a value, by long form. */
const VALUE_FLAGS = new Map(FLAGS.filter((flag) => flag.switchValue === undefined).map((flag) => [longFlag(flag.flags), flag]));
/** The flags without a value, by long form. */
const SWITCH_FLAGS = new Map(FLAGS.filter((flag) => flag.switchValue !== undefined).map((flag) => [longFlag(flag.flags), flag]));

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
    const switched = SWITCH_FLAGS.get(flag);
    if (switched !== undefined) {
      options[switched.key] = switched.switchValue;
      continue;
    }
    const valued = VALUE_FLAGS.get(flag);
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
