/**
 * Cold start, interleaved: each repeat starts kmslite (the `kmslite` command, default seed, at the given log
 * level) and a bare node:http server in turn, so a busy moment of the machine hits both alike. Measured: spawn →
 * first 200 answer (kmslite: a signed ListKeys; bare: any POST), polled every millisecond.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ENTRY, freePort, median, send, signKms, startServer, stopServer } from '../lib/common.mjs';

const BARE = fileURLToPath(new URL('../bare-server.mjs', import.meta.url));

async function once(kind, logLevel) {
  const port = await freePort();
  const listKeys = signKms(port, 'ListKeys', {});
  const started = performance.now();
  const server = await startServer({
    args: kind === 'bare' ? [BARE, String(port), '0'] : [ENTRY, '--port', String(port), '--log-level', logLevel],
    port,
    ready: async (p) => (await send(p, kind === 'bare' ? { body: '{}' } : listKeys, 1000)).status === 200,
  });
  const ms = performance.now() - started;
  await stopServer(server);
  return ms;
}

/** { bare, kmslite: { <level>: ... } }: each { medianMs, minMs, runsMs }. */
export async function measureColdStart(repeats, logLevels) {
  const runs = { bare: [], ...Object.fromEntries(logLevels.map((level) => [level, []])) };
  for (let i = 0; i < repeats; i++) {
    runs.bare.push(await once('bare'));
    for (const level of logLevels) runs[level].push(await once('kmslite', level));
  }
  const summary = (values) => ({ medianMs: median(values), minMs: Math.min(...values), runsMs: values.map((v) => Math.round(v * 10) / 10) });
  return { bare: summary(runs.bare), kmslite: Object.fromEntries(logLevels.map((level) => [level, summary(runs[level])])) };
}
