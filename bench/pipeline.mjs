/**
 * Pipeline-only cost, no sockets: `new Kmslite(...).handle({method, url, headers, body})` on signed Encrypt
 * request objects, one at a time, plus the cost of each pipeline stage on its own (SigV4 verification,
 * JSON parse + model validation, the Encrypt operation, output encoding) so the share of each is visible.
 *
 * A child of bench/run.mjs (fork): `{ type: 'run', seconds }` in, `{ type: 'result', result }` out.
 * Can also run alone: `node bench/pipeline.mjs` (after `npm run build`).
 */
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const aws4 = require('aws4');
const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url).href;

const REGION = 'eu-west-2';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function signedRequest(operation, body) {
  const payload = JSON.stringify(body);
  const options = {
    host: 'localhost:4566',
    method: 'POST',
    path: '/',
    service: 'kms',
    region: REGION,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}` },
    body: payload,
  };
  aws4.sign(options, CREDENTIALS);
  const headers = {};
  for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = String(value);
  return { method: 'POST', url: '/', headers, body: Buffer.from(payload) };
}

/** Runs `fn` (sync or async, awaited one at a time) for `warmupMs`, then for `measureMs`: µs per call (wall and CPU). */
async function measure(fn, warmupMs, measureMs) {
  const isAsync = fn() instanceof Promise;
  const runFor = async (ms) => {
    const end = performance.now() + ms;
    let calls = 0;
    if (isAsync) {
      while (performance.now() < end) {
        for (let i = 0; i < 100; i++) await fn();
        calls += 100;
      }
    } else {
      while (performance.now() < end) {
        for (let i = 0; i < 100; i++) fn();
        calls += 100;
      }
    }
    return calls;
  };
  await runFor(warmupMs);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const calls = await runFor(measureMs);
  const wallUs = (performance.now() - started) * 1000;
  const used = process.cpuUsage(cpu);
  return { calls, usPerCall: wallUs / calls, cpuUsPerCall: (used.user + used.system) / calls, callsPerSec: calls / (wallUs / 1e6) };
}

async function run({ seconds = 3 } = {}) {
  const { Kmslite } = await import(dist('server/kmslite.js'));
  const { verifySigV4 } = await import(dist('server/sigv4.js'));
  const { decodeAndValidate } = await import(dist('protocol/validation.js'));
  const { encodeOutput } = await import(dist('protocol/json.js'));
  const { operations } = await import(dist('operations/index.js'));

  // Kmslite.create (seed applied asynchronously) where it exists; the constructor otherwise.
  const kmslite = typeof Kmslite.create === 'function' ? await Kmslite.create({ port: 0, seedPath: false, logLevel: 'silent' }, {}) : new Kmslite({ port: 0, seedPath: false, logLevel: 'silent' }, {});
  const created = await kmslite.handle(signedRequest('CreateKey', {}));
  if (created.status !== 200) throw new Error(`CreateKey answered ${created.status}: ${created.body}`);
  const keyId = JSON.parse(created.body).KeyMetadata.KeyId;

  const body = { KeyId: keyId, Plaintext: Buffer.alloc(32, 7).toString('base64') };
  const pool = Array.from({ length: 64 }, () => signedRequest('Encrypt', body));
  const first = await kmslite.handle(pool[0]);
  if (first.status !== 200) throw new Error(`Encrypt answered ${first.status}: ${first.body}`);

  const warmupMs = Math.min(1000, seconds * 250);
  const measureMs = seconds * 1000;
  const results = {};
  let i = 0;

  results.handleEncrypt = await measure(() => kmslite.handle(pool[i++ & 63]), warmupMs, measureMs);

  // The other scenarios' operations through the whole pipeline, for comparison.
  const decryptPool = [];
  for (let n = 0; n < 16; n++) {
    const sealed = JSON.parse((await kmslite.handle(pool[n])).body);
    decryptPool.push(signedRequest('Decrypt', { CiphertextBlob: sealed.CiphertextBlob }));
  }
  const generatePool = [signedRequest('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' })];
  const describePool = [signedRequest('DescribeKey', { KeyId: keyId })];
  for (const [name, requests] of [['handleDecrypt', decryptPool], ['handleGenerateDataKey', generatePool], ['handleDescribeKey', describePool]]) {
    const check = await kmslite.handle(requests[0]);
    if (check.status !== 200) throw new Error(`${name} answered ${check.status}: ${check.body}`);
    results[name] = await measure(() => kmslite.handle(requests[i++ % requests.length]), warmupMs, measureMs);
  }

  // Stage by stage, with the same inputs the pipeline gives each stage.
  const settings = {
    credentials: kmslite.config.credentials,
    acceptUnknownAccessKeys: !kmslite.config.strictCredentials,
    defaultAccountId: kmslite.config.accountId,
  };
  results.verifySigV4 = await measure(() => verifySigV4(pool[i++ & 63], settings, Date.now()), warmupMs, measureMs);
  const text = pool[0].body;
  results.jsonParseAndValidate = await measure(() => decodeAndValidate('Encrypt', JSON.parse(text.toString('utf8'))), warmupMs, measureMs);
  const input = decodeAndValidate('Encrypt', JSON.parse(text.toString('utf8')));
  const store = kmslite.stores.get(kmslite.config.accountId, REGION);
  const context = () => ({
    requestId: 'bench',
    operation: 'Encrypt',
    accountId: kmslite.config.accountId,
    region: REGION,
    accessKeyId: 'test',
    now: new Date(),
    store,
    stores: kmslite.stores,
  });
  const operationOutput = await operations.Encrypt(input, context());
  const operationIsAsync = operations.Encrypt(input, context()) instanceof Promise;
  results.encryptOperation = await measure(operationIsAsync ? () => operations.Encrypt(input, context()) : () => { operations.Encrypt(input, context()); }, warmupMs, measureMs);
  results.encodeOutput = await measure(() => { encodeOutput(operationOutput); }, warmupMs, measureMs);
  return results;
}

if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'run') return;
    run(message).then(
      (result) => process.send({ type: 'result', result }, () => process.exit(0)),
      (error) => process.send({ type: 'error', error: String(error?.stack ?? error) }, () => process.exit(1)),
    );
  });
} else {
  const result = await run({ seconds: Number(process.env.BENCH_SECONDS ?? 3) });
  for (const [name, r] of Object.entries(result)) console.log(`${name.padEnd(22)} ${r.usPerCall.toFixed(2).padStart(8)} µs/call  ${r.cpuUsPerCall.toFixed(2).padStart(8)} µs CPU/call  (${Math.round(r.callsPerSec)} /s)`);
}
