/**
 * Shared helpers of the benchmark: SigV4 signing (aws4, credentials test/test, eu-west-2), one-off signed
 * calls, free ports, /proc readings (CPU ticks, RSS), percentiles, and starting/stopping server children.
 * Plain Node ESM, no dependency beyond what kmslite already has (aws4).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve as resolvePath } from 'node:path';
import { createServer, request as httpRequest } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const aws4 = require('aws4');

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The tsc output's entry point (dist/src/cli.js): readable file names in profiles. */
export const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
/**
 * What the `kmslite` command runs: package.json `bin` (the esbuild bundle), unless BENCH_ENTRY names another
 * file; dist/src/cli.js when there is no bin.
 */
export const ENTRY = (() => {
  if (process.env.BENCH_ENTRY) return resolvePath(ROOT, process.env.BENCH_ENTRY);
  const bin = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).bin;
  const path = typeof bin === 'string' ? bin : bin?.kmslite;
  return path && existsSync(resolvePath(ROOT, path)) ? resolvePath(ROOT, path) : CLI;
})();
export const REGION = 'eu-west-2';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const HOST = '127.0.0.1';

/**
 * CPU pinning (BENCH_PIN, default on when `taskset` exists and there are 2+ CPUs): servers on CPU 0, the load
 * generator on CPU 1. Without it the scheduler now and then puts both on one CPU and the client-bound ceiling
 * swings by a third from run to run.
 */
export const PIN = (() => {
  if (process.env.BENCH_PIN === '0' || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** [command, args] running `node <args>` on `cpu` when pinning, plain node otherwise; `node`: another node binary. */
export function nodeCommand(cpu, args, node = process.execPath) {
  return PIN ? ['taskset', ['-c', String(cpu), node, ...args]] : [node, args];
}

/** Kernel clock ticks per second for /proc/<pid>/stat utime/stime (100 on Linux almost everywhere). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * A SigV4-signed KMS request: `{ headers, body }` ready for node:http (headers keep aws4's casing).
 * `body` is a string (JSON text) or an object (JSON-encoded). `extraHeaders` are signed too (an
 * `X-Amz-Date` there is the date aws4 signs with).
 */
export function signKms(port, operation, body, extraHeaders = {}) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const options = {
    host: `${HOST}:${port}`,
    method: 'POST',
    path: '/',
    service: 'kms',
    region: REGION,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}`, ...extraHeaders },
    body: payload,
  };
  aws4.sign(options, CREDENTIALS);
  return { headers: options.headers, body: Buffer.from(payload) };
}

/** One request on a fresh connection; resolves {status, body, json} or rejects on a socket error. */
export function send(port, { method = 'POST', path = '/', headers = {}, body }, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: HOST, port, method, path, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode, body: text, json, bytes: Buffer.byteLength(text) });
      });
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(body);
  });
}

/** A signed KMS call that must answer 200; returns the parsed JSON answer. */
export async function kms(port, operation, body = {}) {
  const result = await send(port, signKms(port, operation, body));
  if (result.status !== 200) throw new Error(`${operation} answered ${result.status}: ${result.body}`);
  return result.json;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a whole process (all threads), in microseconds. */
export function processCpuMicros(pid) {
  const { user, system } = processCpuSplitMicros(pid);
  return user + system;
}

/** utime and stime (kernel: syscalls, loopback TCP) of a whole process (all threads), in microseconds. */
export function processCpuSplitMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may contain spaces; fields after the closing parenthesis are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1e6) / CLK_TCK, system: (Number(fields[12]) * 1e6) / CLK_TCK };
}

/** CPU time all processes on the machine spent busy (user, nice, system, irq, softirq, steal), in microseconds. */
export function machineBusyMicros() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + (steal || 0)) * 1e6) / CLK_TCK;
}

/** Resident set size of a process, in bytes (VmRSS). */
export function processRssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

/** Percentile (nearest rank) of a sorted Float64Array / array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node <args>` as a server child and waits until `ready(port)` resolves true (polled every ms).
 * stdout goes to /dev/null (the request log in the `info` run); stderr is kept for error reports.
 */
export async function startServer({ args, port, ready, nodeOptions = [], timeoutMs = 15_000, node }) {
  // taskset execs node: the pid stays the server's.
  const [command, commandArgs] = nodeCommand(0, [...nodeOptions, ...args], node);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`server exited during start-up: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms: ${stderr}`);
    }
    try {
      if (await ready(port)) break;
    } catch {
      // not listening yet
    }
    await sleep(1);
  }
  return { child, pid: child.pid, port, stderr: () => stderr };
}

/** SIGTERM (kmslite closes and exits 0; --cpu-prof writes its profile), SIGKILL after `graceMs`. */
export function stopServer(server, graceMs = 5_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** kmslite is ready when a signed ListKeys answers 200 (does not load the Express admin app). */
export async function kmsliteReady(port) {
  const result = await send(port, signKms(port, 'ListKeys', {}), 1_000);
  return result.status === 200;
}

/** A path relative to the package root, for reports. */
export const fromRoot = (path) => relative(ROOT, path);

export function startKmslite({ port, logLevel = 'warn', seed = false, nodeOptions = [], entry = ENTRY }) {
  const args = [entry, '--port', String(port), '--log-level', logLevel];
  if (!seed) args.push('--no-seed');
  return startServer({ args, port, ready: kmsliteReady, nodeOptions });
}

/** A command's trimmed stdout (the machine description in the reports: `top`, `uptime`…), undefined when it fails. */
export function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
