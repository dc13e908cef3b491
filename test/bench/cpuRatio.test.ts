/**
 * bench/wrk/cpuRatio.mjs and report.mjs: CPU per request against bare node:http is read pair by pair, and the
 * verdict of item 2 is the median of the pairs, so a change of the host's speed between two windows cannot decide it.
 */
import { execFileSync } from 'node:child_process';

function runModule(script: string): any {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

const module = (name: string) => JSON.stringify(new URL(`../../bench/wrk/${name}`, import.meta.url).href);

test('each pair reads kmslite ÷ bare; the summary is their median, extremes and the pairs over the limit', () => {
  // Ratios 1.5, 3.0 (the host slowed down during kmslite's window), 1.6, 1.4, 2.5: the median is 1.6.
  const pairs = [
    { bareCpuUs: 30, kmsliteCpuUs: 45 },
    { bareCpuUs: 25, kmsliteCpuUs: 75 },
    { bareCpuUs: 30, kmsliteCpuUs: 48 },
    { bareCpuUs: 50, kmsliteCpuUs: 70 },
    { bareCpuUs: 20, kmsliteCpuUs: 50 },
  ];
  const summary = runModule(`import { summariseRatios } from ${module('cpuRatio.mjs')}; console.log(JSON.stringify(summariseRatios(${JSON.stringify(pairs)}, 2)));`);
  expect(summary.ratios).toEqual([1.5, 3, 1.6, 1.4, 2.5]);
  expect(summary.medianRatio).toBeCloseTo(1.6, 6);
  expect(summary.lowestRatio).toBeCloseTo(1.4, 6);
  expect(summary.highestRatio).toBeCloseTo(3, 6);
  expect(summary.pairsOverLimit).toBe(2);
});

test("with the paired section the report's verdict on CPU per request is the pairs' median, not the rounds' medians", () => {
  const window = (cpu: number) => ({ reqPerSec: 1, latencyUs: { p50: 1, p99: 1 }, serverCpuUsPerRequest: cpu, medianCpuUsPerRequest: cpu, errors: 0 });
  const results = {
    meta: { date: 'd', commit: 'c', node: 'v', loadBefore: [0], connections: 16, seconds: 5, warmupS: 2, rounds: 3, pinned: true },
    // The rounds' medians say 3× (bare's median round came in a fast moment)...
    throughput: { scenarios: [{ name: 'Encrypt', bare: window(20), kmslite: window(60), kmsliteWarn: window(58) }] },
    // ...the pairs say 1.5–1.6×.
    cpuRatio: { pairs: 3, seconds: 2, scenarios: [{ name: 'Encrypt', pairs: [{ bareCpuUs: 30, kmsliteCpuUs: 45, bareFirst: true }, { bareCpuUs: 40, kmsliteCpuUs: 62, bareFirst: false }, { bareCpuUs: 30, kmsliteCpuUs: 48, bareFirst: true }], medianRatio: 1.55, lowestRatio: 1.5, highestRatio: 1.6, pairsOverLimit: 0, ratios: [1.5, 1.55, 1.6] }] },
  };
  const { verdicts, markdown } = runModule(`import { report } from ${module('report.mjs')}; console.log(JSON.stringify(report(${JSON.stringify(results)})));`);
  const cpu = verdicts.filter((v: any) => v.target.startsWith('Encrypt: CPU per request'));
  expect(cpu).toEqual([{ target: 'Encrypt: CPU per request ≤ 2× bare (median of paired windows)', value: '1.55×', met: true }]);
  expect(markdown).toContain('| Encrypt | 3.00× (60.0 vs 20.0) |');
  expect(markdown).toContain('| Encrypt | 1.55× | 1.50× | 1.60× | 0 of 3 | 1.5, 1.55, 1.6 | 30.0/45.0, 40.0/62.0, 30.0/48.0 |');
});
