/**
 * PROTOTYPE (issue 12 item 6), not the product: kmslite served by several processes (or threads) that keep one
 * owner of the state. Not used by the `kmslite` command; docs/contributing/benchmarks.md ("Every core") has the design,
 * the numbers and the decision.
 *
 *   node bench/multicore/server.mjs --port <p, 0 = any free port> [--fronts 2] [--threads] [--owner-port 0]
 *                                   [--log-level info] [--relay-only <answer bytes>]
 *
 * - The primary process is the ONE owner: a normal Kmslite (dist/src, `npm run build` first) with its stores,
 *   clock, audit trail and persistence. It runs the whole, unchanged protocol pipeline (handleProtocolRequest:
 *   every check in its order) on the requests the fronts hand it, one at a time in the order they arrive, and
 *   answers each only when the pipeline has (with a data directory: after the change is on disk). It also
 *   listens on --owner-port itself (admin API, audit trail; port 0 = any free port), as a normal kmslite.
 * - `--fronts N` node:cluster workers share the listening socket (--port) and do node's HTTP work: parsing,
 *   reading the body, writing the answer and the request log line. They hold no state and check nothing.
 * - Between them, node's IPC channel; messages are batched per event-loop turn (one write per turn and side).
 * - `--threads`: the fronts are worker threads of the owner's process instead, each with its own listening socket
 *   on the same port (SO_REUSEPORT, `listen({ reusePort })`: Node 22.12+ on Linux), and the channel is
 *   `postMessage`. Same owner, same batching.
 *
 * The owner prints `MULTICORE READY <port> <ownerPort> <front pids, comma-separated; none with --threads>` on
 * stderr once the fronts listen.
 * Not in the prototype: the size limit on bodies (the fronts forward every body, whatever its size), malformed
 * HTTP answers, the admin API through --port (only through --owner-port), hints for failed requests.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    fronts: { type: 'string', default: '2' },
    'owner-port': { type: 'string', default: '0' },
    'log-level': { type: 'string', default: 'info' },
    // Diagnosis only: the owner answers every request with this many bytes of JSON without running the
    // pipeline, so a run measures what the hand-off itself costs (bench/multicore/run.mjs, BENCH_DIAGNOSE=1).
    'relay-only': { type: 'string' },
    threads: { type: 'boolean', default: false },
  },
});
const threads = values.threads;
const port = Number(values.port);
const fronts = Number(values.fronts);
const logLevel = values['log-level'];

/** Messages go in batches: one process.send per event-loop turn (setImmediate runs after the turn's I/O). */
function batchedSender(send) {
  let queue = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    send(batch);
  };
  return (message) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push(message);
  };
}

/** The owner's side of one front: { send(batch), onMessage(listener), pid, stop() → exited }, listening → { port }. */
function startFront(listenPort) {
  if (threads) {
    const worker = new Worker(new URL(import.meta.url), { argv: [...process.argv.slice(2), '--port', String(listenPort)] });
    const listening = new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (first) => resolve({ port: first.listening }));
    });
    return {
      send: (batch) => worker.postMessage(batch),
      onMessage: (listener) => listening.then(() => worker.on('message', listener)),
      pid: process.pid,
      listening,
      stop: () => worker.terminate(),
    };
  }
  const worker = cluster.fork();
  return {
    send: (batch) => worker.send(batch),
    onMessage: (listener) => worker.on('message', listener),
    pid: worker.process.pid,
    listening: new Promise((resolve) => worker.once('listening', (address) => resolve({ port: address.port }))),
    stop: () => {
      if (worker.isDead()) return undefined;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.process.kill('SIGTERM');
      return exited;
    },
  };
}

if (threads ? isMainThread : cluster.isPrimary) await runOwner();
else await runFront();

async function runOwner() {
  const { Kmslite } = await import('../../dist/src/server/kmslite.js');
  const { handleProtocolRequest } = await import('../../dist/src/server/pipeline.js');
  const kmslite = await Kmslite.create({ port: Number(values['owner-port']), host: '127.0.0.1', seedPath: false, logLevel });
  const { port: ownerPort } = await kmslite.listen();
  // The owner's pipeline dependencies (TypeScript-private, reachable from JavaScript): the same object its own
  // HTTP server uses, so both doors lead to one store, one clock, one audit trail.
  const pipeline = kmslite.pipeline;
  const handle = values['relay-only'] === undefined ? (request) => handleProtocolRequest(request, pipeline) : relayOnly(Number(values['relay-only']));

  const started = [];
  for (let i = 0; i < fronts; i++) {
    // Threads: each front opens its own socket, so the second one needs the port the first one got.
    const front = startFront(threads && i > 0 ? (await started[0].listening).port : port);
    const replyLater = batchedSender((batch) => front.send(batch));
    // One request at a time, in the order the channel delivers them (the pipeline is synchronous unless a
    // step waits; then the answer follows when it resolves, as in the single-process server). The answers of a
    // batch that the pipeline gave at once go back together, in one message, when the batch is done.
    front.onMessage((batch) => {
      const answers = [];
      for (const [id, url, headers, bodyText, sourceIp] of batch) {
        const request = { method: 'POST', url, headers, body: Buffer.from(bodyText, 'latin1'), sourceIp };
        let result;
        try {
          result = handle(request);
        } catch (error) {
          // handleProtocolRequest turns every error into an answer: reaching here is a kmslite bug.
          answers.push([id, 500, {}, '{"__type":"KMSInternalException","message":"An internal error occurred."}', { fault: String(error) }]);
          continue;
        }
        if (result instanceof Promise) result.then((answered) => replyLater([id, answered.status, answered.headers, answered.body, answered.log]));
        else answers.push([id, result.status, result.headers, result.body, result.log]);
      }
      if (answers.length > 0) front.send(answers);
    });
    started.push(front);
  }
  const listening = await Promise.all(started.map((front) => front.listening));
  // With --port 0 every front ends up on one port (node:cluster shares it; threads reuse the first one's).
  process.stderr.write(`MULTICORE READY ${listening[0].port} ${ownerPort} ${threads ? '' : started.map((front) => front.pid).join(',')}\n`);

  const stop = async () => {
    // The fronts first (they stop taking requests), then the owner's own server, persistence and audit trail.
    await Promise.all(started.map((front) => front.stop()));
    await kmslite.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A fixed answer of `bytes` bytes, with the headers and log fields a real answer has. */
function relayOnly(bytes) {
  const base = '{"ok":true,"pad":""}';
  const body = base.replace('""', `"${'x'.repeat(Math.max(0, bytes - base.length))}"`);
  let count = 0;
  return () => {
    const requestId = `00000000-0000-4000-8000-${String(count++).padStart(12, '0')}`;
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'content-length': String(body.length) }, body, log: { requestId, operation: 'DescribeKey' } };
  };
}

async function runFront() {
  const { lazyLogger, WRITE_LINE } = await import('../../dist/src/server/lazyLogger.js');
  const { formatRequestLine, isoTimeText } = await import('../../dist/src/server/requestLine.js');
  const logger = lazyLogger(logLevel);
  const logLines = logger.isLevelEnabled('info');
  const pending = new Map();
  let nextId = 0;
  const channel = threads ? parentPort : process;
  const forward = batchedSender(threads ? (batch) => parentPort.postMessage(batch) : (batch) => process.send(batch));

  channel.on('message', (batch) => {
    for (const [id, status, headers, body, log] of batch) {
      const waiting = pending.get(id);
      pending.delete(id);
      waiting.response.writeHead(status, headers);
      waiting.response.end(body);
      if (logLines) logger[WRITE_LINE](formatRequestLine(log, status, Math.round((performance.now() - waiting.started) * 1000) / 1000, isoTimeText(Date.now())));
    }
  });

  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    const started = performance.now();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('error', () => response.destroy());
    request.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const id = nextId++;
      pending.set(id, { response, started });
      // latin1 keeps every byte as one character: the owner gets the body's exact bytes back.
      forward([id, request.url ?? '/', request.headers, body.toString('latin1'), request.socket.remoteAddress]);
    });
  });
  if (threads) {
    // Its own socket on the shared port; the owner stops the thread with worker.terminate().
    server.listen({ port, host: '127.0.0.1', reusePort: true }, () => parentPort.postMessage({ listening: server.address().port }));
    return;
  }
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
