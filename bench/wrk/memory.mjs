/**
 * Memory: RSS of kmslite after a long run (the throughput mix, at the default log level, until `requests` have
 * been answered), then idle, and RSS with 10,000 keys (CreateKey through 16 connections) next to an empty one.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTRY, freePort, processRssBytes, sleep, startKmslite, stopServer } from '../lib/common.mjs';
import { runLoad } from '../lib/runLoad.mjs';
import { runWrk } from './runWrk.mjs';
import { prepareScenarios } from './scenarios.mjs';

/** Runs the scenarios round-robin, `windowS` each, until `requests` are answered. */
export async function longRun(requests, windowS, logLevel = 'info') {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel, entry: ENTRY });
  try {
    const rssStart = processRssBytes(server.pid);
    const { scenarios } = await prepareScenarios(port);
    let answered = 0;
    let errors = 0;
    let rssDuringMax = rssStart;
    const windows = [];
    for (let i = 0; answered < requests; i++) {
      const scenario = scenarios[i % scenarios.length];
      const result = await runWrk(server, scenario.requests, { seconds: windowS });
      answered += result.requests;
      errors += result.errors;
      rssDuringMax = Math.max(rssDuringMax, result.rssDuringMaxBytes);
      windows.push({ scenario: scenario.name, requests: result.requests, reqPerSec: Math.round(result.reqPerSec), rssAfterMiB: +(result.rssAfterBytes / 1048576).toFixed(1) });
    }
    const rssRightAfter = processRssBytes(server.pid);
    await sleep(5000);
    return { logLevel, requests: answered, errors, rssStartBytes: rssStart, rssDuringMaxBytes: rssDuringMax, rssRightAfterBytes: rssRightAfter, rssAfterIdleBytes: processRssBytes(server.pid), windows };
  } finally {
    await stopServer(server);
  }
}

/**
 * RSS of a fresh kmslite, then after `keys` CreateKey calls (and 5 s idle). With `breakdown`, the server runs
 * with the diagnostic preload bench/wrk/memoryProbe.mjs and the answer adds where the RSS is, empty and after
 * the idle time (memoryBreakdown). `entry`: another build of kmslite (an A/B comparison).
 */
export async function keysRss(keys, { breakdown = false, entry = ENTRY } = {}) {
  const port = await freePort();
  const probeOut = join(tmpdir(), `kmslite-memory-probe-${process.pid}-${port}.json`);
  const nodeOptions = breakdown ? ['--import', PROBE] : [];
  if (breakdown) process.env.BENCH_MEMORY_PROBE_OUT = probeOut;
  const server = await startKmslite({ port, logLevel: 'info', entry, nodeOptions });
  try {
    await sleep(1000);
    const empty = processRssBytes(server.pid);
    const emptyBreakdown = breakdown ? await memoryBreakdown(server.pid, probeOut) : undefined;
    const created = await runLoad({ port, serverPid: server.pid, connections: 16, maxRequests: keys, scenario: { kind: 'fixed', requests: [{ operation: 'CreateKey', body: {} }] } });
    if (created.errors) throw new Error(`CreateKey failed: ${created.errorSamples.join(' | ')}`);
    const right = processRssBytes(server.pid);
    await sleep(5000);
    const idle = processRssBytes(server.pid);
    const result = { keys, createKeyPerSec: Math.round(created.opsPerSec), rssEmptyBytes: empty, rssRightAfterBytes: right, rssAfterIdleBytes: idle };
    if (breakdown) return { ...result, breakdownEmpty: emptyBreakdown, breakdownAfterIdle: await memoryBreakdown(server.pid, probeOut) };
    return result;
  } finally {
    if (breakdown) delete process.env.BENCH_MEMORY_PROBE_OUT;
    await stopServer(server);
  }
}

const PROBE = fileURLToPath(new URL('./memoryProbe.mjs', import.meta.url));
const MIB = 1048576;
const mib = (bytes) => +(bytes / MIB).toFixed(1);

/**
 * Where a server's RSS is, in MiB: from /proc/<pid>/smaps, file-backed pages (the node binary and libraries),
 * the brk heap (glibc's main malloc arena) and anonymous mappings (with the main thread's [stack]); from the probe (SIGUSR2), V8's heap pages
 * per space (physical: committed and touched; used: live objects and garbage not yet collected) and the array
 * buffers' backing stores (malloc'd, so inside the brk heap or an anonymous arena). "anonymous outside V8's
 * heap" is the anonymous RSS minus V8's physical heap: glibc's other malloc arenas (one per thread that
 * allocates), thread stacks and V8's own malloc'd tables.
 */
export async function memoryBreakdown(pid, probeOut) {
  rmSync(probeOut, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200 && !existsSync(probeOut); i++) await sleep(10);
  const probe = JSON.parse(readFileSync(probeOut, 'utf8'));
  rmSync(probeOut, { force: true });
  let file = 0;
  let brk = 0;
  let anonymous = 0;
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      name = header[1];
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const bytes = Number(rss[1]) * 1024;
    if (name === '[heap]') brk += bytes;
    else if (name.startsWith('/')) file += bytes;
    else anonymous += bytes;
  }
  const spaces = Object.fromEntries(Object.entries(probe.spaces).map(([space, s]) => [space, { physical: mib(s.physical), used: mib(s.used) }]));
  return {
    rss: mib(processRssBytes(pid)),
    fileBacked: mib(file),
    brkHeap: mib(brk),
    anonymous: mib(anonymous),
    v8HeapPhysical: mib(probe.heap.physical),
    v8HeapUsed: mib(probe.heap.used),
    anonymousOutsideV8Heap: mib(anonymous - probe.heap.physical),
    arrayBuffers: mib(probe.memoryUsage.arrayBuffers),
    v8Malloced: mib(probe.heap.malloced),
    spaces,
  };
}
