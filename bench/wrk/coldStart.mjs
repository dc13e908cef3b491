/**
 * Cold start, interleaved: each repeat starts kmslite (the `kmslite` command, default seed, at the given log
 * level) and a bare node:http server in turn, so a busy moment of the machine hits both alike. Measured: spawn →
 * first 200 answer (kmslite: a signed ListKeys; bare: any POST), polled every millisecond; and the server's minor
 * page faults by then: on this virtual machine a fault costs tens of µs, they are a large part of start-up, and
 * unlike times their count does not depend on what else the machine is doing.
 */
import { readFileSync } from 'node:fs';
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
  const faults = minorFaults(server.pid);
  await stopServer(server);
  return { ms, faults };
}

/** minflt of /proc/<pid>/stat (field 10). */
function minorFaults(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

/** { bare, kmslite: { <level>: ... } }: each { medianMs, minMs, runsMs, medianMinorFaults }. */
export async function measureColdStart(repeats, logLevels) {
  const runs = { bare: [], ...Object.fromEntries(logLevels.map((level) => [level, []])) };
  for (let i = 0; i < repeats; i++) {
    runs.bare.push(await once('bare'));
    for (const level of logLevels) runs[level].push(await once('kmslite', level));
  }
  const summary = (measured) => {
    const values = measured.map((run) => run.ms);
    return { medianMs: median(values), minMs: Math.min(...values), runsMs: values.map((v) => Math.round(v * 10) / 10), medianMinorFaults: median(measured.map((run) => run.faults)) };
  };
  return { bare: summary(runs.bare), kmslite: Object.fromEntries(logLevels.map((level) => [level, summary(runs[level])])) };
}
