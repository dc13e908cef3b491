/**
 * One kmslite instance: the stores, the clock, the seed, and the HTTP server that serves them.
 * Plain KMS protocol requests are read on the socket (plainRequests.ts) straight into the pipeline; any other
 * request hands its connection to node:http, which sends protocol requests to the same pipeline and everything
 * else to the Express admin app (ARCHITECTURE.md: Express adds 80–160 µs of CPU per request it routes;
 * docs/architecture.md: why plain requests skip node:http).
 *
 * Longer than 300 lines because it is the one class that owns an instance's life (create, reset, listen, close)
 * and its routing; what stands alone already lives beside it (pipeline.ts, adminApp.ts, hints.ts, notFoundHint.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { StoreBundle } from '../store/bundle.js';
import { Clock, monotonicMs } from '../util/clock.js';
import { operations } from '../operations/index.js';
import { handleProtocolRequest, type PipelineDependencies, type ProtocolResponse } from './pipeline.js';
import { resolveConfig, type ConfigOverrides, type KmsliteConfig } from '../config/config.js';
import { applySeed, loadSeedFile, type SeedDocument, type SeedReport } from '../config/seed.js';
import { KmsError, errorBody, errors } from '../protocol/errors.js';
import type { Duplex } from 'node:stream';
import { AWS_REGIONS } from './regions.js';
import { newRequestId } from '../util/ids.js';
import { ChangeTracker } from '../store/changeTracker.js';
import { MemoryPersistence, type Persistence } from '../store/persistence.js';
import { continueGrantSequenceAfter } from '../kms/grants.js';
import { continueCustomKeyStoreSequenceAfter } from '../kms/customKeyStores.js';
import { AuditTrail } from '../audit/trail.js';
import { recordProtocolAudit } from './pipelineAudit.js';
import { lazyLogger, WRITE_LINE, type LineWritingLogger } from './lazyLogger.js';
import { formatRequestLine, isoTimeText } from './requestLine.js';
import { findElsewhere } from './notFoundHint.js';
import { checkDataDirectory } from './dataDirectoryChecks.js';
import { prettyDestination } from './prettyLog.js';
import { hintFor, oncePerCause, type OncePerCause } from './hints.js';
import type { LogFormat } from '../config/config.js';
import { AccessControl, PrincipalTable, type PrincipalDeclaration } from './accessControl.js';
import { SeedError } from '../config/seedError.js';
import type { AdminTarget } from './adminTarget.js';
import { servePlainConnection, type PlainAnswer, type PlainRequest, type PlainRequestHost } from './plainRequests.js';

/**
 * The seed shipped with kmslite (package root), used when no seed path is given and /init/seed.yaml
 * does not exist. This module runs from src/server (tests), dist/src/server (built) or dist/bundle/server.cjs (bundled).
 */
export const BUNDLED_SEED_PATH = ['../seed.yaml', '../../seed.yaml', '../../../seed.yaml']
  .map((relative) => new URL(relative, import.meta.url))
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) ?? 'seed.yaml';

type AdminHandler = (request: IncomingMessage, response: ServerResponse) => void;

export class Kmslite implements AdminTarget {
  readonly config: KmsliteConfig;
  readonly stores: StoreBundle;
  readonly clock: Clock;
  readonly logger: LineWritingLogger;
  /** Set only with a data directory: every store change is marked here and written before its answer. */
  private readonly tracker: ChangeTracker | undefined;
  private persistence: Persistence = new MemoryPersistence();
  /** One event per KMS protocol request; GetKeyLastUsage reads its last-use index. */
  readonly audit: AuditTrail;
  readonly seedPath: string | undefined;
  private seed: SeedDocument | undefined;
  private readonly pipeline: PipelineDependencies;
  private adminHandler: Promise<AdminHandler> | undefined;
  /**
   * One buffer, reused, for the large bodies of requests in the pipeline one at a time (serveProtocol). A fresh
   * 1 MiB buffer per request comes from malloc, which keeps the memory it gets back when such requests keep
   * coming (refused 1 MiB requests grew RSS by tens of MiB that a full GC did not give back, docs/contributing/benchmarks.md).
   * The pipeline keeps nothing of the body after it answers (it copies what it keeps: texts, decoded blobs).
   */
  private largeBody: Buffer | undefined;
  private largeBodyInUse = false;
  /** node:http: every request that is not a plain protocol request, and the rest of its connection (plainRequests.ts). */
  private readonly server: Server;
  /** What listens: each connection starts with plainRequests.ts, which hands it to `server` at the first other request. */
  private readonly listener: NetServer;
  private readonly sockets = new Set<Socket>();
  private readonly plainHost: PlainRequestHost<ProtocolResponse>;
  /** pretty: a start-up summary (src/server/banner.ts) and readable lines; json: pino's JSON lines. */
  readonly logFormat: LogFormat;
  /** Hints and one-off warnings: each cause logged once (src/server/hints.ts). */
  readonly logOnce: OncePerCause = oncePerCause();
  /** Declared principals (seed `Principals:`, start options, admin API); their secrets join the credentials table. */
  readonly principals: PrincipalTable;
  /** `--access-control audit|enforce`; undefined with `off`. */
  readonly accessControl: AccessControl | undefined;

  /**
   * A configured kmslite with its seed applied, not listening yet. Throws (rejects) on bad settings or an
   * invalid seed (SeedError, naming the file, the entry and the problem).
   * `logStream`: where log lines go (default stdout); tests pass their own to read them.
   */
  static async create(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env, logStream?: NodeJS.WritableStream): Promise<Kmslite> {
    const kmslite = new Kmslite(overrides, env, logStream);
    kmslite.seed = kmslite.seedPath ? await loadSeedFile(kmslite.seedPath) : undefined;
    kmslite.declarePrincipals();
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

  /**
   * The configured principals: start options first, then the seed file's `Principals:`. A wrong entry stops
   * start-up with a message naming where it was written, the entry and the problem.
   */
  private declarePrincipals(): void {
    const declarations: { declaration: PrincipalDeclaration; where: string }[] = this.config.principals.map((declaration, index) => ({
      declaration,
      where: `Invalid principal principals[${index}] (AccessKeyId ${declaration.AccessKeyId})`,
    }));
    (this.seed?.Principals ?? []).forEach((declaration, index) => {
      declarations.push({ declaration, where: `Invalid seed file ${this.seedPath}: entry Principals.${index} (AccessKeyId ${declaration.AccessKeyId})` });
    });
    try {
      this.principals.setSeeded(declarations);
    } catch (error) {
      throw new SeedError((error as Error).message);
    }
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
    // process.stdout is made only for the pretty format (its stream costs start-up time; JSON lines go to fd 1).
    const outIsTTY = logStream ? (logStream as { isTTY?: boolean }).isTTY === true : isatty(1);
    this.logFormat = this.config.logFormat ?? (outIsTTY ? 'pretty' : 'json');
    this.logger = lazyLogger(this.config.logLevel, this.logFormat === 'pretty' ? (prettyDestination(logStream ?? process.stdout) as unknown as NodeJS.WritableStream) : logStream);
    this.seedPath = chooseSeedPath(this.config);
    this.audit = new AuditTrail({
      maxEvents: this.config.auditMaxEvents,
      maxBytes: this.config.auditMaxBytes,
      filePath: this.config.auditPath,
      onFileError: (error) => this.logger.error({ err: error }, 'audit file write failed'),
    });
    this.principals = new PrincipalTable(this.config.credentials);
    this.accessControl =
      this.config.accessControl === 'off'
        ? undefined
        : new AccessControl(this.config.accessControl, this.principals, this.config.assumeSecureTransport, this.stores, this.logger);
    this.pipeline = {
      stores: this.stores,
      clock: this.clock,
      operations,
      audit: this.audit,
      defaultRegion: this.config.region,
      fixedRegion: this.config.singleRegion ? this.config.region : undefined,
      onNotFound: (input, accountId, region) => this.warnWhereElse(input, accountId, region),
      ...(this.accessControl ? { accessControl: this.accessControl } : {}),
      sigv4: {
        credentials: this.config.credentials,
        acceptUnknownAccessKeys: !this.config.strictCredentials,
        strictSigning: this.config.strictCredentials,
        defaultAccountId: this.config.accountId,
        // AWS's Regions (and the configured default Region); any Region-shaped name with --allow-custom-regions.
        knownRegions: this.config.allowCustomRegions ? undefined : new Set([...AWS_REGIONS, this.config.region]),
        onUnverifiableAccessKey: (accessKeyId) =>
          this.logOnce(`unverifiable-access-key:${accessKeyId}`, () =>
            this.logger.warn({ accessKeyId }, 'access key has no known secret: signature not verified (start with --strict-credentials to reject such keys)'),
          ),
      },
    };
    this.server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (request, response) => this.route(request, response));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
    this.plainHost = {
      serve: (request, socket) => this.servePlain(request, socket),
      answered: (request, answer, started) => this.afterAnswer(answer, request.headers, started),
      handOff: (socket) => this.server.emit('connection', socket),
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
      maxBodyBytes: this.config.maxBodyBytes,
    };
    // node:http's own socket options (allowHalfOpen, noDelay), so a connection it takes over behaves as one it accepted.
    this.listener = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      servePlainConnection(socket, this.plainHost);
    });
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
    // Principals are configuration: the seeded ones come back, those added through the admin API go.
    this.principals.restoreSeeded();
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

  /** `address`: what the socket is bound to (`0.0.0.0:8080`, `127.0.0.1:8080`); `endpoint`: a URL clients on this machine can use. */
  async listen(): Promise<{ port: number; endpoint: string; address: string }> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.config.port, this.config.host, () => {
        this.listener.off('error', reject);
        // node:http starts its connection tracking (headersTimeout, requestTimeout, closeAllConnections) on
        // 'listening'; it never listens itself, the connections it gets come from plainRequests.ts.
        this.server.emit('listening');
        resolve();
      });
    });
    const bound = this.listener.address() as AddressInfo;
    const port = bound.port;
    const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
    const host = wildcard ? '127.0.0.1' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    const address = bound.family === 'IPv6' ? `[${bound.address}]:${port}` : `${bound.address}:${port}`;
    return { port, endpoint: `http://${host}:${port}`, address };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.listener.close(() => resolve());
      // Stops node:http's connection checks; it is not listening, so no callback (it would be told so).
      this.server.close();
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    await this.persistence.close();
    await this.audit.close();
  }

  /** The protocol pipeline without sockets, for tests and the benchmark. */
  async handle(request: Parameters<typeof handleProtocolRequest>[0]): Promise<ProtocolResponse> {
    return handleProtocolRequest(request, this.pipeline);
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    if (isProtocolRequest(request)) {
      // The KMS API lives at `/` only (a query string is allowed: presigned requests). CHOSEN answer for other
      // paths: the unknown-operation error, without a message (docs/aws-compatibility.md).
      const url = request.url ?? '/';
      if (url === '/' || url.startsWith('/?')) this.serveProtocol(request, response);
      else {
        request.resume();
        sendError(response, errors.unknownOperation(), newRequestId());
      }
      return;
    }
    this.admin().then(
      (handler) => handler(request, response),
      (error) => {
        this.logger.error({ err: error }, 'admin app failed to load');
        sendError(response, errors.internal(), newRequestId());
      },
    );
  }

  private serveProtocol(request: IncomingMessage, response: ServerResponse): void {
    const started = monotonicMs();
    const chunks: Buffer[] = [];
    let size = 0;
    // A declared Content-Length over the limit is refused without keeping any of the body (it is still read to
    // the end, so the client, which may still be sending, gets the answer).
    const refusedEarly = Number(request.headers['content-length']) > this.config.maxBodyBytes;
    let tooLarge = refusedEarly;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) {
        if (refusedEarly) size += chunk.length;
        return;
      }
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
      const borrowed = chunks.length > 1 && size > LARGE_BODY_BYTES && size <= REUSED_BODY_BYTES && !this.largeBodyInUse;
      let body: Buffer;
      if (borrowed) {
        this.largeBody ??= Buffer.allocUnsafeSlow(REUSED_BODY_BYTES);
        this.largeBodyInUse = true;
        let offset = 0;
        for (const chunk of chunks) offset += chunk.copy(this.largeBody, offset);
        body = this.largeBody.subarray(0, size);
      } else {
        body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      }
      chunks.length = 0;
      const sourceIp = request.socket.remoteAddress;
      // Usually answered synchronously; a promise only when a step of the pipeline really waits (pipeline.ts).
      // The reused large-body buffer is free again once the pipeline has answered.
      let result: ProtocolResponse | Promise<ProtocolResponse>;
      try {
        result = handleProtocolRequest({ method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body, sourceIp }, this.pipeline);
      } catch (error) {
        if (borrowed) this.largeBodyInUse = false;
        this.pipelineFailed(response, error);
        return;
      }
      if (result instanceof Promise) {
        result.then(
          (answered) => {
            if (borrowed) this.largeBodyInUse = false;
            this.answer(request, response, answered, started);
          },
          (error: unknown) => {
            if (borrowed) this.largeBodyInUse = false;
            this.pipelineFailed(response, error);
          },
        );
      } else {
        if (borrowed) this.largeBodyInUse = false;
        this.answer(request, response, result, started);
      }
    });
  }

  private answer(request: IncomingMessage, response: ServerResponse, result: ProtocolResponse, started: number): void {
    response.writeHead(result.status, result.headers);
    response.end(result.body);
    this.afterAnswer(result, request.headers, started);
  }

  /** The request log line and, for a failed request, a hint: after every protocol answer, on either path. */
  private afterAnswer(result: ProtocolResponse, headers: IncomingMessage['headers'], started: number): void {
    this.logRequest(result, started);
    if (result.status >= 400) this.hint(result, headers);
  }

  /** A plain protocol request read on the socket (plainRequests.ts): the same pipeline as serveProtocol. */
  private servePlain(request: PlainRequest, socket: Socket): ProtocolResponse | Promise<ProtocolResponse> {
    let result: ProtocolResponse | Promise<ProtocolResponse>;
    try {
      result = handleProtocolRequest({ method: 'POST', url: '/', headers: request.headers, body: request.body, sourceIp: socket.remoteAddress }, this.pipeline);
    } catch (error) {
      return this.plainPipelineFailed(error);
    }
    return result instanceof Promise ? result.catch((error: unknown) => this.plainPipelineFailed(error)) : result;
  }

  /** handleProtocolRequest turns every error into a response; reaching here is a kmslite bug. Its details go to the log line (logRequest's fault). */
  private plainPipelineFailed(error: unknown): ProtocolResponse {
    const requestId = newRequestId();
    const fault = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ...errorAnswer(errors.internal(), requestId), log: { requestId, fault } as ProtocolResponse['log'] };
  }

  /** handleProtocolRequest turns every error into a response; reaching here is a kmslite bug. */
  private pipelineFailed(response: ServerResponse, error: unknown): void {
    this.logger.error({ err: error }, 'protocol pipeline failed');
    if (!response.headersSent) sendError(response, errors.internal(), newRequestId());
  }

  private logRequest(result: ProtocolResponse, started: number): void {
    // Asked once per request (a call through the lazy logger's proxy); nothing below changes the level before it is used again.
    const infoEnabled = this.logger.isLevelEnabled('info');
    if (!infoEnabled && !(result.status >= 500)) return;
    const durationMs = Math.round((monotonicMs() - started) * 1000) / 1000;
    // Fields keep their order: the pipeline's (requestId, operation, …, error), then status and durationMs.
    const fault = (result.log as ProtocolResponse['log'] & { fault?: string }).fault;
    if (fault !== undefined) {
      const { fault: _, ...fields } = result.log as ProtocolResponse['log'] & { fault?: string };
      this.logger.error({ ...fields, status: result.status, durationMs, fault }, 'request failed inside kmslite');
      return;
    }
    // A 5xx without a fault reaches here at any level; its line is an info line, written only at info or below.
    if (!infoEnabled) return;
    // pino's line for logger.info({ ...log, status, durationMs }, 'request'), built as one string (requestLine.ts).
    this.logger[WRITE_LINE](formatRequestLine(result.log, result.status, durationMs, isoTimeText(Date.now())));
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

/** node:http's keepAliveTimeout, and the plain path's idle limit (both announce it: `Keep-Alive: timeout=65`). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Bodies over LARGE_BODY_BYTES and up to REUSED_BODY_BYTES go through Kmslite.largeBody. */
const LARGE_BODY_BYTES = 64 * 1024;
const REUSED_BODY_BYTES = 1024 * 1024;

/** AWS protocol requests: POST with an X-Amz-Target or an AWS JSON content type; everything else is the admin app's. */
function isProtocolRequest(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  if (request.headers['x-amz-target'] !== undefined) return true;
  const contentType = request.headers['content-type'] ?? '';
  return contentType.startsWith('application/x-amz-json');
}

export function sendError(response: ServerResponse, error: KmsError, requestId: string): void {
  const answer = errorAnswer(error, requestId);
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/** An error's AWS-shaped answer: status, the protocol's headers, the JSON body. */
function errorAnswer(error: KmsError, requestId: string): PlainAnswer {
  const body = errorBody(error);
  return {
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'content-length': String(Buffer.byteLength(body)) },
    body,
  };
}

/** What node:http's parser refused, by its error code; nothing from the request is echoed. */
const CLIENT_ERROR_TEXTS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time.'],
  HPE_INVALID_HEADER_TOKEN: [400, 'The request has an invalid header name.'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'The request has conflicting Content-Length or Transfer-Encoding headers.'],
  HPE_INVALID_EOF_STATE: [400, 'The request ended before its body was complete.'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'The request has an invalid or conflicting Content-Length.'],
  HPE_LF_EXPECTED: [400, 'The request has a bad line ending (CRLF expected).'],
  HPE_CR_EXPECTED: [400, 'The request has a bad line ending (CRLF expected).'],
};

/**
 * Malformed HTTP (node:http's clientError): an AWS-shaped JSON 400 while the socket can still take one, then
 * close. A truncated body ends with the client's connection, where no answer can be delivered.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] = CLIENT_ERROR_TEXTS[error.code ?? ''] ?? [400, 'The request is not valid HTTP/1.1.'];
  const body = errorBody(errors.serialization(message));
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `content-type: application/x-amz-json-1.1\r\nx-amzn-requestid: ${newRequestId()}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function chooseSeedPath(config: KmsliteConfig): string | undefined {
  if (config.seedPath === undefined) return undefined;
  if (config.seedPathExplicit) return config.seedPath;
  // No path given: local-kms's /init/seed.yaml when it exists, else the seed kmslite ships.
  return existsSync(config.seedPath) ? config.seedPath : BUNDLED_SEED_PATH;
}
