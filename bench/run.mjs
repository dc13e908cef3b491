/**
 * kmslite benchmark: `npm run bench` (builds, then runs this file). docs/contributing/benchmarks.md explains the method.
 *
 * Every server under test is its own process (`node <package.json bin> --port <p> --log-level warn --no-seed`,
 * or bench/bare-server.mjs for the ceiling); the load comes from another process (bench/loadgen.mjs, forked),
 * so the server's CPU time per request is read from /proc/<pid>/stat without the client's. With 2+ CPUs and
 * `taskset`, the server runs on CPU 0 and the load generator on CPU 1.
 *
 * Environment:
 *   BENCH_SECONDS=8       measured seconds per throughput scenario (warm-up: BENCH_WARMUP, default 2)
 *   BENCH_QUICK=1         2 s smoke run (0.5 s warm-up, 3 cold starts)
 *   BENCH_CONNECTIONS=16  concurrent keep-alive connections
 *   BENCH_KEYS=10000      keys for the memory and flat-latency section
 *   BENCH_PROFILE=1       always take a --cpu-prof profile of the server under Encrypt load (taken anyway
 *                         when Encrypt or Decrypt is under 50% of the ceiling)
 *   BENCH_ONLY=a,b        sections: throughput, ceiling, logging, coldstart, memory, pipeline, profile
 *   BENCH_IDLE_WAIT=120   before each scenario, wait up to this many seconds for other processes to go idle
 *   BENCH_RETRIES=2       re-measure a scenario when other processes used > 15% of a core meanwhile
 *   BENCH_ROUNDS=3        rounds of (ceiling, kmslite) pairs for Encrypt and Decrypt; the median ratio is reported
 *   BENCH_COLD_REPEATS=10 cold starts per entry (3 with BENCH_QUICK)
 *   BENCH_FLAT_ROUNDS=5   rounds of the flat-latency scenarios, each side measured once per round (1 quick);
 *                         medians are reported, every round is kept
 *   BENCH_PIN=0           do not pin the server (CPU 0) and the load generator (CPU 1) with taskset
 *   BENCH_ENTRY=file      what the server runs (default: package.json bin, dist/bundle/kmslite.cjs)
 *   BENCH_OUT=path        results file (default bench/results/<yyyy-mm-dd>.json, plus bench/results/latest.json)
 *
 * This file runs the sections in order and writes the results; the parts are in bench/node/: settings.mjs (the
 * variables above), load.mjs (load generation: idle wait, measure, retries), scenarios.mjs (throughput, ceiling,
 * logging, pipeline, profile), coldStartAndMemory.mjs and report.mjs (the Markdown report).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ENTRY, PIN, ROOT, fromRoot, freePort, loadAverage, startKmslite, stopServer } from './lib/common.mjs';
import { here, QUICK, MEASURE_S, WARMUP_S, CONNECTIONS, wants, TARGETS, log } from './node/settings.mjs';
import { measuredErrorCount } from './node/load.mjs';
import { prepare, throughputSection, ceilingRun, loggingSection, pipelineSection, profileSection } from './node/scenarios.mjs';
import { coldStartSection, memorySection } from './node/coldStartAndMemory.mjs';
import { report } from './node/report.mjs';

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
    entry: fromRoot(ENTRY),
    pinned: PIN,
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
if (wants('ceiling') && !results.ceiling) {
  // Ceiling alone (BENCH_ONLY=ceiling): request shapes from a short-lived kmslite.
  const port = await freePort();
  const server = await startKmslite({ port });
  try {
    shapes = await prepare(port);
  } finally {
    await stopServer(server);
  }
  results.ceiling = [
    await ceilingRun('Ceiling: bare node:http, Encrypt-sized', 'Encrypt', shapes.encryptBodies, shapes.encryptAnswerBytes),
    await ceilingRun('Ceiling: bare node:http, Decrypt-sized', 'Decrypt', shapes.decryptBodies, shapes.decryptAnswerBytes),
  ];
}
if (results.kmslite && results.ceiling) {
  results.percentOfCeiling = {};
  for (const [i, op] of ['Encrypt', 'Decrypt'].entries()) {
    const k = results.kmslite[i];
    const c = results.ceiling[i];
    results.percentOfCeiling[op] = { kmslite: k.opsPerSec, ceiling: c.opsPerSec, percent: (k.opsPerSec / c.opsPerSec) * 100, kmsliteCpuUs: k.serverCpuUsPerOp, ceilingCpuUs: c.serverCpuUsPerOp, ceilingLoadgenCpuPercent: c.loadgenCpuPercent, ceilingServerCpuPercent: c.serverCpuPercent };
  }
}
if (wants('logging')) await loggingSection(results);
if (wants('pipeline')) await pipelineSection(results);
if (wants('coldstart')) await coldStartSection(results);
if (wants('memory')) await memorySection(results);
const missed = results.percentOfCeiling && Object.values(results.percentOfCeiling).some((v) => v.percent < TARGETS.percentOfCeiling);
if (process.env.BENCH_PROFILE === '1' || (missed && wants('profile'))) await profileSection(results);
results.meta.loadAverageEnd = loadAverage();

results.totalErrors = measuredErrorCount();

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
