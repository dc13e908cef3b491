/**
 * Persistence benchmark (issue 5): `npm run build && node bench/persistence.mjs`.
 *
 * kmslite (the bundle) with --data-path on a fresh directory, filled to BENCH_KEYS keys (default 10,000), then
 * CreateKey at 16 connections: every answer waits for its journal line to be written and fdatasynced (group
 * commit). The same is measured without a data directory for comparison, and Encrypt with one (it never writes).
 * Then the restart: spawn → first answer with all the keys restored, and the data files' sizes.
 *
 * Environment: BENCH_SECONDS (8), BENCH_CONNECTIONS (16), BENCH_KEYS (10000), BENCH_PIN=0 (do not pin),
 * BENCH_OUT (default bench/results/<yyyy-mm-dd>-persistence.json). Target: CreateKey ≥ 1,000/s with persistence
 * at 10,000 keys. Run it on an otherwise idle machine (`flock /work/bench.lock` when sharing).
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ENTRY, ROOT, freePort, kms, kmsliteReady, startServer, stopServer, processRssBytes } from './lib/common.mjs';
import { runLoad } from './lib/runLoad.mjs';

const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const TARGET_CREATE_KEY_PER_SEC = 1_000;
const log = (...args) => console.error('[bench:persistence]', ...args);

function start(port, dataPath) {
  const args = [ENTRY, '--port', String(port), '--log-level', 'warn', '--no-seed'];
  if (dataPath) args.push('--data-path', dataPath);
  return startServer({ args, port, ready: kmsliteReady, timeoutMs: 60_000 });
}

const createKey = { kind: 'fixed', requests: [{ operation: 'CreateKey', body: {} }] };
const encryptScenario = (keyId) => ({ kind: 'fixed', requests: [{ operation: 'Encrypt', body: { KeyId: keyId, Plaintext: Buffer.from('x'.repeat(64)).toString('base64') } }] });

async function measure(server, scenario) {
  const result = await runLoad({ port: server.port, serverPid: server.pid, connections: CONNECTIONS, warmupMs: 1000, measureMs: MEASURE_S * 1000, scenario });
  if (result.errors) throw new Error(`errors: ${result.errorSamples.join(' | ')}`);
  return {
    requestsPerSec: Math.round(result.opsPerSec),
    p50Ms: +(result.latencyUs.p50 / 1000).toFixed(2),
    p99Ms: +(result.latencyUs.p99 / 1000).toFixed(2),
    serverCpuUsPerRequest: Math.round(result.serverCpuUsPerOp),
    requests: result.ops,
    otherCpuPercent: Math.round(result.otherCpuPercent),
  };
}

async function countKeys(port) {
  let count = 0;
  let marker;
  do {
    const page = await kms(port, 'ListKeys', { Limit: 1000, ...(marker ? { Marker: marker } : {}) });
    count += page.Keys.length;
    marker = page.NextMarker;
  } while (marker);
  return count;
}

function directorySizes(directory) {
  return Object.fromEntries(readdirSync(directory).map((name) => [name, statSync(join(directory, name)).size]));
}

const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, kernel: release(), node: process.version }, keys: KEYS, connections: CONNECTIONS, seconds: MEASURE_S };

// 1. In memory, for comparison.
{
  const port = await freePort();
  const server = await start(port);
  await runLoad({ port, serverPid: server.pid, connections: CONNECTIONS, maxRequests: KEYS, scenario: createKey });
  results.createKeyInMemory = await measure(server, createKey);
  log('CreateKey in memory at', KEYS, 'keys:', results.createKeyInMemory);
  results.encryptInMemory = await measure(server, encryptScenario((await kms(port, 'CreateKey', {})).KeyMetadata.KeyId));
  log('Encrypt in memory:', results.encryptInMemory);
  await stopServer(server);
}

// 2. With a data directory.
const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-bench-data-'));
{
  const port = await freePort();
  const server = await start(port, dataPath);
  const fillStarted = performance.now();
  await runLoad({ port, serverPid: server.pid, connections: CONNECTIONS, maxRequests: KEYS, scenario: createKey });
  results.fill = { keys: KEYS, seconds: +((performance.now() - fillStarted) / 1000).toFixed(1) };
  results.createKeyPersisted = await measure(server, createKey);
  log('CreateKey with --data-path at', KEYS, 'keys:', results.createKeyPersisted);
  const keyId = (await kms(port, 'CreateKey', {})).KeyMetadata.KeyId;
  results.encryptPersisted = await measure(server, encryptScenario(keyId));
  log('Encrypt with --data-path:', results.encryptPersisted);
  results.rssBytesPersisted = processRssBytes(server.pid);
  await stopServer(server);
  results.filesAfterCleanStop = directorySizes(dataPath);
}

// 3. Restart with everything on disk: spawn → first signed answer.
{
  const restarts = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const started = performance.now();
    const server = await start(port, dataPath);
    restarts.push(Math.round(performance.now() - started));
    if (i === 0) results.restartKeys = await countKeys(port);
    await stopServer(server);
  }
  results.restartMs = restarts;
  log('restart (spawn → first answer) ms:', restarts, 'files:', results.filesAfterCleanStop);
}

results.targets = { createKeyPersistedPerSec: TARGET_CREATE_KEY_PER_SEC, met: results.createKeyPersisted.requestsPerSec >= TARGET_CREATE_KEY_PER_SEC };
const out = process.env.BENCH_OUT ?? join(ROOT, 'bench', 'results', `${results.date.slice(0, 10)}-persistence.json`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log('written', out);
console.log(JSON.stringify(results, null, 2));
