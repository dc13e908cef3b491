// The start-up and size scenarios of the node:http bench: cold start (spawn → first answer) of the kmslite
// command and of node's bare floor, and memory per key with the flat-latency comparison of 100 keys vs
// BENCH_KEYS keys. Each section fills its part of the results object that bench/run.mjs reports and writes.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CLI, ENTRY, fromRoot, freePort, kms, median, processRssBytes, send, signKms, sleep, startKmslite, startServer, stopServer } from '../lib/common.mjs';
import { waitForIdle, measure, drive, fixed, plaintexts } from './load.mjs';
import { here, MEASURE_S, WARMUP_S, KEYS, COLD_REPEATS, FLAT_ROUNDS, MIDDLE_PAGE_LIMIT, log, fmt, mib } from './settings.mjs';

/**
 * Spawn → first successful answer, `COLD_REPEATS` times, for what the `kmslite` command runs (ENTRY, the bundle)
 * and for the tsc output (dist/src/cli.js) when they differ; the bare node:http server gives node's own floor.
 */
export async function coldStartSection(results) {
  const entries = [...new Set([ENTRY, CLI])];
  const runs = entries.map(() => ({ listKeys: [], firstEncryptAfterListKeys: [], health: [] }));
  const bareNode = [];
  for (let i = 0; i < COLD_REPEATS; i++) {
    await waitForIdle();
    for (const [e, entry] of entries.entries()) {
      // Signed ListKeys: the protocol path (seeded, --log-level warn).
      {
        const port = await freePort();
        const listKeys = signKms(port, 'ListKeys', {});
        const encrypt = signKms(port, 'Encrypt', { KeyId: 'alias/kmslite-default', Plaintext: randomBytes(32).toString('base64') });
        const started = performance.now();
        const server = await startServer({
          args: [entry, '--port', String(port), '--log-level', 'warn'],
          port,
          ready: async (p) => (await send(p, listKeys, 1000)).status === 200,
        });
        runs[e].listKeys.push(performance.now() - started);
        const answer = await send(port, encrypt);
        if (answer.status !== 200) throw new Error(`Encrypt with alias/kmslite-default answered ${answer.status}: ${answer.body}`);
        runs[e].firstEncryptAfterListKeys.push(performance.now() - started);
        await stopServer(server);
      }
      // GET /_kmslite/health: the admin app, loaded on first use.
      {
        const port = await freePort();
        const started = performance.now();
        const server = await startServer({
          args: [entry, '--port', String(port), '--log-level', 'warn'],
          port,
          ready: async (p) => (await send(p, { method: 'GET', path: '/_kmslite/health' }, 1000)).status === 200,
        });
        runs[e].health.push(performance.now() - started);
        await stopServer(server);
      }
    }
    // The floor: node starting a bare node:http server.
    {
      const port = await freePort();
      const started = performance.now();
      const server = await startServer({
        args: [here('./bare-server.mjs'), String(port), '0'],
        port,
        ready: async (p) => (await send(p, { body: '{}' }, 1000)).status === 200,
      });
      bareNode.push(performance.now() - started);
      await stopServer(server);
    }
  }
  const summary = (values) => ({ medianMs: median(values), minMs: Math.min(...values), maxMs: Math.max(...values), runsMs: values.map((v) => Math.round(v * 10) / 10) });
  results.coldStart = {
    repeats: COLD_REPEATS,
    entries: entries.map((entry, e) => ({
      entry: fromRoot(entry),
      listKeys: summary(runs[e].listKeys),
      firstEncryptAfterListKeys: summary(runs[e].firstEncryptAfterListKeys),
      health: summary(runs[e].health),
    })),
    bareNodeHttp: summary(bareNode),
  };
  for (const c of results.coldStart.entries) {
    log(`cold start ${c.entry}: ListKeys median ${fmt(c.listKeys.medianMs, 1)} ms (min ${fmt(c.listKeys.minMs, 1)}), health median ${fmt(c.health.medianMs, 1)} ms`);
  }
  log(`cold start, bare node:http: median ${fmt(results.coldStart.bareNodeHttp.medianMs, 1)} ms`);
}


/**
 * RSS empty vs with KEYS keys; ListKeys pages and Decrypt at 100 keys vs KEYS keys. Two servers side by side
 * (one with 100 keys, one with KEYS keys), measured alternately, so drift of the machine does not pass for a
 * difference between them.
 */
export async function memorySection(results) {
  const smallServer = await startKmslite({ port: await freePort(), logLevel: 'warn' });
  const largeServer = await startKmslite({ port: await freePort(), logLevel: 'warn' });
  const options = { warmupS: WARMUP_S, measureS: Math.max(1, MEASURE_S / 2) };
  try {
    await sleep(500);
    const rssEmpty = processRssBytes(largeServer.pid);

    const populate = async (server, keyCount) => {
      const { port } = server;
      const keyId = (await kms(port, 'CreateKey', {})).KeyMetadata.KeyId;
      const decryptBodies = [];
      for (const Plaintext of plaintexts(16)) decryptBodies.push({ CiphertextBlob: (await kms(port, 'Encrypt', { KeyId: keyId, Plaintext })).CiphertextBlob });
      const created = await drive(server, fixed('CreateKey', [{}]), keyCount - 1);
      // The marker of the page that starts at the middle of the listing.
      const step = keyCount <= 100 ? Math.floor(keyCount / 2) : 100;
      let marker;
      for (let listed = 0; listed < keyCount / 2; listed += step) marker = (await kms(port, 'ListKeys', { Limit: step, ...(marker ? { Marker: marker } : {}) })).NextMarker;
      const middle = await kms(port, 'ListKeys', { Limit: MIDDLE_PAGE_LIMIT, Marker: marker });
      const firstPage = await kms(port, 'ListKeys', { Limit: 100 });
      return { server, keyCount, decryptBodies, marker, created, firstPageKeys: firstPage.Keys.length, middlePageKeys: middle.Keys.length };
    };
    const small = await populate(smallServer, 100);
    const large = await populate(largeServer, KEYS);
    await sleep(1000);
    const rssFull = processRssBytes(largeServer.pid);
    log(`memory: empty ${mib(rssEmpty)} MiB, ${KEYS} keys ${mib(rssFull)} MiB (${fmt((rssFull - rssEmpty) / KEYS / 1024, 2)} KiB/key)`);

    const scenarios = [
      ['listKeysFirstPage', 'ListKeys Limit 100, first page', () => fixed('ListKeys', [{ Limit: 100 }])],
      // Limit 50: the 100-key listing has only 50 keys after its middle, so both sides return as many keys.
      ['listKeysMiddlePage', `ListKeys Limit ${MIDDLE_PAGE_LIMIT}, middle page`, (side) => fixed('ListKeys', [{ Limit: MIDDLE_PAGE_LIMIT, Marker: side.marker }])],
      ['decrypt', 'Decrypt', (side) => fixed('Decrypt', side.decryptBodies)],
    ];
    const rows = [small, large].map((side) => ({ keys: side.keyCount, firstPageKeys: side.firstPageKeys, middlePageKeys: side.middlePageKeys }));
    // FLAT_ROUNDS rounds; in each, every scenario on both sides, alternating which side goes first. One window
    // swings by ±20% with the load generator's regime (see "Reading the ceiling ratio"), so medians are reported.
    const rounds = rows.map(() => Object.fromEntries(scenarios.map(([key]) => [key, []])));
    for (let round = 0; round < FLAT_ROUNDS; round++) {
      for (const [index, [key, label, scenario]] of scenarios.entries()) {
        const order = (index + round) % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const side = [small, large][i];
          rounds[i][key].push(await measure(`${label} @${side.keyCount} (round ${round + 1})`, side.server, scenario(side), options));
        }
      }
    }
    for (const [i, row] of rows.entries()) {
      for (const [key] of scenarios) {
        const runs = rounds[i][key];
        const med = (pick) => median(runs.map(pick));
        row[key] = {
          name: runs[0].name.replace(/ \(round \d+\)$/, ''),
          opsPerSec: med((r) => r.opsPerSec),
          latencyUs: { p50: med((r) => r.latencyUs.p50), p99: med((r) => r.latencyUs.p99) },
          serverCpuUsPerOp: med((r) => r.serverCpuUsPerOp),
          otherCpuPercent: med((r) => r.otherCpuPercent),
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          rounds: runs,
        };
      }
    }
    results.memory = {
      keys: KEYS,
      rssEmptyBytes: rssEmpty,
      rssWithKeysBytes: rssFull,
      bytesPerKey: (rssFull - rssEmpty) / KEYS,
      createKeyRatePerSec: large.created.opsPerSec,
    };
    results.flatLatency = rows;
    results.flatLatencyRounds = FLAT_ROUNDS;
    results.rssLargeAfterFlatBytes = processRssBytes(largeServer.pid);
  } finally {
    await stopServer(smallServer);
    await stopServer(largeServer);
  }
}
