/**
 * The one test fixture every suite uses: `useKmslite` starts one kmslite per test file (beforeAll) and stops it
 * (afterAll), `useKmsliteForEachTest` one per test, `withKmslite` one inside a test; `running` and `kms`, the
 * file's server and default client; `useTemporaryDirectory`, a scratch directory per file or test; clients per Region
 * (kmsClient), per account and per declared principal; key factories; the operator API (admin). The server start,
 * clients and raw signed requests (./kmslite.ts), the shared assertions (./assertions.ts) and freePort
 * (./network.ts) are re-exported here, so that a suite imports one module.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
  type KeyMetadata,
  type KeySpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { PrincipalDeclaration, RunningKmslite, StartOptions } from '../../src/index.js';
import { REGION, kmsClient, sendHttp, startTestKmslite } from './kmslite.js';

export * from './kmslite.js';
export * from './assertions.js';
export * from './network.js';

/** A started kmslite and the default client (the test credentials, the default Region). */
export interface TestServer {
  running: RunningKmslite;
  kms: KMSClient;
}

/**
 * The calling test file's kmslite and its default client, set by the file's first useKmslite /
 * useKmsliteForEachTest call before its tests run, so that a suite imports them (`import { kms, running, useKmslite }
 * from '../helpers/fixture.js'; useKmslite();`) rather than declaring its own pair. A later call in the same file
 * (a second server for one describe block) leaves them alone and hands its server to its onStart only, so a test
 * never finds `running` switched under it. ES module exports are live bindings: the importing file sees what the
 * hooks assign. Jest gives every test file its own module registry, so files never share them.
 */
export let running: RunningKmslite;
export let kms: KMSClient;
let bindingsClaimed = false;

/** Registers a server start; its `started`, called in the hook, sets `running` and `kms` when this call is the file's first. */
function serverStarter(): (server: RunningKmslite) => TestServer {
  const ownsBindings = !bindingsClaimed;
  bindingsClaimed = true;
  return (server) => {
    const client = kmsClient(server);
    if (ownsBindings) {
      running = server;
      kms = client;
    }
    return { running: server, kms: client };
  };
}

/**
 * Starts one kmslite for the calling test file and stops it after the file's last test. `onStart` receives the
 * server in beforeAll (before the file's own beforeAll hooks that come after this call), after `running` and `kms`
 * are set; `options` may be a function, called then, for options that need something made first (a temporary
 * directory, a seed file).
 */
export function useKmslite(onStart: (server: TestServer) => void = () => {}, options: StartOptions | (() => StartOptions) = {}): void {
  const started = serverStarter();
  let server: RunningKmslite | undefined;
  beforeAll(async () => {
    server = await startTestKmslite(typeof options === 'function' ? options() : options);
    onStart(started(server));
  });
  afterAll(async () => {
    await server?.stop();
  });
}

/** Like useKmslite, but a fresh kmslite for every test of the file (beforeEach / afterEach). */
export function useKmsliteForEachTest(onStart: (server: TestServer) => void = () => {}, options: StartOptions = {}): void {
  const started = serverStarter();
  let server: RunningKmslite | undefined;
  beforeEach(async () => {
    server = await startTestKmslite(options);
    onStart(started(server));
  });
  afterEach(async () => {
    await server?.stop();
  });
}

/**
 * A fresh temporary directory (under the OS's, named `<prefix>…`) for the calling file or describe block, made in
 * beforeAll (beforeEach with `eachTest`) and removed with its content after; `made` receives its path.
 */
export function useTemporaryDirectory(prefix: string, made: (path: string) => void, { eachTest = false } = {}): void {
  let path: string | undefined;
  (eachTest ? beforeEach : beforeAll)(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
    made(path);
  });
  (eachTest ? afterEach : afterAll)(() => {
    if (path) rmSync(path, { recursive: true, force: true });
  });
}

/** Starts a kmslite for one test, runs `body` with it and stops it, whether `body` succeeds or throws. */
export async function withKmslite<T>(options: StartOptions, body: (running: RunningKmslite) => Promise<T>): Promise<T> {
  const running = await startTestKmslite(options);
  try {
    return await body(running);
  } finally {
    await running.stop();
  }
}

/** A client that signs as a declared principal (its own access key and secret), in `region`. */
export function clientFor(running: RunningKmslite, principal: PrincipalDeclaration, region: string = REGION): KMSClient {
  return kmsClient(running, region, { accessKeyId: principal.AccessKeyId, secretAccessKey: principal.SecretAccessKey! });
}

/**
 * A client of another account: without declared principals a 12-digit access key id is that account
 * (ARCHITECTURE.md, Identity and regions), whatever the secret.
 */
export function accountClient(running: RunningKmslite, accountId: string, region: string = REGION): KMSClient {
  return kmsClient(running, region, { accessKeyId: accountId, secretAccessKey: 'anything' });
}

/** CreateKey with `input` (a symmetric encryption key when empty); its KeyMetadata. */
export async function createKey(kms: KMSClient, input: CreateKeyCommandInput = {}): Promise<KeyMetadata> {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
}

/** CreateKey with `input`; its key id. */
export async function createKeyId(kms: KMSClient, input: CreateKeyCommandInput = {}): Promise<string> {
  return (await createKey(kms, input)).KeyId!;
}

/** An HMAC key of `spec` (HMAC_224 … HMAC_512); its key id. */
export function createHmacKeyId(kms: KMSClient, spec: KeySpec): Promise<string> {
  return createKeyId(kms, { KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
}

/** A multi-Region primary key; its KeyMetadata. */
export function createMultiRegionKey(kms: KMSClient, input: CreateKeyCommandInput = {}): Promise<KeyMetadata> {
  return createKey(kms, { MultiRegion: true, ...input });
}

/** A symmetric key brought through the API into `state` (PendingImport: Origin EXTERNAL; PendingDeletion: 7 days); its key id. */
export async function createKeyInState(kms: KMSClient, state: 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport'): Promise<string> {
  const key = await createKey(kms, state === 'PendingImport' ? { Origin: 'EXTERNAL' } : {});
  if (state === 'Disabled') await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  if (state === 'PendingDeletion') await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
  return key.KeyId!;
}

/** A key with the alias `aliasName` (alias/...) pointing at it; its KeyMetadata. */
export async function createKeyWithAlias(kms: KMSClient, aliasName: string, input: CreateKeyCommandInput = {}): Promise<KeyMetadata> {
  const key = await createKey(kms, input);
  await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: key.KeyId! }));
  return key;
}

/**
 * A request to the operator API (/_kmslite/...), its answer JSON-parsed. Every state-changing operator request is
 * a non-simple one (Content-Type application/json on every request but a bodiless GET): the operator guard refuses
 * cross-site forms.
 */
export async function admin(running: RunningKmslite, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; contentType: string }> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = payload || method !== 'GET' ? { 'content-type': 'application/json' } : {};
  const response = await sendHttp(running.endpoint, method, path, headers, payload);
  return { status: response.status, json: JSON.parse(response.body || 'null'), contentType: String(response.headers['content-type']) };
}

/** A log stream for `StartOptions.logStream` that keeps every line written to it, in `lines`. */
export function logCapture(): { lines: string[]; logStream: Writable } {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logStream };
}
