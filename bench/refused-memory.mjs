/**
 * Memory under refused 1 MiB requests (issue 10): `npm run build && node bench/refused-memory.mjs`.
 *
 * Starts the `kmslite` command (the bundle), samples its RSS once it answers, then sends REQUESTS (10,000) refused
 * requests of about 1 MiB each, in three kinds taken in turn: a CreateKey whose 1 MiB Description fails validation
 * (AWS's message quotes the value), an Encrypt whose 1 MiB Plaintext is not base64 (the message quotes it too), and
 * a body one byte over the 1 MiB limit (refused before the pipeline). Every request is signed (test:test), so
 * each reaches the step that refuses it, and is audited. Passes when the RSS after the run is within 64 MiB of the
 * RSS at start (the audit ring is bounded by size: docs/audit.md).
 *
 * Environment: REQUESTS (10000), BENCH_CONNECTIONS (4), BENCH_LOG_LEVEL (warn; `info` is kmslite's default and writes
 * a line per request), BENCH_OUT (default bench/results/<date>-refused-memory.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { ENTRY, ROOT, freePort, processRssBytes, send, signKms, startKmslite, stopServer } from './lib/common.mjs';

const REQUESTS = Number(process.env.REQUESTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const LIMIT_MIB = 64;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const MAX_BODY = 1024 * 1024;
const log = (...args) => console.error('[bench:refused-memory]', ...args);
const mib = (bytes) => +(bytes / 1024 / 1024).toFixed(1);

/** The three refused bodies: JSON of exactly MAX_BODY bytes (two kinds) and one byte over. */
const validation = JSON.stringify({ Description: 'd'.repeat(MAX_BODY - '{"Description":""}'.length) });
const notBase64 = JSON.stringify({ KeyId: 'alias/none', Plaintext: 'p'.repeat(MAX_BODY - '{"KeyId":"alias/none","Plaintext":"!"}'.length) + '!' });
const tooLarge = JSON.stringify({ Description: 'd'.repeat(MAX_BODY + 1 - '{"Description":""}'.length) });
const KINDS = [
  { operation: 'CreateKey', body: validation, expect: 'ValidationException' },
  { operation: 'Encrypt', body: notBase64, expect: 'SerializationException' },
  { operation: 'CreateKey', body: tooLarge, expect: 'SerializationException' },
];

const port = await freePort();
const server = await startKmslite({ port, logLevel: LOG_LEVEL });
const rssStart = processRssBytes(server.pid);
log(`RSS at start ${mib(rssStart)} MiB; ${REQUESTS} refused ~1 MiB requests at ${CONNECTIONS} connections`);

const started = Date.now();
let next = 0;
let unexpected = 0;
let peak = rssStart;
async function worker() {
  while (next < REQUESTS) {
    const kind = KINDS[next++ % KINDS.length];
    const result = await send(port, signKms(port, kind.operation, kind.body), 60_000);
    if (result.status !== 400 || result.json?.__type !== kind.expect) unexpected++;
    if (next % 1000 === 0) {
      peak = Math.max(peak, processRssBytes(server.pid));
      log(`${next} sent, RSS ${mib(processRssBytes(server.pid))} MiB`);
    }
  }
}
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
const rssEnd = processRssBytes(server.pid);
peak = Math.max(peak, rssEnd);
const seconds = (Date.now() - started) / 1000;
await stopServer(server);

const summary = {
  date: new Date(started).toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, kernel: release(), node: process.version },
  entry: ENTRY.slice(ROOT.length),
  requests: REQUESTS,
  connections: CONNECTIONS,
  logLevel: LOG_LEVEL,
  kinds: KINDS.map((kind) => `${kind.operation} ${kind.body.length} bytes → ${kind.expect}`),
  unexpectedAnswers: unexpected,
  seconds: Math.round(seconds),
  rssStartMiB: mib(rssStart),
  rssEndMiB: mib(rssEnd),
  rssPeakMiB: mib(peak),
  growthMiB: mib(rssEnd - rssStart),
  limitMiB: LIMIT_MIB,
  pass: unexpected === 0 && rssEnd - rssStart <= LIMIT_MIB * 1024 * 1024,
};
const out = process.env.BENCH_OUT ?? join(ROOT, 'bench/results', `${summary.date.slice(0, 10)}-refused-memory.json`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
log(summary.pass ? 'PASS' : 'FAIL', `growth ${summary.growthMiB} MiB (limit ${LIMIT_MIB})`);
process.exit(summary.pass ? 0 : 1);
