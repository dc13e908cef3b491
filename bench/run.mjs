/**
 * kmslite benchmark: `npm run bench` (builds, then runs this file). docs/benchmarks.md explains the method.
 *
 * Every server under test is its own process (`node dist/src/cli.js ...`, or bench/bare-server.mjs for the
 * ceiling); the load comes from another process (bench/loadgen.mjs, forked), so the server's CPU time per
 * request is read from /proc/<pid>/stat without the client's.
 *
 * Environment:
 *   BENCH_SECONDS=8       measured seconds per throughput scenario (warm-up: BENCH_WARMUP, default 2)
 *   BENCH_QUICK=1         2 s smoke run (0.5 s warm-up, 3 cold starts)
 *   BENCH_CONNECTIONS=16  concurrent keep-alive connections
 *   BENCH_KEYS=10000      keys for the memory and flat-latency section
 *   BENCH_PROFILE=1       always take a --cpu-prof profile of the server under Encrypt load (taken anyway
 *                         when Encrypt or Decrypt is under 50% of the ceiling)
 *   BENCH_ONLY=a,b        sections: throughput, ceiling, logging, coldstart, memory, pipeline, profile
 *   BENCH_OUT=path        results file (default bench/results/<yyyy-mm-dd>.json, plus bench/results/latest.json)
 */
import { fork, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, release, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  CLI, ROOT, freePort, kms, loadAverage, median, processRssBytes, send, signKms, sleep,
  startKmslite, startServer, stopServer,
} from './lib/common.mjs';
import { summarizeProfile } from './profile.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 8));
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? (QUICK ? 0.5 : 2));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const COLD_REPEATS = QUICK ? 3 : 10;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const wants = (section) => !ONLY || ONLY.has(section);

const TARGETS = { percentOfCeiling: 50, coldStartMedianMs: 150 };

const log = (...args) => console.error('[bench]', ...args);

// ---------------------------------------------------------------------------------------------------------------
// Load generation (a forked child per scenario)
// ---------------------------------------------------------------------------------------------------------------

function loadgen(options) {
  return new Promise((resolve, reject) => {
    const child = fork(here('./loadgen.mjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message) => {
      settled = true;
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code}`));
    });
    child.send({ type: 'run', connections: CONNECTIONS, ...options });
  });
}

/** A timed scenario: warm-up then measurement window, against `server` ({port, pid}). */
async function measure(name, server, scenario, { warmupS = WARMUP_S, measureS = MEASURE_S } = {}) {
  const result = await loadgen({ port: server.port, serverPid: server.pid, warmupMs: warmupS * 1000, measureMs: measureS * 1000, scenario });
  log(
    `${name.padEnd(34)} ${fmt(result.opsPerSec, 0).padStart(7)} /s  p50 ${fmt(result.latencyUs.p50 / 1000, 2)} ms  p99 ${fmt(result.latencyUs.p99 / 1000, 2)} ms  ` +
      `server ${fmt(result.serverCpuUsPerOp, 1)} µs/op (${fmt(result.serverCpuPercent, 0)}% CPU)  loadgen ${fmt(result.loadgenCpuPercent, 0)}% CPU  other ${fmt(result.otherCpuPercent, 0)}%  errors ${result.errors}`,
  );
  if (result.errors) log(`  errors, e.g.: ${result.errorSamples.join(' | ')}`);
  return { name, ...result };
}

/** Exactly `count` requests as fast as 16 connections go (set-up work, e.g. creating keys). */
async function drive(server, scenario, count) {
  const result = await loadgen({ port: server.port, serverPid: server.pid, maxRequests: count, scenario });
  if (result.errors) throw new Error(`set-up requests failed: ${result.errorSamples.join(' | ')}`);
  return result;
}

const fixed = (operation, bodies) => ({ kind: 'fixed', requests: bodies.map((body) => ({ operation, body })) });
const plaintexts = (n) => Array.from({ length: n }, () => randomBytes(32).toString('base64'));

// ---------------------------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------------------------

/** A key and the request bodies of every scenario, made on `port`; also the answer sizes (for the ceiling). */
async function prepare(port) {
  const keyId = (await kms(port, 'CreateKey', { Description: 'bench' })).KeyMetadata.KeyId;
  const encryptBodies = plaintexts(16).map((Plaintext) => ({ KeyId: keyId, Plaintext }));
  const decryptBodies = [];
  let encryptAnswerBytes = 0;
  for (const body of encryptBodies) {
    const answer = await send(port, signKms(port, 'Encrypt', body));
    if (answer.status !== 200) throw new Error(`Encrypt answered ${answer.status}: ${answer.body}`);
    encryptAnswerBytes = answer.bytes;
    decryptBodies.push({ CiphertextBlob: answer.json.CiphertextBlob });
  }
  const decryptAnswer = await send(port, signKms(port, 'Decrypt', decryptBodies[0]));
  return { keyId, encryptBodies, decryptBodies, encryptAnswerBytes, decryptAnswerBytes: decryptAnswer.bytes };
}

async function throughputSection(results) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'warn' });
  try {
    const setup = await prepare(port);
    results.requestShapes = {
      encryptRequestBytes: Buffer.byteLength(JSON.stringify(setup.encryptBodies[0])),
      encryptAnswerBytes: setup.encryptAnswerBytes,
      decryptRequestBytes: Buffer.byteLength(JSON.stringify(setup.decryptBodies[0])),
      decryptAnswerBytes: setup.decryptAnswerBytes,
    };
    const { keyId } = setup;
    const rows = [];
    rows.push(await measure('Encrypt (32-byte plaintext)', server, fixed('Encrypt', setup.encryptBodies)));
    rows.push(await measure('Decrypt', server, fixed('Decrypt', setup.decryptBodies)));
    rows.push(await measure('GenerateDataKey (AES_256)', server, fixed('GenerateDataKey', [{ KeyId: keyId, KeySpec: 'AES_256' }])));
    rows.push(await measure('DescribeKey', server, fixed('DescribeKey', [{ KeyId: keyId }])));
    rows.push(await measure('Envelope (GenerateDataKey + Decrypt)', server, { kind: 'envelope', keyId }));
    // Last: it grows the store by tens of thousands of keys.
    rows.push(await measure('CreateKey', server, fixed('CreateKey', [{}])));
    results.kmslite = rows;
    results.kmsliteRssAfterThroughputBytes = processRssBytes(server.pid);
    return setup;
  } finally {
    await stopServer(server);
  }
}

async function ceilingSection(results, shapes) {
  const rows = [];
  for (const [name, operation, bodies, answerBytes] of shapes) {
    const port = await freePort();
    const server = await startServer({
      args: [here('./bare-server.mjs'), String(port), String(answerBytes)],
      port,
      ready: async (p) => (await send(p, { headers: { 'content-type': 'application/json' }, body: '{}' }, 1000)).status === 200,
    });
    try {
      rows.push(await measure(name, server, fixed(operation, bodies)));
    } finally {
      await stopServer(server);
    }
  }
  results.ceiling = rows;
}

async function loggingSection(results) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'info' });
  try {
    const setup = await prepare(port);
    results.infoLogging = [
      await measure('Encrypt, --log-level info (→ /dev/null)', server, fixed('Encrypt', setup.encryptBodies)),
      await measure('Decrypt, --log-level info (→ /dev/null)', server, fixed('Decrypt', setup.decryptBodies)),
    ];
  } finally {
    await stopServer(server);
  }
}

/** Spawn → first successful answer, `COLD_REPEATS` times. */
async function coldStartSection(results) {
  const runs = { listKeys: [], firstEncryptAfterListKeys: [], health: [], bareNode: [] };
  for (let i = 0; i < COLD_REPEATS; i++) {
    // Signed ListKeys: the protocol path (seeded, default log level warn as in the brief).
    {
      const port = await freePort();
      const listKeys = signKms(port, 'ListKeys', {});
      const encrypt = signKms(port, 'Encrypt', { KeyId: 'alias/kmslite-default', Plaintext: randomBytes(32).toString('base64') });
      const started = performance.now();
      const server = await startServer({
        args: [CLI, '--port', String(port), '--log-level', 'warn'],
        port,
        ready: async (p) => (await send(p, listKeys, 1000)).status === 200,
      });
      runs.listKeys.push(performance.now() - started);
      const answer = await send(port, encrypt);
      if (answer.status !== 200) throw new Error(`Encrypt with alias/kmslite-default answered ${answer.status}: ${answer.body}`);
      runs.firstEncryptAfterListKeys.push(performance.now() - started);
      await stopServer(server);
    }
    // GET /_kmslite/health: the admin app, loaded on first use.
    {
      const port = await freePort();
      const started = performance.now();
      const server = await startServer({
        args: [CLI, '--port', String(port), '--log-level', 'warn'],
        port,
        ready: async (p) => (await send(p, { method: 'GET', path: '/_kmslite/health' }, 1000)).status === 200,
      });
      runs.health.push(performance.now() - started);
      await stopServer(server);
    }
    // The floor: node starting a bare node:http server.
    {
      const port = await freePort();
      const started = performance.now();
      const server = await startServer({
        args: [here('./bare-server.mjs'), String(port), '0'],
        port,
        ready: async (p) => (await send(p, { body: '{}' }, 1000)).status === 200,
      });
      runs.bareNode.push(performance.now() - started);
      await stopServer(server);
    }
  }
  const summary = (values) => ({ medianMs: median(values), minMs: Math.min(...values), maxMs: Math.max(...values), runsMs: values.map((v) => Math.round(v * 10) / 10) });
  results.coldStart = {
    repeats: COLD_REPEATS,
    listKeys: summary(runs.listKeys),
    firstEncryptAfterListKeys: summary(runs.firstEncryptAfterListKeys),
    health: summary(runs.health),
    bareNodeHttp: summary(runs.bareNode),
  };
  const c = results.coldStart;
  log(`cold start: ListKeys median ${fmt(c.listKeys.medianMs, 1)} ms (min ${fmt(c.listKeys.minMs, 1)}), health median ${fmt(c.health.medianMs, 1)} ms, bare node:http ${fmt(c.bareNodeHttp.medianMs, 1)} ms`);
}

/** RSS empty vs with KEYS keys; ListKeys pages and Decrypt at 100 keys vs KEYS keys. */
async function memorySection(results) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'warn' });
  const flatWarm = Math.min(1, WARMUP_S);
  const flatMeasure = Math.max(1, MEASURE_S / 2);
  try {
    await sleep(500);
    const rssEmpty = processRssBytes(server.pid);
    const keyId = (await kms(port, 'CreateKey', {})).KeyMetadata.KeyId;
    const decryptBodies = [];
    for (const Plaintext of plaintexts(16)) decryptBodies.push({ CiphertextBlob: (await kms(port, 'Encrypt', { KeyId: keyId, Plaintext })).CiphertextBlob });

    const flat = async (keyCount) => {
      const middleLimit = keyCount <= 100 ? Math.floor(keyCount / 2) : 100;
      let marker;
      for (let listed = 0; listed < keyCount / 2; listed += middleLimit) marker = (await kms(port, 'ListKeys', { Limit: middleLimit, ...(marker ? { Marker: marker } : {}) })).NextMarker;
      const middle = await kms(port, 'ListKeys', { Limit: 100, Marker: marker });
      const firstPage = await kms(port, 'ListKeys', { Limit: 100 });
      const options = { warmupS: flatWarm, measureS: flatMeasure };
      return {
        keys: keyCount,
        firstPageKeys: firstPage.Keys.length,
        middlePageKeys: middle.Keys.length,
        listKeysFirstPage: await measure(`ListKeys Limit 100, first page @${keyCount}`, server, fixed('ListKeys', [{ Limit: 100 }]), options),
        listKeysMiddlePage: await measure(`ListKeys Limit 100, middle page @${keyCount}`, server, fixed('ListKeys', [{ Limit: 100, Marker: marker }]), options),
        decrypt: await measure(`Decrypt @${keyCount}`, server, fixed('Decrypt', decryptBodies), options),
      };
    };

    await drive(server, fixed('CreateKey', [{}]), 99);
    const small = await flat(100);
    const created = await drive(server, fixed('CreateKey', [{}]), KEYS - 100);
    await sleep(1000);
    const rssFull = processRssBytes(server.pid);
    const large = await flat(KEYS);
    results.memory = {
      keys: KEYS,
      rssEmptyBytes: rssEmpty,
      rssWithKeysBytes: rssFull,
      bytesPerKey: (rssFull - rssEmpty) / KEYS,
      createKeyRatePerSec: created.opsPerSec,
    };
    results.flatLatency = [small, large];
    log(`memory: empty ${mib(rssEmpty)} MiB, ${KEYS} keys ${mib(rssFull)} MiB (${fmt((rssFull - rssEmpty) / KEYS / 1024, 2)} KiB/key)`);
  } finally {
    await stopServer(server);
  }
}

function pipelineSection(results) {
  return new Promise((resolve, reject) => {
    const child = fork(here('./pipeline.mjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message) => {
      if (message.type !== 'result') return reject(new Error(message.error));
      results.pipeline = message.result;
      log(`pipeline: handle(Encrypt) ${fmt(message.result.handleEncrypt.usPerCall, 1)} µs/call`);
      resolve();
    });
    child.send({ type: 'run', seconds: Math.min(3, MEASURE_S) });
  });
}

async function profileSection(results) {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-prof-'));
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'warn', nodeOptions: ['--cpu-prof', '--cpu-prof-dir', dir] });
  let setup;
  try {
    setup = await prepare(port);
    await measure('Encrypt under --cpu-prof', server, fixed('Encrypt', setup.encryptBodies));
  } finally {
    await stopServer(server);
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  results.profile = summarizeProfile(join(dir, file), 20);
  log(`profile: ${join(dir, file)} (node bench/profile.mjs <file> for the full summary)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

function fmt(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
const mib = (bytes) => fmt(bytes / 1048576, 1);

function throughputRow(row, note = '') {
  const perOp = row.httpRequests > row.ops ? ` (${fmt(row.httpRequestsPerSec, 0)} HTTP req/s)` : '';
  return `| ${row.name}${note} | ${fmt(row.opsPerSec, 0)}${perOp} | ${fmt(row.latencyUs.p50 / 1000, 2)} | ${fmt(row.latencyUs.p99 / 1000, 2)} | ${fmt(row.serverCpuUsPerOp, 1)} | ${fmt(row.serverCpuPercent, 0)}% | ${fmt(row.loadgenCpuPercent, 0)}% | ${fmt(row.otherCpuPercent, 0)}% | ${row.errors} |`;
}

function report(results) {
  const lines = [];
  const m = results.meta;
  lines.push(`## kmslite benchmark — ${m.date}`, '');
  lines.push(`Node ${m.node}, ${m.cpuCount} × ${m.cpuModel}, Linux ${m.kernel}; ${m.connections} keep-alive connections; warm-up ${m.warmupSeconds} s, measured ${m.measureSeconds} s per scenario; load average ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end; kmslite ${m.gitCommit}${m.gitDirty ? ' (+ local changes)' : ''}.`, '');
  if (results.kmslite || results.ceiling) {
    lines.push('| Scenario | req/s | p50 ms | p99 ms | server CPU µs/req | server CPU | loadgen CPU | other CPU | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of results.kmslite ?? []) lines.push(throughputRow(row));
    for (const row of results.ceiling ?? []) lines.push(throughputRow(row));
    for (const row of results.infoLogging ?? []) lines.push(throughputRow(row));
    lines.push('');
    lines.push('Envelope: one op = GenerateDataKey + Decrypt (two HTTP requests); its CPU µs is per envelope.', '');
  }
  if (results.percentOfCeiling) {
    for (const [op, v] of Object.entries(results.percentOfCeiling)) {
      lines.push(`- ${op}: ${fmt(v.percent, 1)}% of the bare node:http ceiling (${fmt(v.kmslite, 0)} vs ${fmt(v.ceiling, 0)} req/s; server CPU ${fmt(v.kmsliteCpuUs, 1)} vs ${fmt(v.ceilingCpuUs, 1)} µs/req) — target ≥ ${TARGETS.percentOfCeiling}%: ${v.percent >= TARGETS.percentOfCeiling ? 'met' : 'MISSED'}`);
    }
    lines.push('');
  }
  if (results.infoLogging && results.kmslite) {
    for (const [i, op] of ['Encrypt', 'Decrypt'].entries()) {
      const warn = results.kmslite[i];
      const info = results.infoLogging[i];
      lines.push(`- ${op} request logging (info): ${fmt(info.opsPerSec, 0)} vs ${fmt(warn.opsPerSec, 0)} req/s (${fmt((info.opsPerSec / warn.opsPerSec - 1) * 100, 1)}%), +${fmt(info.serverCpuUsPerOp - warn.serverCpuUsPerOp, 1)} µs CPU/req`);
    }
    lines.push('');
  }
  if (results.pipeline) {
    const p = results.pipeline;
    lines.push('Pipeline without sockets (`Kmslite.handle`, one call at a time):', '');
    lines.push('| Stage | µs/call |', '|---|---:|');
    for (const [name, label] of [['handleEncrypt', 'handle(Encrypt), whole pipeline'], ['verifySigV4', 'verifySigV4'], ['jsonParseAndValidate', 'JSON.parse + decodeAndValidate'], ['encryptOperation', 'Encrypt operation'], ['encodeOutput', 'encodeOutput']]) {
      lines.push(`| ${label} | ${fmt(p[name].usPerCall, 2)} |`);
    }
    lines.push('');
  }
  if (results.coldStart) {
    const c = results.coldStart;
    lines.push(`Cold start (${c.repeats} runs, spawn → first answer):`, '', '| Until | median ms | min ms | max ms |', '|---|---:|---:|---:|');
    lines.push(`| signed ListKeys 200 (seeded, --log-level warn) | ${fmt(c.listKeys.medianMs, 1)} | ${fmt(c.listKeys.minMs, 1)} | ${fmt(c.listKeys.maxMs, 1)} |`);
    lines.push(`| then Encrypt alias/kmslite-default 200 | ${fmt(c.firstEncryptAfterListKeys.medianMs, 1)} | ${fmt(c.firstEncryptAfterListKeys.minMs, 1)} | ${fmt(c.firstEncryptAfterListKeys.maxMs, 1)} |`);
    lines.push(`| GET /_kmslite/health 200 (loads Express) | ${fmt(c.health.medianMs, 1)} | ${fmt(c.health.minMs, 1)} | ${fmt(c.health.maxMs, 1)} |`);
    lines.push(`| bare node:http server (floor) | ${fmt(c.bareNodeHttp.medianMs, 1)} | ${fmt(c.bareNodeHttp.minMs, 1)} | ${fmt(c.bareNodeHttp.maxMs, 1)} |`);
    lines.push('', `- target median ≤ ${TARGETS.coldStartMedianMs} ms: ${c.listKeys.medianMs <= TARGETS.coldStartMedianMs ? 'met' : 'MISSED'}`, '');
  }
  if (results.memory) {
    const mem = results.memory;
    lines.push(`Memory: RSS ${mib(mem.rssEmptyBytes)} MiB empty, ${mib(mem.rssWithKeysBytes)} MiB with ${mem.keys} keys (≈ ${fmt(mem.bytesPerKey / 1024, 2)} KiB per key; CreateKey at ${fmt(mem.createKeyRatePerSec, 0)}/s).`, '');
  }
  if (results.flatLatency) {
    const [small, large] = results.flatLatency;
    lines.push(`| Flat latency (${CONNECTIONS} connections) | ${small.keys} keys: req/s | p50 ms | p99 ms | ${large.keys} keys: req/s | p50 ms | p99 ms |`, '|---|---:|---:|---:|---:|---:|---:|');
    for (const [key, label] of [['listKeysFirstPage', 'ListKeys Limit 100, first page'], ['listKeysMiddlePage', 'ListKeys Limit 100, middle page (Marker)'], ['decrypt', 'Decrypt']]) {
      const a = small[key];
      const b = large[key];
      lines.push(`| ${label} | ${fmt(a.opsPerSec, 0)} | ${fmt(a.latencyUs.p50 / 1000, 2)} | ${fmt(a.latencyUs.p99 / 1000, 2)} | ${fmt(b.opsPerSec, 0)} | ${fmt(b.latencyUs.p50 / 1000, 2)} | ${fmt(b.latencyUs.p99 / 1000, 2)} |`);
    }
    lines.push('', `(ListKeys middle page at ${small.keys} keys returns ${small.middlePageKeys} keys; at ${large.keys}, ${large.middlePageKeys}.)`, '');
  }
  if (results.profile) {
    lines.push(`Server CPU profile under Encrypt load (self time, % of busy ${results.profile.busyMs} ms):`, '');
    for (const row of results.profile.topSelf.slice(0, 15)) lines.push(`- ${fmt(row.percentOfBusy, 1)}% ${row.name}`);
    lines.push('', 'By file:', '');
    for (const row of results.profile.topFiles.slice(0, 12)) lines.push(`- ${fmt(row.percentOfBusy, 1)}% ${row.name}`);
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

const results = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: availableParallelism(),
    totalMemoryBytes: totalmem(),
    kernel: release(),
    gitCommit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    gitDirty: git(['status', '--porcelain', '--', 'src']) !== '',
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_S,
    measureSeconds: MEASURE_S,
    quick: QUICK,
    loadAverageStart: loadAverage(),
  },
};
log(`node ${process.version}, ${results.meta.cpuCount} CPUs, load average ${results.meta.loadAverageStart.join(' ')}; ${MEASURE_S} s per scenario after ${WARMUP_S} s warm-up`);

let shapes;
if (wants('throughput')) shapes = await throughputSection(results);
if (wants('ceiling')) {
  if (!shapes) {
    // Request shapes without the throughput section: take them from a short-lived kmslite.
    const port = await freePort();
    const server = await startKmslite({ port });
    try {
      shapes = await prepare(port);
    } finally {
      await stopServer(server);
    }
  }
  await ceilingSection(results, [
    ['Ceiling: bare node:http, Encrypt-sized', 'Encrypt', shapes.encryptBodies, shapes.encryptAnswerBytes],
    ['Ceiling: bare node:http, Decrypt-sized', 'Decrypt', shapes.decryptBodies, shapes.decryptAnswerBytes],
  ]);
}
if (results.kmslite && results.ceiling) {
  results.percentOfCeiling = {};
  for (const [i, op] of ['Encrypt', 'Decrypt'].entries()) {
    const k = results.kmslite[i];
    const c = results.ceiling[i];
    results.percentOfCeiling[op] = { kmslite: k.opsPerSec, ceiling: c.opsPerSec, percent: (k.opsPerSec / c.opsPerSec) * 100, kmsliteCpuUs: k.serverCpuUsPerOp, ceilingCpuUs: c.serverCpuUsPerOp };
  }
}
if (wants('logging')) await loggingSection(results);
if (wants('pipeline')) await pipelineSection(results);
if (wants('coldstart')) await coldStartSection(results);
if (wants('memory')) await memorySection(results);
const missed = results.percentOfCeiling && Object.values(results.percentOfCeiling).some((v) => v.percent < TARGETS.percentOfCeiling);
if (process.env.BENCH_PROFILE === '1' || (missed && wants('profile'))) await profileSection(results);
results.meta.loadAverageEnd = loadAverage();

const allRows = [...(results.kmslite ?? []), ...(results.ceiling ?? []), ...(results.infoLogging ?? []), ...(results.flatLatency ?? []).flatMap((f) => [f.listKeysFirstPage, f.listKeysMiddlePage, f.decrypt])];
results.totalErrors = allRows.reduce((sum, row) => sum + row.errors, 0);

const markdown = report(results);
console.log(markdown);

const resultsDir = here('./results/');
mkdirSync(resultsDir, { recursive: true });
const out = process.env.BENCH_OUT ?? join(resultsDir, `${results.meta.date.slice(0, 10)}${QUICK ? '-quick' : ''}.json`);
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
if (!process.env.BENCH_OUT) writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
log(`results written to ${out}`);
if (results.totalErrors > 0) {
  log(`${results.totalErrors} errors: the numbers above are not valid`);
  process.exitCode = 1;
}
