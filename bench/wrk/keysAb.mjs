/**
 * Interleaved A/B of the memory-with-keys reading (docs/contributing/benchmarks.md, "Fourth pass"):
 * `node bench/wrk/keysAb.mjs <pairs> <entry A> <entry B> [keys]`, e.g. a copy of main's dist/bundle as A and this
 * checkout's dist/bundle/kmslite.cjs as B. Runs A, B, A, B… (`pairs` of each, 10,000 keys by default, as
 * `BENCH_ONLY=keys`), each with the memory breakdown (bench/wrk/memoryProbe.mjs), and prints one JSON line per
 * run (with the machine's load average at its start) and the medians. On a shared machine the pairs are what is
 * comparable, not one run against another day's.
 */
import { resolve } from 'node:path';
import { loadAverage, median } from '../lib/common.mjs';
import { keysRss } from './memory.mjs';

const [pairs, entryA, entryB, keys] = [Number(process.argv[2] ?? 4), process.argv[3], process.argv[4], Number(process.argv[5] ?? 10_000)];
if (!entryA || !entryB) throw new Error('usage: node bench/wrk/keysAb.mjs <pairs> <entry A> <entry B> [keys]');
const mib = (bytes) => +(bytes / 1048576).toFixed(1);
const runs = { A: [], B: [] };
for (let i = 0; i < pairs; i++) {
  for (const [label, entry] of [['A', entryA], ['B', entryB]]) {
    const load = loadAverage();
    const result = await keysRss(keys, { breakdown: true, entry: resolve(entry) });
    runs[label].push(result);
    console.log(JSON.stringify({ pair: i + 1, label, load, empty: mib(result.rssEmptyBytes), rightAfter: mib(result.rssRightAfterBytes), afterIdle: mib(result.rssAfterIdleBytes), createKeyPerSec: result.createKeyPerSec, breakdownEmpty: result.breakdownEmpty, breakdownAfterIdle: result.breakdownAfterIdle }));
  }
}
for (const label of ['A', 'B']) {
  const pick = (get) => mib(median(runs[label].map(get)));
  console.log(`${label} medians: empty ${pick((r) => r.rssEmptyBytes)} MiB, right after ${pick((r) => r.rssRightAfterBytes)} MiB, after 5 s idle ${pick((r) => r.rssAfterIdleBytes)} MiB`);
}
