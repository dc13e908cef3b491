/**
 * Several kmslite servers side by side under the same scenario, in alternating rounds:
 *   node bench/flat-ab.mjs <rounds> <seconds> <tag>:<keys>[:<node options, comma-separated>[:<ENV=value,…>]] ...
 * Each server (`node [options] <package.json bin> --no-seed --log-level warn`, environment plus ENV) gets
 * <keys> keys (CreateKey through 16 connections); then every round measures each server once (16 connections,
 * 1 s warm-up, <seconds> measured), reversing the order every other round. OP=Decrypt (default), Encrypt,
 * ListKeys (first page, Limit 100) or ListKeysMiddle (Limit 50 from the middle of the listing). Reports per server the median req/s, p99 and server CPU µs per request, and every round.
 * E.g. `node bench/flat-ab.mjs 8 3 small:100 large:10000 large-v8-default:10000::KMSLITE_SEMI_SPACE_MB=0`.
 * Run it under `flock /work/bench.lock` on a shared machine.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runLoad } from './lib/runLoad.mjs';
import { ENTRY, PIN, ROOT, freePort, kms, kmsliteReady, median, nodeCommand, processRssBytes, sleep } from './lib/common.mjs';

const [roundsArg, secondsArg, ...specs] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const SECONDS = Number(secondsArg);
const OP = process.env.OP ?? 'Decrypt';
if (!(ROUNDS > 0) || !(SECONDS > 0) || specs.length === 0) {
  console.error('usage: node bench/flat-ab.mjs <rounds> <seconds> <tag>:<keys>[:<node options>[:<ENV=value,…>]] ...');
  process.exit(2);
}

function loadgen(options) {
  return runLoad({ connections: 16, ...options });
}
const fixed = (operation, bodies) => ({ kind: 'fixed', requests: bodies.map((body) => ({ operation, body })) });

const servers = [];
try {
  for (const spec of specs) {
    const [tag, keys, options, envs] = spec.split(':');
    const port = await freePort();
    const [command, args] = nodeCommand(0, [...(options ? options.split(',') : []), ENTRY, '--port', String(port), '--log-level', 'warn', '--no-seed']);
    const env = { ...process.env, ...Object.fromEntries((envs ? envs.split(',') : []).map((pair) => pair.split('='))) };
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env });
    const server = { tag, keys: Number(keys), port, pid: child.pid, child, results: [] };
    servers.push(server);
    for (;;) {
      try {
        if (await kmsliteReady(port)) break;
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
    const keyId = (await kms(port, 'CreateKey', {})).KeyMetadata.KeyId;
    server.encryptBodies = Array.from({ length: 16 }, () => ({ KeyId: keyId, Plaintext: randomBytes(32).toString('base64') }));
    server.decryptBodies = [];
    for (const body of server.encryptBodies) server.decryptBodies.push({ CiphertextBlob: (await kms(port, 'Encrypt', body)).CiphertextBlob });
    if (server.keys > 1) await loadgen({ port, serverPid: child.pid, maxRequests: server.keys - 1, scenario: fixed('CreateKey', [{}]) });
    server.rss = processRssBytes(child.pid);
    // OP=ListKeysMiddle: Limit 50 from the middle of the listing (the page after the first keys/2).
    if (OP === 'ListKeysMiddle') {
      for (let listed = 0, step = Math.min(1000, Math.floor(server.keys / 2)); listed < server.keys / 2; listed += step) {
        server.middleMarker = (await kms(port, 'ListKeys', { Limit: step, ...(server.middleMarker ? { Marker: server.middleMarker } : {}) })).NextMarker;
      }
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of round % 2 ? [...servers].reverse() : servers) {
      const scenario =
        OP === 'Decrypt'
          ? fixed('Decrypt', server.decryptBodies)
          : OP === 'ListKeys'
            ? fixed('ListKeys', [{ Limit: 100 }])
            : OP === 'ListKeysMiddle'
              ? fixed('ListKeys', [{ Limit: 50, Marker: server.middleMarker }])
              : fixed(OP, server.encryptBodies);
      server.results.push(await loadgen({ port: server.port, serverPid: server.pid, warmupMs: 1000, measureMs: SECONDS * 1000, scenario }));
    }
  }
  for (const server of servers) {
    const rps = server.results.map((r) => r.opsPerSec);
    const p99 = server.results.map((r) => r.latencyUs.p99 / 1000);
    const cpu = server.results.map((r) => r.serverCpuUsPerOp);
    const other = server.results.map((r) => r.otherCpuPercent);
    console.log(
      `${server.tag} (${server.keys} keys, RSS ${(server.rss / 1048576).toFixed(1)} MiB): ${OP} req/s median ${median(rps).toFixed(0)} ` +
        `[${rps.map((x) => x.toFixed(0)).join(' ')}], p99 median ${median(p99).toFixed(2)} ms [${p99.map((x) => x.toFixed(1)).join(' ')}], ` +
        `server ${median(cpu).toFixed(1)} µs/req, other CPU median ${median(other).toFixed(0)}%`,
    );
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
}
process.exit(0);
