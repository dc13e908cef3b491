/**
 * Runs bench/loadgen.mjs in its own process (pinned to CPU 1 when pinning) and resolves with its result.
 * `options`: { port, serverPid, connections, warmupMs?, measureMs?, maxRequests?, scenario } (see loadgen.mjs).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PIN } from './common.mjs';

const LOADGEN = fileURLToPath(new URL('../loadgen.mjs', import.meta.url));

export function runLoad(options) {
  return new Promise((resolve, reject) => {
    const pin = PIN ? { execPath: 'taskset', execArgv: ['-c', '1', process.execPath] } : { execArgv: [] };
    const child = fork(LOADGEN, [], { ...pin, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message) => {
      settled = true;
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code}`));
    });
    child.send({ type: 'run', ...options });
  });
}
