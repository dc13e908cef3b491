/**
 * The cost of the default request line (issue 12 item 3), measured on its own: two kmslite servers that differ only
 * in the log level (`info`, the default, and `warn`, which writes no request line), loaded in short windows one
 * right after the other, many times. Each pair gives one reading, 1 − (warn µs ÷ info µs) of server CPU per
 * request: what the line costs a CPU-bound server in throughput.
 *
 * Why not the throughput section's medians: on this machine the host's speed moves by 10–60 % between rounds a minute
 * apart (and by 2× within minutes), which is more than the line costs. Within a pair the two windows are seconds
 * apart; the order alternates from pair to pair (info first, then warn first), so a steady drift adds as much to one
 * side as to the other; and the median of many pairs ignores the pairs a burst fell into.
 */
import { ENTRY, freePort, median, startKmslite, stopServer } from '../lib/common.mjs';
import { runWrk } from './runWrk.mjs';
import { prepareScenarios, warmupMix } from './scenarios.mjs';

/** Each pair's cost in percent and their summary: median, lowest and highest, and the share of pairs over `limit`. */
export function summarisePairs(pairs, limit) {
  const costs = pairs.map((pair) => (1 - pair.warnCpuUs / pair.infoCpuUs) * 100);
  const sorted = [...costs].sort((a, b) => a - b);
  return {
    medianCostPercent: median(costs),
    lowestCostPercent: sorted[0],
    highestCostPercent: sorted[sorted.length - 1],
    pairsOverLimit: costs.filter((cost) => cost > limit).length,
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
      const measured = [];
      for (let pair = 0; pair < pairs; pair++) {
        const infoFirst = pair % 2 === 0;
        const cpu = {};
        for (const level of infoFirst ? ['info', 'warn'] : ['warn', 'info']) {
          // No warm-up window: both servers are warm (the mix above), and wrk's 16 new connections are a few of the window's thousands of requests.
          cpu[level] = (await runWrk(sides[level].server, sides[level].requests, { seconds })).serverCpuUsPerRequest;
        }
        measured.push({ infoCpuUs: +cpu.info.toFixed(2), warnCpuUs: +cpu.warn.toFixed(2), infoFirst });
      }
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
