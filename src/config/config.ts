/**
 * Settings, from CLI flags over environment variables over defaults. The environment variables are
 * local-kms's (PORT, KMS_ACCOUNT_ID, KMS_REGION, KMS_SEED_PATH, KMS_DATA_PATH, and its deprecated
 * fallbacks ACCOUNT_ID, REGION, SEED_PATH, DATA_PATH) plus kmslite's own KMSLITE_* ones.
 * The README has the one table of all of them.
 */
import { isMountPoint } from './mountPoint.js';
import type { AccessControlMode, PrincipalDeclaration } from '../authz/index.js';

/** One entry of the credentials table (access key id → this): the secret SigV4 verifies with, and the account. */
export interface CredentialEntry {
  secretAccessKey: string;
  accountId?: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `pretty`: a start-up summary and one readable line per request, for a terminal; `json`: JSON lines (pino's). */
export type LogFormat = 'pretty' | 'json';

export interface KmsliteConfig {
  port: number;
  host: string;
  /** Default account: for seed entries without one, and for access keys that name none. */
  accountId: string;
  /** Default Region: for seed entries in local-kms format, which have none. */
  region: string;
  /** YAML seed file; undefined = none. A missing file at the default path is skipped, at an explicit path it is an error. */
  seedPath?: string;
  seedPathExplicit: boolean;
  /** Persistence directory; undefined = in memory. */
  dataPath?: string;
  /**
   * The data path came from KMSLITE_DATA_PATH_IF_MOUNTED (the Docker image sets it to /data): no KMS_DATA_PATH was
   * given and that directory is a mount point (a volume or bind mount), so the user asked for state to be kept.
   */
  dataPathFromMount: boolean;
  /** Access key id → secret (and optional account). */
  credentials: Map<string, CredentialEntry>;
  /** Strict mode rejects access keys whose secret kmslite does not know (UnrecognizedClientException). */
  strictCredentials: boolean;
  logLevel: LogLevel;
  /** undefined: pretty when the log stream is a terminal, else json (decided where the stream is known). */
  logFormat?: LogFormat;
  /** Maximum accepted request body in bytes. */
  maxBodyBytes: number;
  /** Audit events kept in memory (a ring; the oldest go first); 0 keeps none. */
  auditMaxEvents: number;
  /** Append audit events as JSON lines to this file; undefined = no file. */
  auditPath?: string;
  /**
   * Serve every request from `region`'s stores whatever Region the client signs for, as local-kms does (it has one
   * store). Off by default, also when only local-kms's variables are set: docs/migrating.md says why.
   */
  singleRegion: boolean;
  /** off (default): no evaluation; audit: evaluate and record, never refuse; enforce: refuse as AWS does. */
  accessControl: AccessControlMode;
  /** `aws:SecureTransport` of plain-HTTP requests (default true: every local request is plain HTTP). */
  assumeSecureTransport: boolean;
  /** Principals declared by the caller of startKmslite (the seed file's `Principals:` come on top). */
  principals: PrincipalDeclaration[];
  /** Estimated bytes the audit ring may hold; the oldest events go first beyond it (docs/audit.md). */
  auditMaxBytes: number;
  /** Host names the operator API answers besides loopback, the bound address and single-label names. */
  allowedHosts: string[];
  /** When set, every operator API request must carry `Authorization: Bearer <token>`. Never logged. */
  adminToken?: string;
  /** GET /_kmslite/state?includeKeyMaterial=true is refused unless this is on. */
  allowKeyMaterialExport: boolean;
  /** Accept any Region-shaped name in the credential scope, not only AWS's Regions (src/server/regions.ts). */
  allowCustomRegions: boolean;
}

export const DEFAULTS = {
  port: 8080,
  // Loopback only: the operator API and the permissive signature mode are for this machine. The Docker image sets
  // KMSLITE_HOST=0.0.0.0 itself (docs/docker.md).
  host: '127.0.0.1',
  accountId: '111122223333',
  region: 'eu-west-2',
  seedPath: '/init/seed.yaml',
  logLevel: 'info' as LogLevel,
  maxBodyBytes: 1024 * 1024,
  auditMaxEvents: 10_000,
  auditMaxBytes: 32 * 1024 * 1024,
};

/** The credentials everyone uses against local emulators; always known unless overridden. */
export const DEFAULT_CREDENTIALS: ReadonlyArray<[string, CredentialEntry]> = [['test', { secretAccessKey: 'test' }]];

function firstSet(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    // local-kms treats an empty variable as unset.
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * `KMSLITE_CREDENTIALS`: comma-separated `ACCESS_KEY:SECRET` or `ACCESS_KEY:SECRET:ACCOUNT_ID` entries,
 * added to the default `test:test`.
 */
export function parseCredentials(text: string | undefined): Map<string, CredentialEntry> {
  const table = new Map<string, CredentialEntry>(DEFAULT_CREDENTIALS);
  if (!text) return table;
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [accessKeyId, secretAccessKey, accountId] = entry.split(':');
    if (!accessKeyId || !secretAccessKey) throw new Error(`Invalid credentials entry '${entry}': expected ACCESS_KEY:SECRET[:ACCOUNT_ID]`);
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error(`Invalid account id '${accountId}' in credentials entry for ${accessKeyId}`);
    table.set(accessKeyId, accountId ? { secretAccessKey, accountId } : { secretAccessKey });
  }
  return table;
}

export interface ConfigOverrides {
  port?: number;
  host?: string;
  accountId?: string;
  region?: string;
  seedPath?: string | false;
  dataPath?: string;
  credentials?: string | Map<string, CredentialEntry>;
  strictCredentials?: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  maxBodyBytes?: number;
  auditMaxEvents?: number;
  auditPath?: string;
  singleRegion?: boolean;
  accessControl?: AccessControlMode;
  assumeSecureTransport?: boolean;
  principals?: PrincipalDeclaration[];
  auditMaxBytes?: number;
  allowedHosts?: string | string[];
  adminToken?: string;
  allowKeyMaterialExport?: boolean;
  allowCustomRegions?: boolean;
}

function flag(text: string | undefined): boolean {
  return text === 'true' || text === '1';
}

const ACCESS_CONTROL_MODES: readonly string[] = ['off', 'audit', 'enforce'];

export function resolveConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): KmsliteConfig {
  const portText = firstSet(env, 'PORT');
  const port = overrides.port ?? (portText !== undefined ? Number(portText) : DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port '${portText ?? overrides.port}'`);
  const accountId = overrides.accountId ?? firstSet(env, 'KMS_ACCOUNT_ID', 'ACCOUNT_ID') ?? DEFAULTS.accountId;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`Invalid account id '${accountId}': it must be 12 digits`);
  const region = overrides.region ?? firstSet(env, 'KMS_REGION', 'REGION') ?? DEFAULTS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new Error(`Invalid region '${region}'`);
  const seedFromEnv = firstSet(env, 'KMS_SEED_PATH', 'SEED_PATH');
  const seedPath = overrides.seedPath === false ? undefined : (overrides.seedPath ?? seedFromEnv ?? DEFAULTS.seedPath);
  const strictText = firstSet(env, 'KMSLITE_STRICT_CREDENTIALS');
  const singleRegionText = firstSet(env, 'KMSLITE_SINGLE_REGION');
  const credentials =
    overrides.credentials instanceof Map ? overrides.credentials : parseCredentials(overrides.credentials ?? firstSet(env, 'KMSLITE_CREDENTIALS'));
  const maxBodyText = firstSet(env, 'KMSLITE_MAX_BODY_BYTES');
  const auditMaxText = firstSet(env, 'KMS_AUDIT_MAX_EVENTS');
  const auditMaxEvents = overrides.auditMaxEvents ?? (auditMaxText !== undefined ? Number(auditMaxText) : DEFAULTS.auditMaxEvents);
  if (!Number.isInteger(auditMaxEvents) || auditMaxEvents < 0) {
    throw new Error(`Invalid audit event count '${auditMaxText ?? overrides.auditMaxEvents}': it must be a whole number ≥ 0`);
  }
  const explicitDataPath = overrides.dataPath ?? firstSet(env, 'KMS_DATA_PATH', 'DATA_PATH');
  const dataPathIfMounted = firstSet(env, 'KMSLITE_DATA_PATH_IF_MOUNTED');
  const dataPathFromMount = explicitDataPath === undefined && dataPathIfMounted !== undefined && isMountPoint(dataPathIfMounted);
  const logFormat = overrides.logFormat ?? (firstSet(env, 'KMSLITE_LOG_FORMAT') as LogFormat | undefined);
  if (logFormat !== undefined && logFormat !== 'pretty' && logFormat !== 'json') throw new Error(`Invalid log format '${logFormat}': expected pretty or json`);
  const accessControl = overrides.accessControl ?? firstSet(env, 'KMSLITE_ACCESS_CONTROL') ?? 'off';
  if (!ACCESS_CONTROL_MODES.includes(accessControl)) throw new Error(`Invalid access control mode '${accessControl}': it must be off, audit or enforce`);
  const secureText = firstSet(env, 'KMSLITE_ASSUME_SECURE_TRANSPORT');
  if (secureText !== undefined && !['true', 'false', '1', '0'].includes(secureText)) {
    throw new Error(`Invalid KMSLITE_ASSUME_SECURE_TRANSPORT '${secureText}': it must be true or false`);
  }
  const auditBytesText = firstSet(env, 'KMS_AUDIT_MAX_BYTES');
  const auditMaxBytes = overrides.auditMaxBytes ?? (auditBytesText !== undefined ? Number(auditBytesText) : DEFAULTS.auditMaxBytes);
  if (!Number.isInteger(auditMaxBytes) || auditMaxBytes < 0) {
    throw new Error(`Invalid audit byte budget '${auditBytesText ?? overrides.auditMaxBytes}': it must be a whole number ≥ 0`);
  }
  const allowedHostsValue = overrides.allowedHosts ?? firstSet(env, 'KMSLITE_ALLOWED_HOSTS') ?? [];
  const allowedHosts = (typeof allowedHostsValue === 'string' ? allowedHostsValue.split(',') : allowedHostsValue)
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return {
    port,
    host: overrides.host ?? firstSet(env, 'KMSLITE_HOST') ?? DEFAULTS.host,
    accountId,
    region,
    seedPath,
    seedPathExplicit: overrides.seedPath !== undefined || seedFromEnv !== undefined,
    dataPath: dataPathFromMount ? dataPathIfMounted : explicitDataPath,
    dataPathFromMount,
    credentials,
    strictCredentials: overrides.strictCredentials ?? (strictText === 'true' || strictText === '1'),
    logLevel: overrides.logLevel ?? (firstSet(env, 'KMSLITE_LOG_LEVEL') as LogLevel | undefined) ?? DEFAULTS.logLevel,
    logFormat,
    maxBodyBytes: overrides.maxBodyBytes ?? (maxBodyText !== undefined ? Number(maxBodyText) : DEFAULTS.maxBodyBytes),
    auditMaxEvents,
    auditPath: overrides.auditPath ?? firstSet(env, 'KMS_AUDIT_PATH'),
    singleRegion: overrides.singleRegion ?? (singleRegionText === 'true' || singleRegionText === '1'),
    accessControl: accessControl as AccessControlMode,
    assumeSecureTransport: overrides.assumeSecureTransport ?? (secureText === undefined ? true : secureText === 'true' || secureText === '1'),
    principals: overrides.principals ?? [],
    auditMaxBytes,
    allowedHosts,
    adminToken: overrides.adminToken ?? firstSet(env, 'KMSLITE_ADMIN_TOKEN'),
    allowKeyMaterialExport: overrides.allowKeyMaterialExport ?? flag(firstSet(env, 'KMSLITE_ALLOW_KEY_MATERIAL_EXPORT')),
    allowCustomRegions: overrides.allowCustomRegions ?? flag(firstSet(env, 'KMSLITE_ALLOW_CUSTOM_REGIONS')),
  };
}
