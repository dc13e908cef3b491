/**
 * Cold start of several entries, interleaved: `node bench/coldstart-ab.mjs <runs> <entry|bare> ...`.
 * Each run starts every entry once in turn (`node <entry> --port <p> --log-level warn`, or at BENCH_LOG_LEVEL's
 * level; default seed; `bare` is bench/bare-server.mjs, node's floor), so a busy moment of the machine hits all of
 * them alike. Reports per entry the median, quartiles and minimum of spawn → first signed ListKeys 200 (polled
 * every ms), and the median CPU time the server used until then (all its threads,
 * /proc/<pid>/task/<tid>/schedstat). Run it under `flock /work/bench.lock` on a shared machine. The server is
 * pinned to CPU 0 as in bench/run.mjs.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, send, signKms, startServer, stopServer, median } from './lib/common.mjs';

const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const BARE = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const runs = Number(process.argv[2]);
const entries = process.argv.slice(3);
if (!(runs > 0) || entries.length === 0) {
  console.error('usage: node bench/coldstart-ab.mjs <runs> <entry|bare> ...');
  process.exit(2);
}
const wall = entries.map(() => []);
const cpu = entries.map(() => []);
const cpuMs = (pid) => {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // thread gone
    }
  }
  return ns / 1e6;
};
for (let i = 0; i < runs; i++) {
  for (const [e, entry] of entries.entries()) {
    const port = await freePort();
    const bare = entry === 'bare';
    const listKeys = signKms(port, 'ListKeys', {});
    const started = performance.now();
    const server = await startServer({
      args: bare ? [BARE, String(port), '0'] : [entry, '--port', String(port), '--log-level', LOG_LEVEL],
      port,
      ready: async (p) => (await send(p, bare ? { body: '{}' } : listKeys, 1000)).status === 200,
    });
    wall[e].push(performance.now() - started);
    cpu[e].push(cpuMs(server.pid));
    await stopServer(server);
  }
}
for (const [e, entry] of entries.entries()) {
  const sorted = [...wall[e]].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  console.log(
    `${entry}: median ${median(wall[e]).toFixed(1)} ms (p25 ${at(0.25)}, p75 ${at(0.75)}, min ${sorted[0].toFixed(1)}), server CPU median ${median(cpu[e]).toFixed(1)} ms, ${runs} runs`,
  );
}
