#!/usr/bin/env node
/** The `kmslite` command: flags mirror the environment variables (README, "Configuration"). */
import { Kmslite } from './server/kmslite.js';
import { SeedError } from './config/seed.js';
import type { ConfigOverrides } from './config/config.js';
import { parseCommandLine } from './cliArguments.js';
import { capYoungGeneration } from './server/youngGeneration.js';
import { kmsliteVersion } from './version.js';
import { bannerFacts, startupBanner } from './server/banner.js';
import { CONSOLE_PATH } from './server/consolePath.js';
import { WRITE_LINE } from './server/lazyLogger.js';
import { formatInfoLine, isoTimeText } from './server/requestLine.js';

// commander only for what is not plain `--flag value` pairs (help, version, errors): src/cliArguments.ts.
const options = parseCommandLine(process.argv);

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

/** How long after listening the young generation's watch starts (see main). */
const YOUNG_GENERATION_WATCH_DELAY_MS = 200;

// No top-level await: the bundle is CommonJS (scripts/bundle.mjs: it runs from a V8 code cache).
async function main(): Promise<void> {
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
  } else if (kmslite.logger.isLevelEnabled('info')) {
    // pino's line for logger.info(fields, 'kmslite listening'), built as one string (requestLine.ts), so pino is not
    // loaded before the first answer.
    const fields = {
      // `address` is what the socket is bound to (0.0.0.0 = every interface); the token, if any, is never logged.
      address,
      endpoint,
      console: consoleUrl,
      version: kmsliteVersion(),
      accountId: kmslite.config.accountId,
      region: kmslite.config.region,
      seed: kmslite.seedPath ?? null,
      strictCredentials: kmslite.config.strictCredentials,
      singleRegion: kmslite.config.singleRegion,
      accessControl: kmslite.config.accessControl,
      operatorToken: kmslite.config.adminToken !== undefined,
    };
    kmslite.logger[WRITE_LINE](formatInfoLine(fields, 'kmslite listening', isoTimeText(Date.now())));
  }

  // V8's young generation held at 4 MiB semi-spaces, whatever the store's history (src/server/youngGeneration.ts).
  // KMSLITE_SEMI_SPACE_MB sets another size; 0 leaves V8 alone (the build's code-cache training run uses 0).
  // Started a moment after listening, so its modules load after the first answers, not before: the semi-spaces
  // start at 1 MiB and cannot reach the cap in that time (each growth needs a semi-space's worth of survivors).
  const semiSpaceMiB = Number(process.env.KMSLITE_SEMI_SPACE_MB ?? 4);
  if (semiSpaceMiB > 0) setTimeout(() => capYoungGeneration(semiSpaceMiB), YOUNG_GENERATION_WATCH_DELAY_MS).unref();

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
