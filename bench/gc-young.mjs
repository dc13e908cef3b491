/**
 * Young-generation GC under Decrypt load, after filling the store: `node bench/gc-young.mjs <keys> [seconds]`.
 * Starts `node --trace-gc <package.json bin> --no-seed --log-level warn` (the environment passes through: e.g.
 * KMSLITE_SEMI_SPACE_MB=0 for V8's own young-generation sizing), creates <keys> keys with CreateKey through
 * 16 connections, then runs Decrypt (16 connections, 0.5 s warm-up, [seconds] measured, default 3) and counts the
 * scavenges and mark-compacts V8 printed meanwhile: number, pause per scavenge, GC pause per request, and
 * the heap before/after the last scavenge. Run it under `flock /work/bench.lock` on a shared machine.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ENTRY, PIN, ROOT, freePort, kms, kmsliteReady, nodeCommand, sleep } from './lib/common.mjs';

const keys = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 3);

function loadgen(options) {
  return new Promise((resolve, reject) => {
    const pin = PIN ? { execPath: 'taskset', execArgv: ['-c', '1', process.execPath] } : { execArgv: [] };
    const child = fork(fileURLToPath(new URL('./loadgen.mjs', import.meta.url)), [], { ...pin, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message) => (message.type === 'result' ? resolve(message.result) : reject(new Error(message.error))));
    child.send({ type: 'run', connections: 16, ...options });
  });
}
const fixed = (operation, bodies) => ({ kind: 'fixed', requests: bodies.map((body) => ({ operation, body })) });

const port = await freePort();
const [command, args] = nodeCommand(0, ['--trace-gc', ENTRY, '--port', String(port), '--log-level', 'warn', '--no-seed']);
const server = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
let trace = '';
server.stdout.on('data', (chunk) => (trace += chunk));
try {
  for (;;) {
    try {
      if (await kmsliteReady(port)) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  const keyId = (await kms(port, 'CreateKey', {})).KeyMetadata.KeyId;
  const bodies = [];
  for (let i = 0; i < 16; i++) bodies.push({ CiphertextBlob: (await kms(port, 'Encrypt', { KeyId: keyId, Plaintext: randomBytes(32).toString('base64') })).CiphertextBlob });
  if (keys > 1) await loadgen({ port, serverPid: server.pid, maxRequests: keys - 1, scenario: fixed('CreateKey', [{}]) });
  const mark = trace.length;
  const result = await loadgen({ port, serverPid: server.pid, warmupMs: 500, measureMs: seconds * 1000, scenario: fixed('Decrypt', bodies) });
  const lines = trace.slice(mark).split('\n');
  const pauseOf = (line) => Number(/MB, ([\d.]+) \//.exec(line)?.[1] ?? 0);
  const scavenges = lines.filter((line) => line.includes('Scavenge'));
  const marks = lines.filter((line) => /Mark-(Compact|Sweep)/.test(line));
  const scavengeMs = scavenges.reduce((sum, line) => sum + pauseOf(line), 0);
  const markMs = marks.reduce((sum, line) => sum + pauseOf(line), 0);
  const requests = result.opsPerSec * (seconds + 0.5);
  console.log(
    `${keys} keys, Decrypt: ${result.opsPerSec.toFixed(0)} req/s, p99 ${(result.latencyUs.p99 / 1000).toFixed(2)} ms, server ${result.serverCpuUsPerOp.toFixed(1)} µs/req (other CPU ${result.otherCpuPercent.toFixed(0)}%)\n` +
      `  in ${seconds + 0.5} s: ${scavenges.length} scavenges, ${(scavengeMs / Math.max(1, scavenges.length)).toFixed(2)} ms each, ${((scavengeMs * 1000) / requests).toFixed(1)} µs per request; ` +
      `${marks.length} mark-compacts (${markMs.toFixed(0)} ms)\n  last scavenge: ${scavenges.at(-1)?.replace(/^.*?ms: /, '').replace(/ \(average.*$/, '') ?? 'none'}`,
  );
} finally {
  server.kill('SIGTERM');
}
process.exit(0);
