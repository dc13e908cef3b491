/**
 * Starts and stops the multi-process prototype (server.mjs) as a child: { child, pid, pids, port, ownerPort,
 * ownerStatPath }. `pids` are the owner's and every front process's (their CPU is summed by runWrk; with
 * `threads` the fronts are threads of the owner's process). stdout (request lines) goes to
 * /dev/null; the READY line comes on stderr.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

export function startMulticore({ port = 0, fronts, threads = false, logLevel = 'info', relayOnlyBytes, timeoutMs = 15_000 }) {
  const args = [SERVER, '--port', String(port), '--fronts', String(fronts), '--log-level', logLevel];
  if (relayOnlyBytes !== undefined) args.push('--relay-only', String(relayOnlyBytes));
  if (threads) args.push('--threads');
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`prototype not ready after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`prototype exited during start-up (${code ?? signal}): ${stderr}`));
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /MULTICORE READY (\d+) (\d+) ([\d,]*)\n/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const frontPids = match[3] ? match[3].split(',').map(Number) : [];
      // The owner's own CPU: its process, or with threads its main thread (the task whose id is the pid).
      const ownerStatPath = threads ? `/proc/${child.pid}/task/${child.pid}/stat` : `/proc/${child.pid}/stat`;
      resolve({ child, pid: child.pid, pids: [child.pid, ...frontPids], frontPids, ownerStatPath, port: Number(match[1]), ownerPort: Number(match[2]), stderr: () => stderr });
    });
  });
}

/** SIGTERM (the owner stops the fronts, closes and exits 0); resolves with the exit code, SIGKILL after graceMs. */
export function stopMulticore(server, graceMs = 5_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
