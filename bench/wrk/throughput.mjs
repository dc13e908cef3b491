/**
 * Throughput and CPU per request, side by side in one run: for each scenario, rounds of (bare node:http,
 * kmslite at the default log level, kmslite at --log-level warn), the order rotating each round; every window
 * has its own warm-up. Reported per server and scenario: the round with the median CPU per request, and every
 * round.
 */
import { fileURLToPath } from 'node:url';
import { ENTRY, freePort, median, send, startKmslite, startServer, stopServer } from '../lib/common.mjs';
import { runWrk } from './runWrk.mjs';
import { prepareScenarios, warmupMix } from './scenarios.mjs';

/** bench/bare-server.mjs, padded to `answerBytes` (also cpuRatio.mjs). */
const BARE = fileURLToPath(new URL('../bare-server.mjs', import.meta.url));

export async function startBare(answerBytes) {
  const port = await freePort();
  return startServer({ args: [BARE, String(port), String(answerBytes)], port, ready: async (p) => (await send(p, { body: '{}' })).status === 200 });
}

/** The measured window of the median round by CPU per request, plus all rounds' key numbers. */
function summarise(windows) {
  const sorted = [...windows].sort((a, b) => a.serverCpuUsPerRequest - b.serverCpuUsPerRequest);
  const chosen = sorted[(sorted.length - 1) >> 1];
  return {
    ...chosen,
    medianReqPerSec: median(windows.map((w) => w.reqPerSec)),
    medianCpuUsPerRequest: median(windows.map((w) => w.serverCpuUsPerRequest)),
    rounds: windows.map((w) => ({ reqPerSec: Math.round(w.reqPerSec), cpuUs: +w.serverCpuUsPerRequest.toFixed(1), sysUs: +w.serverSystemUsPerRequest.toFixed(1), p99Us: w.latencyUs.p99, otherCpu: Math.round(w.otherCpuPercent) })),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
  };
}

/** { scenarios: [{ name, answerBytes, bare, kmslite, kmsliteWarn }] }. */
export async function measureThroughput({ rounds, seconds, warmupS, log }) {
  const kmslitePort = await freePort();
  const warnPort = await freePort();
  const kmslite = await startKmslite({ port: kmslitePort, logLevel: 'info', entry: ENTRY });
  const warn = await startKmslite({ port: warnPort, logLevel: 'warn', entry: ENTRY });
  try {
    const prepared = await prepareScenarios(kmslitePort);
    const preparedWarn = await prepareScenarios(warnPort);
    // JIT warm-up of both servers with every scenario's requests mixed.
    await runWrk(kmslite, warmupMix(prepared.scenarios), { seconds: warmupS * 2 });
    await runWrk(warn, warmupMix(preparedWarn.scenarios), { seconds: warmupS * 2 });
    const out = [];
    for (const [index, scenario] of prepared.scenarios.entries()) {
      const bare = await startBare(scenario.answerBytes);
      const sides = [
        { key: 'bare', server: bare, requests: scenario.requests },
        { key: 'kmslite', server: kmslite, requests: scenario.requests },
        { key: 'kmsliteWarn', server: warn, requests: preparedWarn.scenarios[index].requests },
      ];
      const windows = Object.fromEntries(sides.map((side) => [side.key, []]));
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < sides.length; i++) {
          const side = sides[(i + round) % sides.length];
          await runWrk(side.server, side.requests, { seconds: warmupS });
          const result = await runWrk(side.server, side.requests, { seconds });
          windows[side.key].push(result);
          log(`${scenario.name.padEnd(16)} ${side.key.padEnd(11)} ${Math.round(result.reqPerSec).toString().padStart(6)} req/s  ${result.serverCpuUsPerRequest.toFixed(1).padStart(6)} µs/req (sys ${result.serverSystemUsPerRequest.toFixed(1)})  p99 ${(result.latencyUs.p99 / 1000).toFixed(2)} ms  other ${result.otherCpuPercent.toFixed(0)}%  errors ${result.errors}`);
        }
      }
      await stopServer(bare);
      out.push({ name: scenario.name, answerBytes: scenario.answerBytes, ...Object.fromEntries(Object.entries(windows).map(([key, list]) => [key, summarise(list)])) });
    }
    return { scenarios: out };
  } finally {
    await stopServer(kmslite);
    await stopServer(warn);
  }
}
