/**
 * CPU per request against bare node:http (issue 12 item 2), read pair by pair: for each scenario, a bare node:http
 * server (answer padded to kmslite's size) and kmslite at the default log level, loaded in short windows one right
 * after the other, the order alternating (pairs.mjs: why pairs). Each pair gives kmslite µs ÷ bare µs; the
 * verdict is the median of the pairs. The throughput section's rounds stay for req/s, latency, RSS and the
 * medians-of-rounds ratio, which a change of the host's speed between two rounds moves by up to 2×.
 */
import { ENTRY, freePort, startKmslite, stopServer } from '../lib/common.mjs';
import { runWrk } from './runWrk.mjs';
import { pairedWindows, summariseReadings } from './pairs.mjs';
import { prepareScenarios, warmupMix } from './scenarios.mjs';
import { startBare } from './throughput.mjs';

/** Each pair's ratio kmslite ÷ bare and their summary: median, lowest, highest, and the pairs over `limit`. */
export function summariseRatios(pairs, limit) {
  const ratios = pairs.map((pair) => pair.kmsliteCpuUs / pair.bareCpuUs);
  const summary = summariseReadings(ratios, limit);
  return {
    medianRatio: summary.median,
    lowestRatio: summary.lowest,
    highestRatio: summary.highest,
    pairsOverLimit: summary.overLimit,
    ratios: ratios.map((ratio) => +ratio.toFixed(2)),
  };
}

/** { pairs, seconds, scenarios: [{ name, pairs: [{ bareCpuUs, kmsliteCpuUs, bareFirst }], ...summariseRatios }] }. */
export async function measureCpuRatio({ pairs, seconds, limit, log }) {
  const port = await freePort();
  const kmslite = await startKmslite({ port, logLevel: 'info', entry: ENTRY });
  try {
    const { scenarios } = await prepareScenarios(port);
    await runWrk(kmslite, warmupMix(scenarios), { seconds: 4 });
    const out = [];
    for (const scenario of scenarios) {
      const bare = await startBare(scenario.answerBytes);
      try {
        await runWrk(bare, scenario.requests, { seconds: 2 });
        const windows = await pairedWindows({ server: bare, requests: scenario.requests }, { server: kmslite, requests: scenario.requests }, { pairs, seconds });
        const measured = windows.map((w) => ({ bareCpuUs: w.a, kmsliteCpuUs: w.b, bareFirst: w.aFirst }));
        const summary = summariseRatios(measured, limit);
        log(`cpu ratio ${scenario.name.padEnd(16)} median ${summary.medianRatio.toFixed(2)}× (pairs ${summary.ratios.join(' ')})`);
        out.push({ name: scenario.name, pairs: measured, ...summary });
      } finally {
        await stopServer(bare);
      }
    }
    return { pairs, seconds, scenarios: out };
  } finally {
    await stopServer(kmslite);
  }
}
