/**
 * One wrk run against one server process, with the server-side readings the client cannot see: the server's
 * CPU time (utime + stime of all its threads, /proc/<pid>/stat) over the run, its RSS sampled during the run
 * and read after it, and the CPU everything else on the machine used meanwhile ("other CPU").
 *
 * wrk runs with 1 thread and 16 connections by default, pinned to CPU 1 when pinning (the server is on CPU 0).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLK_TCK, HOST, PIN, machineBusyMicros, processCpuSplitMicros, processRssBytes } from '../lib/common.mjs';
import { writeLuaScript } from './luaScript.mjs';

const scriptDir = mkdtempSync(join(tmpdir(), 'kmslite-wrk-'));
let scriptCount = 0;

/** wrk must be on PATH: on Debian/Ubuntu the bench installs it (`apt-get install -y wrk`) when it can. */
export function ensureWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // wrk --version exits 1 after printing its banner: only a missing binary (ENOENT) matters.
    if (error.code !== 'ENOENT') return;
    console.error('[bench] wrk not found: installing it with apt-get');
    const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
    const [command, ...args] = [...asRoot, 'apt-get', 'install', '-y', '--no-install-recommends', 'wrk'];
    execFileSync(command, args, { stdio: 'inherit' });
  }
}

/**
 * Runs wrk for `seconds` against `server` ({ pid, port }) with `requests` ([{ operation, body }], signed now).
 * A server of several processes lists them all in `server.pids` (their CPU and RSS are summed). `pinWrk`: wrk on
 * CPU 1 (default: when pinning). Resolves { requests, reqPerSec, latencyUs: {p50,p90,p99,mean,max}, errors, serverCpuUsPerRequest,
 * serverCpuPercent, wrkCpuPercent, otherCpuPercent, rssDuringMaxBytes, rssAfterBytes }.
 */
export async function runWrk(server, requests, { seconds, connections = 16, threads = 1, pinWrk = PIN }) {
  const script = writeLuaScript(join(scriptDir, `s${scriptCount++}.lua`), server.port, requests);
  const wrkArgs = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, `http://${HOST}:${server.port}/`];
  // A shell waits for wrk and then prints its own /proc stat: cutime + cstime are then wrk's CPU time.
  const wrkCommand = pinWrk ? ['taskset', '-c', '1', 'wrk', ...wrkArgs] : ['wrk', ...wrkArgs];
  const [command, args] = ['sh', ['-c', '"$@"; code=$?; echo "SHSTAT $(cat /proc/$$/stat)"; exit $code', 'sh', ...wrkCommand]];

  const pids = server.pids ?? [server.pid];
  const cpuStart = cpuOf(pids);
  const machineStart = machineBusyMicros();
  const started = performance.now();
  let rssMax = rssOf(pids);
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, rssOf(pids));
  }, 250);

  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);

  const elapsedUs = (performance.now() - started) * 1000;
  const cpuEnd = cpuOf(pids);
  const serverSystemUs = cpuEnd.system - cpuStart.system;
  const serverCpuUs = cpuEnd.user - cpuStart.user + serverSystemUs;
  const machineUs = machineBusyMicros() - machineStart;
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${stderr}${stdout}`);
  const wrkCpuUs = childrenCpuMicros(stdout.split('\n').find((l) => l.startsWith('SHSTAT ')));
  const result = JSON.parse(line.slice('WRKJSON '.length));
  const errorCount = Object.values(result.errors).reduce((a, b) => a + b, 0);
  return {
    requests: result.requests,
    reqPerSec: result.requests / (result.durationUs / 1e6),
    latencyUs: result.latencyUs,
    errors: errorCount,
    errorDetail: result.errors,
    serverCpuUsPerRequest: serverCpuUs / result.requests,
    // The kernel's share (syscalls, and loopback TCP: delivering a response to the client is charged to the writer).
    serverSystemUsPerRequest: serverSystemUs / result.requests,
    serverCpuPercent: (serverCpuUs / elapsedUs) * 100,
    wrkCpuPercent: (wrkCpuUs / elapsedUs) * 100,
    // Everything else the machine did meanwhile (other processes): the noise indicator.
    otherCpuPercent: ((machineUs - serverCpuUs - wrkCpuUs) / elapsedUs) * 100,
    rssDuringMaxBytes: Math.max(rssMax, rssOf(pids)),
    rssAfterBytes: rssOf(pids),
  };
}

function cpuOf(pids) {
  const total = { user: 0, system: 0 };
  for (const pid of pids) {
    const { user, system } = processCpuSplitMicros(pid);
    total.user += user;
    total.system += system;
  }
  return total;
}

function rssOf(pids) {
  return pids.reduce((sum, pid) => sum + processRssBytes(pid), 0);
}

/** cutime + cstime (fields 16 and 17) of a `/proc/<pid>/stat` line: the CPU of the children it waited for. */
function childrenCpuMicros(line) {
  if (!line) return NaN;
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1e6) / CLK_TCK;
}
