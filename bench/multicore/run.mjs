/**
 * Issue 12 item 6: single-process kmslite against the multi-process prototype (server.mjs: one owner running the
 * pipeline, N front processes doing node's HTTP work), with wrk, on Encrypt and DescribeKey.
 *
 *   npm run build && node bench/multicore/run.mjs       # under 3 minutes; Markdown on stdout, JSON to bench/results
 *
 * Servers: kmslite (one process), the prototype with 1 and 2 front processes, and with 2 front threads when this
 * node supports `reusePort` (Node 22.12+: run this file with that node, e.g. /path/to/node24 bench/multicore/run.mjs;
 * every server runs on the node that runs this file). Servers are never pinned (they may use every core); wrk runs pinned to CPU 1 and unpinned with 16 connections,
 * and pinned with 64. Start-up is timed first (3 starts of each). Before measuring,
 * every server's answers are checked (Encrypt answers decrypt to their plaintexts on the same server, DescribeKey
 * answers have the same members as the single process's), and every wrk window must end without an error.
 *
 * Environment: BENCH_SECONDS=2 (measured seconds per window), BENCH_WARMUP=1, BENCH_ROUNDS=2 (rounds per
 * scenario, the server order rotating), BENCH_LOG_LEVEL=info, BENCH_OUT=path (default
 * bench/results/<yyyy-mm-dd>-multicore[-diagnose].json), BENCH_DIAGNOSE=1: where the prototype's extra CPU goes,
 * with wrk pinned and 16 connections only, two more servers: bare node:http (bench/bare-server.mjs, the HTTP work
 * alone) and the prototype with 2 fronts whose owner answers without the pipeline (server.mjs --relay-only: the
 * HTTP work plus the hand-off).
 */
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CLK_TCK, ENTRY, commandOutput as run, freePort, kms, kmsliteReady, loadAverage, median, send, signKms, sleep, stopServer } from '../lib/common.mjs';
import { ensureWrk, runWrk } from '../wrk/runWrk.mjs';
import { prepareScenarios, warmupMix } from '../wrk/scenarios.mjs';
import { startMulticore, stopMulticore } from './start.mjs';

const env = (name, normal) => Number(process.env[name] ?? normal);
const settings = {
  seconds: env('BENCH_SECONDS', 2),
  warmupS: env('BENCH_WARMUP', 1),
  rounds: env('BENCH_ROUNDS', 2),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  diagnose: process.env.BENCH_DIAGNOSE === '1',
};
const SCENARIOS = ['Encrypt', 'DescribeKey'];
/** wrk's placement and connections: the wrk benchmark's 16 connections, pinned and not, and 64 (more in flight). */
const LOADS = [
  { pinWrk: true, connections: 16, label: 'pinned to CPU 1, 16 conn.' },
  { pinWrk: false, connections: 16, label: 'unpinned, 16 conn.' },
  { pinWrk: true, connections: 64, label: 'pinned to CPU 1, 64 conn.' },
].slice(0, settings.diagnose ? 1 : undefined);
const log = (...args) => console.error('[multicore]', ...args);

/** The `kmslite` command (the bundle), not pinned, stdout to /dev/null. */
async function startSingle(port) {
  const child = spawn(process.execPath, [ENTRY, '--port', String(port), '--log-level', settings.logLevel, '--no-seed'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  for (const deadline = Date.now() + 15_000; ; await sleep(1)) {
    if (child.exitCode !== null) throw new Error(`kmslite exited during start-up: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`kmslite not ready: ${stderr}`);
    if (await kmsliteReady(port).catch(() => false)) break;
  }
  return { child, pid: child.pid, pids: [child.pid], port };
}

/** utime + stime (µs) from a /proc stat file: a process's, or one thread's (/proc/<pid>/task/<tid>/stat). */
function cpuMicros(statPath) {
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

const BARE = fileURLToPath(new URL('../bare-server.mjs', import.meta.url));

/** bench/bare-server.mjs (node:http answering `answerBytes` of JSON, nothing else), not pinned. */
async function startBare(answerBytes) {
  const port = await freePort();
  const child = spawn(process.execPath, [BARE, String(port), String(answerBytes)], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (const deadline = Date.now() + 15_000; ; await sleep(1)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('bare server did not start');
    if ((await send(port, { body: '{}' }).catch(() => ({})))?.status === 200) break;
  }
  return { child, pid: child.pid, pids: [child.pid], port };
}

/** The answers the benchmark relies on are right: every Encrypt decrypts to its plaintext on the same server. */
async function checkAnswers(server, scenarios, keyId, reference) {
  let checked = 0;
  for (const { body } of scenarios.find((s) => s.name === 'Encrypt').requests) {
    const encrypted = await kms(server.port, 'Encrypt', body);
    const decrypted = await kms(server.port, 'Decrypt', { CiphertextBlob: encrypted.CiphertextBlob });
    if (decrypted.Plaintext !== body.Plaintext || decrypted.KeyId !== encrypted.KeyId) throw new Error(`port ${server.port}: Decrypt did not give back the plaintext`);
    checked++;
  }
  const described = await kms(server.port, 'DescribeKey', { KeyId: keyId });
  const members = Object.keys(described.KeyMetadata).sort().join(',');
  if (described.KeyMetadata.KeyId !== keyId) throw new Error(`port ${server.port}: DescribeKey answered another key`);
  if (reference && members !== reference) throw new Error(`port ${server.port}: DescribeKey members differ from the single process's: ${members}`);
  const wrong = await send(server.port, signKms(server.port, 'DescribeKey', { KeyId: 'alias/missing' }));
  if (wrong.status !== 400 || wrong.json?.__type !== 'NotFoundException') throw new Error(`port ${server.port}: a missing key answered ${wrong.status} ${wrong.body}`);
  return { checked: checked + 2, members };
}

ensureWrk();
const results = {
  meta: {
    date: new Date().toISOString(),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
    node: process.version,
    cpus: run('nproc', []),
    ...settings,
    loadBefore: loadAverage(),
    uptimeBefore: run('uptime', []),
    topBefore: run('top', ['-bn1', '-w', '120'])?.split('\n').slice(0, 15).join('\n'),
  },
  servers: {},
  windows: [],
};

/** Whether this node lets two sockets listen on one port (`reusePort`, Node 22.12+ on Linux): the threads variant needs it. */
async function supportsReusePort() {
  const listen = (port) =>
    new Promise((resolve, reject) => {
      const server = createNetServer();
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1', reusePort: true }, () => resolve(server));
    });
  const first = await listen(0);
  try {
    (await listen(first.address().port)).close();
    return true;
  } catch {
    return false;
  } finally {
    first.close();
  }
}
const REUSE_PORT = await supportsReusePort();
if (!REUSE_PORT) log(`${process.version} cannot listen twice on one port (reusePort): the worker-thread variant is left out`);

const kinds = [
  { key: 'single', label: 'kmslite (1 process)', start: async () => startSingle(await freePort()), stop: stopServer },
  { key: 'fronts1', label: 'prototype: owner + 1 front', start: () => startMulticore({ port: 0, fronts: 1, logLevel: settings.logLevel }), stop: stopMulticore },
  { key: 'fronts2', label: 'prototype: owner + 2 fronts', start: () => startMulticore({ port: 0, fronts: 2, logLevel: settings.logLevel }), stop: stopMulticore },
  ...(REUSE_PORT
    ? [{ key: 'threads2', label: 'prototype: owner + 2 front threads', start: () => startMulticore({ port: 0, fronts: 2, threads: true, logLevel: settings.logLevel }), stop: stopMulticore }]
    : []),
];
/** Start-up: spawn → the first signed ListKeys answered 200, each kind in turn, `repeats` times; median ms. */
async function measureStartUp(repeats) {
  const times = Object.fromEntries(kinds.map((kind) => [kind.key, []]));
  for (let i = 0; i < repeats; i++) {
    for (const kind of kinds) {
      const started = performance.now();
      const server = await kind.start();
      if (!(await kmsliteReady(server.port))) throw new Error(`${kind.label}: ListKeys failed after start-up`);
      times[kind.key].push(performance.now() - started);
      await kind.stop(server);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([key, list]) => [key, { medianMs: +median(list).toFixed(1), runsMs: list.map((ms) => +ms.toFixed(1)) }]));
}

if (!settings.diagnose) {
  log('start-up');
  results.startUp = await measureStartUp(3);
}
// Diagnosis: servers that check nothing get the single process's requests (signed for its port: nothing verifies).
const DIAGNOSE_ANSWER_BYTES = 400;
const diagnosisKinds = [
  { key: 'bare', label: 'bare node:http (diagnosis)', start: () => startBare(DIAGNOSE_ANSWER_BYTES), stop: stopServer },
  { key: 'relay2', label: 'owner without the pipeline + 2 fronts (diagnosis)', start: () => startMulticore({ port: 0, fronts: 2, logLevel: settings.logLevel, relayOnlyBytes: DIAGNOSE_ANSWER_BYTES }), stop: stopMulticore },
  ...(REUSE_PORT
    ? [{ key: 'relayThreads2', label: 'owner without the pipeline + 2 front threads (diagnosis)', start: () => startMulticore({ port: 0, fronts: 2, threads: true, logLevel: settings.logLevel, relayOnlyBytes: DIAGNOSE_ANSWER_BYTES }), stop: stopMulticore }]
    : []),
];

const servers = [];
try {
  let reference;
  for (const kind of [...kinds, ...(settings.diagnose ? diagnosisKinds : [])]) {
    const server = await kind.start();
    server.ownerStatPath ??= `/proc/${server.pid}/stat`;
    servers.push({ kind, server });
    if (diagnosisKinds.includes(kind)) {
      server.scenarios = servers[0].server.scenarios;
      results.servers[kind.key] = { label: kind.label, processes: server.pids.length, answersChecked: 0 };
      continue;
    }
    const prepared = await prepareScenarios(server.port);
    const check = await checkAnswers(server, prepared.scenarios, prepared.keyId, reference);
    reference ??= check.members;
    server.scenarios = prepared.scenarios;
    results.servers[kind.key] = { label: kind.label, processes: server.pids.length, answersChecked: check.checked };
    log(`${kind.label}: ${server.pids.length} process(es), ${check.checked} answers checked`);
    await runWrk(server, warmupMix(prepared.scenarios), { seconds: settings.warmupS * 2 });
  }

  for (const { pinWrk, connections, label } of LOADS) {
    for (const name of SCENARIOS) {
      for (let round = 0; round < settings.rounds; round++) {
        for (let i = 0; i < servers.length; i++) {
          const { kind, server } = servers[(i + round) % servers.length];
          const requests = server.scenarios.find((s) => s.name === name).requests;
          // Each server's first window of a (load, scenario) gets its own warm-up; later rounds follow warm.
          if (round === 0) await runWrk(server, requests, { seconds: settings.warmupS, pinWrk, connections });
          const ownerBefore = cpuMicros(server.ownerStatPath);
          const result = await runWrk(server, requests, { seconds: settings.seconds, pinWrk, connections });
          const ownerAfter = cpuMicros(server.ownerStatPath);
          if (result.errors !== 0) throw new Error(`${kind.label} ${name}: wrk saw ${result.errors} errors (${JSON.stringify(result.errorDetail)})`);
          const ownerCpuUsPerRequest = (ownerAfter - ownerBefore) / result.requests;
          results.windows.push({ wrk: label, scenario: name, server: kind.key, round, ownerCpuUsPerRequest, ...result });
          log(`wrk ${label.padEnd(26)} ${name.padEnd(12)} ${kind.key.padEnd(8)} ${Math.round(result.reqPerSec).toString().padStart(6)} req/s  ${result.serverCpuUsPerRequest.toFixed(1).padStart(6)} µs/req (owner ${ownerCpuUsPerRequest.toFixed(1)})  p99 ${(result.latencyUs.p99 / 1000).toFixed(2)} ms  other ${result.otherCpuPercent.toFixed(0)}%`);
        }
      }
    }
  }
} finally {
  for (const { kind, server } of servers) await kind.stop(server);
}
results.meta.loadAfter = loadAverage();
results.meta.uptimeAfter = run('uptime', []);

/** One row per (wrk placement, scenario, server): the medians over the rounds. */
const rows = [];
for (const { label: wrk } of LOADS) {
  for (const scenario of SCENARIOS) {
    for (const { kind } of servers) {
      const windows = results.windows.filter((w) => w.wrk === wrk && w.scenario === scenario && w.server === kind.key);
      const m = (pick) => median(windows.map(pick));
      rows.push({
        wrk,
        scenario,
        server: kind.label,
        reqPerSec: Math.round(m((w) => w.reqPerSec)),
        cpuUsPerRequest: +m((w) => w.serverCpuUsPerRequest).toFixed(1),
        ownerCpuUsPerRequest: +m((w) => w.ownerCpuUsPerRequest).toFixed(1),
        serverCores: +(m((w) => w.serverCpuPercent) / 100).toFixed(2),
        wrkCores: +(m((w) => w.wrkCpuPercent) / 100).toFixed(2),
        p50Ms: +(m((w) => w.latencyUs.p50) / 1000).toFixed(2),
        p99Ms: +(m((w) => w.latencyUs.p99) / 1000).toFixed(2),
        otherCpuPercent: Math.round(m((w) => w.otherCpuPercent)),
      });
    }
  }
}
results.rows = rows;

const lines = [
  `#### Multi-core prototype, run of ${results.meta.date} (commit ${results.meta.commit}, node ${results.meta.node}, ${results.meta.cpus} CPUs, log level ${settings.logLevel})`,
  '',
  `Load before: ${results.meta.uptimeBefore}; after: ${results.meta.uptimeAfter}. wrk 1 thread; medians of ${settings.rounds} window(s) of ${settings.seconds} s. CPU µs per request: all the server's processes; "owner": the owner process (with front threads: its main thread) alone.`,
  '',
  '| wrk | scenario | server | req/s | CPU µs/req | owner µs/req | server cores | wrk cores | p50 ms | p99 ms | other CPU |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.wrk} | ${r.scenario} | ${r.server} | ${r.reqPerSec} | ${r.cpuUsPerRequest} | ${r.ownerCpuUsPerRequest} | ${r.serverCores} | ${r.wrkCores} | ${r.p50Ms} | ${r.p99Ms} | ${r.otherCpuPercent} % |`),
];
if (results.startUp) lines.push('', `Start-up (spawn → first signed ListKeys answered, median of 3): ${kinds.map((kind) => `${kind.label} ${results.startUp[kind.key].medianMs} ms`).join('; ')}.`);
console.log(lines.join('\n'));
const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const out = process.env.BENCH_OUT ?? `${dir}${results.meta.date.slice(0, 10)}-multicore${settings.diagnose ? '-diagnose' : ''}.json`;
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
log(`results: ${out}`);
