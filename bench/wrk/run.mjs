/**
 * kmslite benchmark with wrk: `npm run bench` (builds, then runs this file). docs/contributing/benchmarks.md explains it.
 * wrk (installed with apt-get when missing) sends SigV4-signed requests prepared by bench/wrk/luaScript.mjs;
 * each server is its own process, so its CPU time and RSS are read from /proc without the client's.
 *
 * Environment:
 *   BENCH_SECONDS=5          measured seconds per window (BENCH_WARMUP=2 s of warm-up before each)
 *   BENCH_ROUNDS=3           rounds of (bare, kmslite default, kmslite warn) per scenario
 *   BENCH_CONNECTIONS=16     wrk connections (1 thread)
 *   BENCH_LONG_REQUESTS=1500000  requests of the long run (memory after the run)
 *   BENCH_KEYS=10000         keys for the memory-with-keys reading
 *   BENCH_COLD_REPEATS=10    interleaved cold starts
 *   BENCH_RATIO_PAIRS=10     pairs of (bare, kmslite) windows per scenario for CPU per request ÷ bare (BENCH_RATIO_SECONDS=2 s each)
 *   BENCH_LOG_PAIRS=10       pairs of (info, warn) windows per scenario for the request line's cost (BENCH_LOG_SECONDS=2 s each)
 *   BENCH_ONLY=a,b           sections: throughput, cpuratio, logline, long, keys, coldstart
 *   BENCH_MEMORY_BREAKDOWN=1 the keys section also says where the RSS is (bench/wrk/memoryProbe.mjs preloaded)
 *   BENCH_QUICK=1            1 round of 2 s windows, 2 ratio and 2 log-line pairs, 100,000-request long run, 1,000 keys, 3 cold starts
 *   BENCH_OUT=path           results file (default bench/results/<yyyy-mm-dd>-wrk[-quick].json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PIN, commandOutput as run, loadAverage } from '../lib/common.mjs';
import { ensureWrk } from './runWrk.mjs';
import { measureThroughput } from './throughput.mjs';
import { keysRss, longRun } from './memory.mjs';
import { measureColdStart } from './coldStart.mjs';
import { measureLogLine } from './logLine.mjs';
import { measureCpuRatio } from './cpuRatio.mjs';
import { TARGETS, report } from './report.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const env = (name, normal, quick) => Number(process.env[name] ?? (QUICK ? quick : normal));
const settings = {
  seconds: env('BENCH_SECONDS', 5, 2),
  warmupS: env('BENCH_WARMUP', 2, 1),
  rounds: env('BENCH_ROUNDS', 3, 1),
  connections: env('BENCH_CONNECTIONS', 16, 16),
  longRequests: env('BENCH_LONG_REQUESTS', 1_500_000, 100_000),
  keys: env('BENCH_KEYS', 10_000, 1_000),
  coldRepeats: env('BENCH_COLD_REPEATS', 10, 3),
  ratioPairs: env('BENCH_RATIO_PAIRS', 10, 2),
  ratioSeconds: env('BENCH_RATIO_SECONDS', 2, 1),
  logPairs: env('BENCH_LOG_PAIRS', 10, 2),
  logSeconds: env('BENCH_LOG_SECONDS', 2, 1),
};
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const wants = (section) => !ONLY || ONLY.has(section);
const log = (...args) => console.error('[bench]', ...args);

ensureWrk();
const results = {
  meta: {
    date: new Date().toISOString(),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
    node: process.version,
    ...settings,
    pinned: PIN,
    loadBefore: loadAverage(),
    topBefore: run('top', ['-bn1', '-w', '120'])?.split('\n').slice(0, 15).join('\n'),
  },
};
if (wants('throughput')) results.throughput = await measureThroughput({ ...settings, log });
if (wants('cpuratio')) {
  log(`CPU per request ÷ bare: ${settings.ratioPairs} pairs of (bare, kmslite) windows per scenario`);
  results.cpuRatio = await measureCpuRatio({ pairs: settings.ratioPairs, seconds: settings.ratioSeconds, limit: TARGETS.cpuRatioToBare, log });
}
if (wants('logline')) {
  log(`the request line's cost: ${settings.logPairs} pairs of (info, warn) windows per scenario`);
  results.logLine = await measureLogLine({ pairs: settings.logPairs, seconds: settings.logSeconds, limitPercent: TARGETS.loggingCostPercent, log });
}
if (wants('long')) {
  log(`long run: ${settings.longRequests} requests`);
  results.longRun = await longRun(settings.longRequests, 10);
}
if (wants('keys')) {
  log(`memory with ${settings.keys} keys`);
  results.keys = await keysRss(settings.keys, { breakdown: process.env.BENCH_MEMORY_BREAKDOWN === '1' });
}
if (wants('coldstart')) {
  log(`cold start: ${settings.coldRepeats} interleaved runs`);
  results.coldStart = await measureColdStart(settings.coldRepeats, ['info', 'warn']);
}
results.meta.loadAfter = loadAverage();

const { markdown, verdicts } = report(results);
results.verdicts = verdicts;
console.log(markdown);
const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const out = process.env.BENCH_OUT ?? `${dir}${results.meta.date.slice(0, 10)}-wrk${QUICK ? '-quick' : ''}.json`;
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
log(`results: ${out}`);
