/**
 * bench/wrk/logLine.mjs: the request line's cost is read pair by pair (kmslite at info and at warn, seconds apart),
 * and the verdict is the median of the pairs, so one burst in one window cannot decide it.
 */
import { execFileSync } from 'node:child_process';

function summarise(pairs: { infoCpuUs: number; warnCpuUs: number }[], limit: number) {
  const module = new URL('../../bench/wrk/logLine.mjs', import.meta.url).href;
  const script = `import { summarisePairs } from ${JSON.stringify(module)}; console.log(JSON.stringify(summarisePairs(${JSON.stringify(pairs)}, ${limit})));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('each pair costs 1 − warn ÷ info; the summary is their median, extremes and the pairs over the limit', () => {
  // Costs 5 %, 20 %, 2 %, −10 % (warn read higher), 8 %: a burst in one pair (20 %) does not move the median.
  const pairs = [
    { infoCpuUs: 60, warnCpuUs: 57 },
    { infoCpuUs: 100, warnCpuUs: 80 },
    { infoCpuUs: 50, warnCpuUs: 49 },
    { infoCpuUs: 60, warnCpuUs: 66 },
    { infoCpuUs: 75, warnCpuUs: 69 },
  ];
  const summary = summarise(pairs, 10);
  expect(summary.costsPercent).toEqual([5, 20, 2, -10, 8]);
  expect(summary.medianCostPercent).toBeCloseTo(5, 6);
  expect(summary.lowestCostPercent).toBeCloseTo(-10, 6);
  expect(summary.highestCostPercent).toBeCloseTo(20, 6);
  expect(summary.pairsOverLimit).toBe(1);
  // An even number of pairs: the mean of the two middle ones.
  expect(summarise(pairs.slice(0, 4), 10).medianCostPercent).toBeCloseTo(3.5, 6);
});
