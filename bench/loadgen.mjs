/**
 * The load generator: a child process (child_process.fork from bench/run.mjs), so the server under test
 * has its own process and its CPU time can be read from /proc/<pid>/stat without the client's.
 *
 * One message in, one message out:
 *   → { type: 'run', port, serverPid, connections, warmupMs, measureMs, maxRequests?, scenario }
 *   ← { type: 'result', result }
 *
 * Scenarios:
 *   { kind: 'fixed', requests: [{ operation, body }] }  signed once per second (a pool, round-robin);
 *   { kind: 'envelope', keyId }                         GenerateDataKey, then Decrypt of its CiphertextBlob
 *                                                        (signed on the spot), as the AWS Encryption SDK does.
 *
 * `connections` loops each keep one request in flight on a keep-alive node:http Agent with as many sockets.
 * A request counts when it completes inside the measurement window; the server's utime+stime is read at the
 * window's edges. Any socket error or non-200 answer is an error.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HOST, machineBusyMicros, processCpuMicros, percentile, signKms } from './lib/common.mjs';

process.on('message', (message) => {
  if (message?.type !== 'run') return;
  run(message).then(
    (result) => process.send({ type: 'result', result }, () => process.exit(0)),
    (error) => process.send({ type: 'error', error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
});

async function run({ port, serverPid, connections, warmupMs = 0, measureMs = 0, maxRequests, scenario }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

  // Pool of signed requests, re-signed every second (signatures stay valid 5 minutes; this keeps any run length valid).
  let pool = [];
  const signPool = () => {
    if (scenario.kind === 'fixed') pool = scenario.requests.map((r) => signKms(port, r.operation, r.body));
    else if (scenario.kind === 'envelope') pool = [signKms(port, 'GenerateDataKey', { KeyId: scenario.keyId, KeySpec: 'AES_256' })];
  };
  signPool();
  const resign = setInterval(signPool, 1000);

  const send = (signed) =>
    new Promise((resolve) => {
      const request = httpRequest({ agent, host: HOST, port, method: 'POST', path: '/', headers: signed.headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, chunks }));
        response.on('error', (error) => resolve({ status: 0, error }));
      });
      request.on('error', (error) => resolve({ status: 0, error }));
      request.end(signed.body);
    });

  const text = (chunks) => Buffer.concat(chunks).toString('utf8');

  // One operation: resolves { ok, requests, error? }.
  let cursor = 0;
  const operation =
    scenario.kind === 'fixed'
      ? async () => {
          const result = await send(pool[cursor++ % pool.length]);
          if (result.status === 200) return { ok: true, requests: 1 };
          return { ok: false, requests: 1, error: result.error ? String(result.error) : `${result.status} ${text(result.chunks).slice(0, 300)}` };
        }
      : async () => {
          const generated = await send(pool[0]);
          if (generated.status !== 200) {
            return { ok: false, requests: 1, error: generated.error ? String(generated.error) : `GenerateDataKey ${generated.status} ${text(generated.chunks).slice(0, 300)}` };
          }
          const { CiphertextBlob, Plaintext } = JSON.parse(text(generated.chunks));
          const decrypted = await send(signKms(port, 'Decrypt', { CiphertextBlob }));
          if (decrypted.status !== 200) {
            return { ok: false, requests: 2, error: decrypted.error ? String(decrypted.error) : `Decrypt ${decrypted.status} ${text(decrypted.chunks).slice(0, 300)}` };
          }
          if (JSON.parse(text(decrypted.chunks)).Plaintext !== Plaintext) return { ok: false, requests: 2, error: 'Decrypt returned another plaintext' };
          return { ok: true, requests: 2 };
        };

  const latenciesUs = [];
  let ops = 0;
  let httpRequests = 0;
  let errors = 0;
  const errorSamples = [];
  let issued = 0;
  let measuring = maxRequests !== undefined;
  let stopped = false;

  const started = performance.now();
  let windowStart = started;
  let windowEnd;
  let serverCpuStart = serverPid ? processCpuMicros(serverPid) : 0;
  let selfCpuStart = process.cpuUsage();
  let machineStart = machineBusyMicros();
  let serverCpuEnd;
  let selfCpuEnd;
  let machineEnd;

  const openWindow = () => {
    windowStart = performance.now();
    serverCpuStart = serverPid ? processCpuMicros(serverPid) : 0;
    selfCpuStart = process.cpuUsage();
    machineStart = machineBusyMicros();
    measuring = true;
  };
  const closeWindow = () => {
    windowEnd = performance.now();
    serverCpuEnd = serverPid ? processCpuMicros(serverPid) : 0;
    selfCpuEnd = process.cpuUsage(selfCpuStart);
    machineEnd = machineBusyMicros();
    measuring = false;
    stopped = true;
  };

  const timers = [];
  if (maxRequests === undefined) {
    timers.push(setTimeout(openWindow, warmupMs));
    timers.push(setTimeout(closeWindow, warmupMs + measureMs));
  }

  const loop = async () => {
    while (!stopped) {
      if (maxRequests !== undefined && issued >= maxRequests) return;
      issued++;
      const t0 = performance.now();
      const outcome = await operation();
      const t1 = performance.now();
      // Count only what completes inside the window (started before it is fine: the server did that work in it).
      if (!measuring) continue;
      ops++;
      httpRequests += outcome.requests;
      latenciesUs.push((t1 - t0) * 1000);
      if (!outcome.ok) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(outcome.error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  if (maxRequests !== undefined) closeWindow();
  for (const timer of timers) clearTimeout(timer);
  clearInterval(resign);
  agent.destroy();

  const durationMs = windowEnd - windowStart;
  const sorted = Float64Array.from(latenciesUs).sort();
  const serverCpuUs = serverCpuEnd - serverCpuStart;
  const selfCpuUs = selfCpuEnd.user + selfCpuEnd.system;
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return {
    ops,
    httpRequests,
    errors,
    errorSamples,
    durationMs,
    opsPerSec: (ops / durationMs) * 1000,
    httpRequestsPerSec: (httpRequests / durationMs) * 1000,
    latencyUs: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), mean, max: sorted[sorted.length - 1] ?? NaN },
    serverCpuUs,
    serverCpuUsPerOp: ops ? serverCpuUs / ops : NaN,
    serverCpuUsPerHttpRequest: httpRequests ? serverCpuUs / httpRequests : NaN,
    serverCpuPercent: (serverCpuUs / (durationMs * 1000)) * 100,
    loadgenCpuPercent: (selfCpuUs / (durationMs * 1000)) * 100,
    // Everything else the machine did meanwhile (other processes): the noise indicator.
    otherCpuPercent: ((machineEnd - machineStart - serverCpuUs - selfCpuUs) / (durationMs * 1000)) * 100,
    loadgenCpuUsPerHttpRequest: httpRequests ? selfCpuUs / httpRequests : NaN,
  };
}
