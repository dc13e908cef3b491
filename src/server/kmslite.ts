/**
 * One kmslite instance: the stores, the clock, the seed, and the HTTP server that serves them.
 * The KMS protocol path runs on node:http straight into the pipeline; everything else goes to the
 * Express admin app (ARCHITECTURE.md: Express adds 80–160 µs of CPU per request it routes).
 */
import { performance } from 'node:perf_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { StoreBundle } from '../store/bundle.js';
import { Clock } from '../util/clock.js';
import { operations } from '../operations/index.js';
import { handleProtocolRequest, type PipelineDependencies, type ProtocolResponse } from './pipeline.js';
import { resolveConfig, type ConfigOverrides, type KmsliteConfig } from '../config/config.js';
import { applySeed, loadSeedFile, type SeedDocument, type SeedReport } from '../config/seed.js';
import { KmsError, errorBody } from '../protocol/errors.js';
import { newRequestId } from '../util/ids.js';
import { ChangeTracker } from '../store/changeTracker.js';
import { MemoryPersistence, type Persistence } from '../store/persistence.js';
import { continueGrantSequenceAfter } from '../operations/_shared/grants.js';
import { continueCustomKeyStoreSequenceAfter } from '../operations/_shared/customKeyStores.js';
import { AuditTrail } from '../audit/trail.js';
import { recordProtocolAudit } from './pipelineAudit.js';
import { lazyLogger } from './lazyLogger.js';
import { findElsewhere } from './notFoundHint.js';
import { checkDataDirectory } from './dataDirectoryChecks.js';
import { prettyDestination } from './prettyLog.js';
import { hintFor, oncePerCause, type OncePerCause } from './hints.js';
import type { LogFormat } from '../config/config.js';

/**
 * The seed shipped with kmslite (package root), used when no seed path is given and /init/seed.yaml
 * does not exist. This module runs from src/server (tests), dist/src/server (built) or dist/kmslite.mjs (bundled).
 */
export const BUNDLED_SEED_PATH = ['../seed.yaml', '../../seed.yaml', '../../../seed.yaml']
  .map((relative) => new URL(relative, import.meta.url))
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) ?? 'seed.yaml';

type AdminHandler = (request: IncomingMessage, response: ServerResponse) => void;

export class Kmslite {
  readonly config: KmsliteConfig;
  readonly stores: StoreBundle;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Set only with a data directory: every store change is marked here and written before its answer. */
  private readonly tracker: ChangeTracker | undefined;
  private persistence: Persistence = new MemoryPersistence();
  /** One event per KMS protocol request; GetKeyLastUsage reads its last-use index. */
  readonly audit: AuditTrail;
  readonly seedPath: string | undefined;
  private seed: SeedDocument | undefined;
  private readonly pipeline: PipelineDependencies;
  private adminHandler: Promise<AdminHandler> | undefined;
  private readonly server: Server;
  /** pretty: a start-up summary (src/server/banner.ts) and readable lines; json: pino's JSON lines. */
  readonly logFormat: LogFormat;
  /** Hints and one-off warnings: each cause logged once (src/server/hints.ts). */
  readonly logOnce: OncePerCause = oncePerCause();

  /**
   * A configured kmslite with its seed applied, not listening yet. Throws (rejects) on bad settings or an
   * invalid seed (SeedError, naming the file, the entry and the problem).
   * `logStream`: where log lines go (default stdout); tests pass their own to read them.
   */
  static async create(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env, logStream?: NodeJS.WritableStream): Promise<Kmslite> {
    const kmslite = new Kmslite(overrides, env, logStream);
    kmslite.seed = kmslite.seedPath ? await loadSeedFile(kmslite.seedPath) : undefined;
    if (kmslite.tracker) {
      // local-kms's LevelDB files and an unwritable directory stop start-up with what to do (dataDirectoryChecks.ts).
      checkDataDirectory(kmslite.config.dataPath!);
      if (kmslite.config.dataPathFromMount) {
        kmslite.logger.info({ dataPath: kmslite.config.dataPath }, 'state kept in the mounted volume (KMSLITE_DATA_PATH_IF_MOUNTED); set KMS_DATA_PATH to choose another directory');
      }
      await kmslite.openDataDirectory(kmslite.tracker);
    }
    await kmslite.applySeed();
    // A fresh snapshot at every start: it holds what the seed added and replaces a journal a crash left behind.
    await kmslite.persistence.saveAll();
    return kmslite;
  }

  /**
   * Restores the persisted state; the seed is applied on top of it afterwards, as local-kms does: keys and
   * aliases that exist already are kept, never overwritten (docs/persistence.md).
   */
  private async openDataDirectory(tracker: ChangeTracker): Promise<void> {
    const { FilePersistence } = await import('../store/filePersistence.js');
    const persistence = await FilePersistence.open(this.config.dataPath!, tracker, (message) => this.logger.warn({ dataPath: this.config.dataPath }, message));
    const restored = await persistence.load({
      stores: this.stores,
      getClockOffset: () => this.clock.offset,
      setClockOffset: (offsetMs) => this.clock.restoreOffset(offsetMs),
      audit: this.audit,
    });
    this.persistence = persistence;
    this.pipeline.persistence = { tracker, persistence };
    if (!restored) return;
    let grants = -1;
    let customKeyStores = -1;
    for (const store of this.stores.all()) {
      for (const key of store.keys.values()) for (const grant of key.grants.values()) grants = Math.max(grants, grant.sequence);
      for (const record of store.customKeyStores.values()) customKeyStores = Math.max(customKeyStores, record.sequence);
    }
    continueGrantSequenceAfter(grants);
    continueCustomKeyStoreSequenceAfter(customKeyStores);
    this.logger.info({ dataPath: this.config.dataPath, keys: this.stores.all().reduce((count, store) => count + store.keys.size, 0) }, 'state restored');
  }

  /** Resolves once every change and audit event so far is on disk (immediately without a data directory). */
  commit(): Promise<void> {
    return this.persistence.flush();
  }

  /** Settings are read and checked here; create() reads the seed file, create() and reset() apply it. */
  private constructor(overrides: ConfigOverrides, env: NodeJS.ProcessEnv, logStream?: NodeJS.WritableStream) {
    this.config = resolveConfig(overrides, env);
    this.tracker = this.config.dataPath ? new ChangeTracker() : undefined;
    this.stores = new StoreBundle(this.tracker);
    this.clock = new Clock(this.tracker ? () => this.tracker!.clockOffsetChanged() : undefined);
    // pino with { level, base: undefined, timestamp: isoTime }, made at the first line to write (lazyLogger.ts).
    const out = logStream ?? process.stdout;
    this.logFormat = this.config.logFormat ?? ((out as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
    this.logger = lazyLogger(this.config.logLevel, this.logFormat === 'pretty' ? (prettyDestination(out) as unknown as NodeJS.WritableStream) : logStream);
    this.seedPath = chooseSeedPath(this.config);
    this.audit = new AuditTrail({
      maxEvents: this.config.auditMaxEvents,
      filePath: this.config.auditPath,
      onFileError: (error) => this.logger.error({ err: error }, 'audit file write failed'),
    });
    this.pipeline = {
      stores: this.stores,
      clock: this.clock,
      operations,
      audit: this.audit,
      defaultRegion: this.config.region,
      fixedRegion: this.config.singleRegion ? this.config.region : undefined,
      onNotFound: (input, accountId, region) => this.warnWhereElse(input, accountId, region),
      sigv4: {
        credentials: this.config.credentials,
        acceptUnknownAccessKeys: !this.config.strictCredentials,
        defaultAccountId: this.config.accountId,
        onUnverifiableAccessKey: (accessKeyId) =>
          this.logOnce(`unverifiable-access-key:${accessKeyId}`, () =>
            this.logger.warn({ accessKeyId }, 'access key has no known secret: signature not verified (start with --strict-credentials to reject such keys)'),
          ),
      },
    };
    this.server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => this.route(request, response));
  }

  /**
   * A key or alias the caller did not find exists in another Region or account: log it once (warn), with what to
   * do. The answer on the wire stays AWS's NotFoundException.
   */
  private warnWhereElse(input: Record<string, unknown>, accountId: string, region: string): void {
    for (const found of findElsewhere(this.stores, input, accountId, region)) {
      const hint =
        found.accountId !== accountId
          ? 'the account comes from the access key (README, "Accounts, Regions and credentials")'
          : found.region === this.config.region
            ? `each Region has its own keys and the client signed for ${region}: configure the client for ${found.region}, or start kmslite with --single-region (KMSLITE_SINGLE_REGION=true) to serve every request from KMS_REGION (${found.region}) whatever Region is signed, as local-kms does`
            : `each Region has its own keys and the client signed for ${region}: configure the client for ${found.region}`;
      this.logOnce(`elsewhere:${found.name} ${accountId}/${region} ${found.accountId}/${found.region}`, () =>
        this.logger.warn(
          { name: found.name, requestAccount: accountId, requestRegion: region, foundAccount: found.accountId, foundRegion: found.region },
          `NotFoundException for ${found.name} in account ${accountId}, Region ${region}: it exists in account ${found.accountId}, Region ${found.region}; ${hint}`,
        ),
      );
    }
  }

  /** Back to the seeded state: every store emptied, the seed applied again. The clock is left as it is. */
  async reset(): Promise<SeedReport | undefined> {
    this.stores.clear();
    this.audit.clearLastUsage();
    const report = await this.applySeed();
    await this.persistence.saveAll();
    return report;
  }

  private async applySeed(): Promise<SeedReport | undefined> {
    if (!this.seed || !this.seedPath) return undefined;
    const report = await applySeed(this.seed, this.stores, { accountId: this.config.accountId, region: this.config.region }, new Date(this.clock.now()), this.seedPath);
    for (const skipped of report.skipped) this.logger.warn({ seed: this.seedPath }, `seed entry skipped: ${skipped}`);
    return report;
  }

  async listen(): Promise<{ port: number; endpoint: string }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const port = (this.server.address() as AddressInfo).port;
    const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? '127.0.0.1' : this.config.host;
    return { port, endpoint: `http://${host}:${port}` };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.persistence.close();
    await this.audit.close();
  }

  /** The protocol pipeline without sockets, for tests and the benchmark. */
  handle(request: Parameters<typeof handleProtocolRequest>[0]): Promise<ProtocolResponse> {
    return handleProtocolRequest(request, this.pipeline);
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    if (isProtocolRequest(request)) {
      this.serveProtocol(request, response);
      return;
    }
    this.admin().then(
      (handler) => handler(request, response),
      (error) => {
        this.logger.error({ err: error }, 'admin app failed to load');
        sendError(response, new KmsError('KMSInternalException', 'An internal error occurred.'), newRequestId());
      },
    );
  }

  private serveProtocol(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > this.config.maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (tooLarge) {
        const requestId = newRequestId();
        response.setHeader('connection', 'close');
        const error = new KmsError('SerializationException', `Request body exceeds the maximum size of ${this.config.maxBodyBytes} bytes.`, { messageMember: 'Message' });
        sendError(response, error, requestId);
        recordProtocolAudit(this.pipeline, { url: request.url ?? '/', headers: request.headers, sourceIp: request.socket.remoteAddress }, requestId, {}, undefined, error);
        this.logger.info({ requestId, status: 400, error: 'SerializationException', bytes: size }, 'request');
        return;
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const sourceIp = request.socket.remoteAddress;
      handleProtocolRequest({ method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body, sourceIp }, this.pipeline).then(
        (result) => {
          response.writeHead(result.status, result.headers);
          response.end(result.body);
          this.logRequest(result, started);
          if (result.status >= 400) this.hint(result, request.headers);
        },
        (error) => {
          // handleProtocolRequest turns every error into a response; reaching here is a kmslite bug.
          this.logger.error({ err: error }, 'protocol pipeline failed');
          if (!response.headersSent) sendError(response, new KmsError('KMSInternalException', 'An internal error occurred.'), newRequestId());
        },
      );
    });
  }

  private logRequest(result: ProtocolResponse, started: number): void {
    if (!this.logger.isLevelEnabled('info') && !(result.status >= 500)) return;
    const durationMs = performance.now() - started;
    // The pipeline's log object becomes the line: no copies per request (after this only the hint check reads it,
    // for its error fields). Fields keep their order: the pipeline's (requestId, operation, …, error), then status
    // and durationMs.
    const line = result.log as ProtocolResponse['log'] & { fault?: string; status?: number; durationMs?: number };
    const fault = line.fault;
    if (fault !== undefined) delete line.fault;
    line.status = result.status;
    line.durationMs = Math.round(durationMs * 1000) / 1000;
    if (fault) this.logger.error({ ...line, fault }, 'request failed inside kmslite');
    else this.logger.info(line, 'request');
  }

  /** A hint for a common mistake behind a failed request, logged once per cause (src/server/hints.ts). */
  private hint(result: ProtocolResponse, headers: IncomingMessage['headers']): void {
    if (!this.logger.isLevelEnabled('warn')) return;
    const hint = hintFor(result.log, headers);
    if (hint) this.logOnce(hint.cause, () => this.logger.warn({ requestId: result.log.requestId, ...hint.fields }, hint.message));
  }

  private admin(): Promise<AdminHandler> {
    // Loaded on first use, so start-up and the protocol path never pay for Express.
    this.adminHandler ??= import('./adminApp.js').then(({ createAdminApp }) => createAdminApp(this));
    return this.adminHandler;
  }
}

/** AWS protocol requests: POST with an X-Amz-Target or an AWS JSON content type; everything else is the admin app's. */
function isProtocolRequest(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  if (request.headers['x-amz-target'] !== undefined) return true;
  const contentType = request.headers['content-type'] ?? '';
  return contentType.startsWith('application/x-amz-json');
}

export function sendError(response: ServerResponse, error: KmsError, requestId: string): void {
  const body = errorBody(error);
  response.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function chooseSeedPath(config: KmsliteConfig): string | undefined {
  if (config.seedPath === undefined) return undefined;
  if (config.seedPathExplicit) return config.seedPath;
  // No path given: local-kms's /init/seed.yaml when it exists, else the seed kmslite ships.
  return existsSync(config.seedPath) ? config.seedPath : BUNDLED_SEED_PATH;
}
