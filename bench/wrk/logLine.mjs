/**
 * The cost of the default request line (issue 12 item 3), measured on its own: two kmslite servers that differ only
 * in the log level (`info`, the default, and `warn`, which writes no request line), loaded in short windows one
 * right after the other, many times. Each pair gives one reading, 1 − (warn µs ÷ info µs) of server CPU per
 * request: what the line costs a CPU-bound server in throughput.
 *
 * Why not the throughput section's medians: the host's speed moves more than the line costs (pairs.mjs says how
 * much); paired windows seconds apart, the order alternating, and the median of the pairs read through that.
 */
import { ENTRY, freePort, startKmslite, stopServer } from '../lib/common.mjs';
import { runWrk } from './runWrk.mjs';
import { pairedWindows, summariseReadings } from './pairs.mjs';
import { prepareScenarios, warmupMix } from './scenarios.mjs';

/** Each pair's cost in percent and their summary: median, lowest and highest, and the share of pairs over `limit`. */
export function summarisePairs(pairs, limit) {
  const costs = pairs.map((pair) => (1 - pair.warnCpuUs / pair.infoCpuUs) * 100);
  const summary = summariseReadings(costs, limit);
  return {
    medianCostPercent: summary.median,
    lowestCostPercent: summary.lowest,
    highestCostPercent: summary.highest,
    pairsOverLimit: summary.overLimit,
    costsPercent: costs.map((cost) => +cost.toFixed(1)),
  };
}

/** { scenarios: [{ name, pairs: [{ infoCpuUs, warnCpuUs, infoFirst }], ...summarisePairs }] }. */
export async function measureLogLine({ pairs, seconds, limitPercent, log }) {
  const infoPort = await freePort();
  const warnPort = await freePort();
  const info = await startKmslite({ port: infoPort, logLevel: 'info', entry: ENTRY });
  const warn = await startKmslite({ port: warnPort, logLevel: 'warn', entry: ENTRY });
  try {
    const infoScenarios = (await prepareScenarios(infoPort)).scenarios;
    const warnScenarios = (await prepareScenarios(warnPort)).scenarios;
    await runWrk(info, warmupMix(infoScenarios), { seconds: 4 });
    await runWrk(warn, warmupMix(warnScenarios), { seconds: 4 });
    const out = [];
    for (const [index, scenario] of infoScenarios.entries()) {
      const sides = { info: { server: info, requests: scenario.requests }, warn: { server: warn, requests: warnScenarios[index].requests } };
      const windows = await pairedWindows(sides.info, sides.warn, { pairs, seconds });
      const measured = windows.map((w) => ({ infoCpuUs: w.a, warnCpuUs: w.b, infoFirst: w.aFirst }));
      const summary = summarisePairs(measured, limitPercent);
      log(`log line ${scenario.name.padEnd(16)} median ${summary.medianCostPercent.toFixed(1)} % (pairs ${summary.costsPercent.join(' ')})`);
      out.push({ name: scenario.name, pairs: measured, ...summary });
    }
    return { pairs, seconds, scenarios: out };
  } finally {
    await stopServer(info);
    await stopServer(warn);
  }
}
