/**
 * Soak run (issue 5): `npm run build && node bench/soak.mjs`.
 *
 * The envelope mix (GenerateDataKey, then Decrypt of its CiphertextBlob, checked) at 16 connections against the
 * bundled kmslite for SOAK_MINUTES (default 10), with the server's RSS sampled every 5 seconds. Passes when there
 * were 0 errors and memory stayed flat: the RSS at the end within 10% (or 16 MiB) of the RSS one minute in
 * (the first minute is JIT warm-up and the audit ring filling up).
 *
 * Environment: SOAK_MINUTES (10), SOAK_DATA=1 (run with --data-path on a fresh directory: audit events go to its
 * kmslite-audit.jsonl), BENCH_CONNECTIONS (16), BENCH_PIN=0, BENCH_OUT (default bench/results/<date>-soak[-data].json).
 */
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir, cpus, release } from 'node:os';
import { join } from 'node:path';
import { ENTRY, ROOT, freePort, kms, kmsliteReady, processRssBytes, startServer, stopServer } from './lib/common.mjs';
import { runLoad } from './lib/runLoad.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WITH_DATA = process.env.SOAK_DATA === '1';
const SAMPLE_MS = 5_000;
const log = (...args) => console.error('[bench:soak]', ...args);
const mib = (bytes) => +(bytes / 1024 / 1024).toFixed(1);

const port = await freePort();
const args = [ENTRY, '--port', String(port), '--log-level', 'warn', '--no-seed'];
const dataPath = WITH_DATA ? mkdtempSync(join(tmpdir(), 'kmslite-soak-')) : undefined;
if (dataPath) args.push('--data-path', dataPath);
/** Sizes of the data directory's files, in bytes (the audit log should stay near twice the ring). */
const dataFiles = () => (dataPath ? Object.fromEntries(readdirSync(dataPath).map((name) => [name, statSync(join(dataPath, name)).size])) : undefined);
const server = await startServer({ args, port, ready: kmsliteReady });
const keyId = (await kms(port, 'CreateKey', { Description: 'soak' })).KeyMetadata.KeyId;

const samples = [];
const started = Date.now();
const sampler = setInterval(() => {
  samples.push({ seconds: Math.round((Date.now() - started) / 1000), rssMiB: mib(processRssBytes(server.pid)) });
  if (samples.length % 12 === 0) log(`${samples.at(-1).seconds} s: RSS ${samples.at(-1).rssMiB} MiB`);
}, SAMPLE_MS);

log(`envelope mix at ${CONNECTIONS} connections for ${MINUTES} min${WITH_DATA ? ' with --data-path' : ''}`);
const result = await runLoad({ port, serverPid: server.pid, connections: CONNECTIONS, warmupMs: 0, measureMs: MINUTES * 60_000, scenario: { kind: 'envelope', keyId } });
clearInterval(sampler);
const rssEnd = processRssBytes(server.pid);
const dataFilesAtEnd = dataFiles();
await stopServer(server);

const oneMinuteIn = samples.find((sample) => sample.seconds >= 60) ?? samples[0];
const end = mib(rssEnd);
const flat = end <= oneMinuteIn.rssMiB * 1.1 || end - oneMinuteIn.rssMiB <= 16;
const summary = {
  date: new Date(started).toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, kernel: release(), node: process.version },
  minutes: MINUTES,
  connections: CONNECTIONS,
  dataPath: WITH_DATA,
  envelopes: result.ops,
  httpRequests: result.httpRequests,
  envelopesPerSec: Math.round(result.opsPerSec),
  errors: result.errors,
  errorSamples: result.errorSamples,
  latencyMs: { p50: +(result.latencyUs.p50 / 1000).toFixed(2), p99: +(result.latencyUs.p99 / 1000).toFixed(2), max: +(result.latencyUs.max / 1000).toFixed(1) },
  rssMiB: { first: samples[0]?.rssMiB, oneMinuteIn: oneMinuteIn.rssMiB, max: Math.max(...samples.map((sample) => sample.rssMiB)), end },
  memoryFlat: flat,
  ...(dataFilesAtEnd ? { dataFileBytesAtEnd: dataFilesAtEnd } : {}),
  passed: result.errors === 0 && flat,
  samples,
};
const out = process.env.BENCH_OUT ?? join(ROOT, 'bench', 'results', `${summary.date.slice(0, 10)}-soak${WITH_DATA ? '-data' : ''}.json`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
const { samples: _samples, ...short } = summary;
console.log(JSON.stringify(short, null, 2));
log('written', out);
process.exit(summary.passed ? 0 : 1);
