// The request-rate scenarios of the node:http bench: Encrypt and Decrypt against the bare node:http ceiling, the
// other operations, request logging at info, the pipeline without sockets, and the CPU profile under load. Each
// section fills its part of the results object that bench/run.mjs reports and writes.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, freePort, kms, processRssBytes, send, signKms, startKmslite, startServer, stopServer } from '../lib/common.mjs';
import { summarizeProfile } from '../profile.mjs';
import { waitForIdle, measure, warmServer, fixed, plaintexts } from './load.mjs';
import { here, MEASURE_S, IDLE_WAIT_S, RETRIES, ROUNDS, wants, NOISY_PERCENT, log, fmt } from './settings.mjs';

/** A key and the request bodies of every scenario, made on `port`; also the answer sizes (for the ceiling). */
export async function prepare(port) {
  const keyId = (await kms(port, 'CreateKey', { Description: 'bench' })).KeyMetadata.KeyId;
  const encryptBodies = plaintexts(16).map((Plaintext) => ({ KeyId: keyId, Plaintext }));
  const decryptBodies = [];
  let encryptAnswerBytes = 0;
  for (const body of encryptBodies) {
    const answer = await send(port, signKms(port, 'Encrypt', body));
    if (answer.status !== 200) throw new Error(`Encrypt answered ${answer.status}: ${answer.body}`);
    encryptAnswerBytes = answer.bytes;
    decryptBodies.push({ CiphertextBlob: answer.json.CiphertextBlob });
  }
  const decryptAnswer = await send(port, signKms(port, 'Decrypt', decryptBodies[0]));
  return { keyId, encryptBodies, decryptBodies, encryptAnswerBytes, decryptAnswerBytes: decryptAnswer.bytes };
}

export async function throughputSection(results) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'warn' });
  try {
    const setup = await prepare(port);
    results.requestShapes = {
      encryptRequestBytes: Buffer.byteLength(JSON.stringify(setup.encryptBodies[0])),
      encryptAnswerBytes: setup.encryptAnswerBytes,
      decryptRequestBytes: Buffer.byteLength(JSON.stringify(setup.decryptBodies[0])),
      decryptAnswerBytes: setup.decryptAnswerBytes,
    };
    const { keyId } = setup;
    await warmServer(server, setup);
    const rows = [];
    // Encrypt and Decrypt against the ceiling: ROUNDS rounds of (ceiling, kmslite) pairs, each ceiling right before
    // its kmslite run so both see the same machine (the kmslite server idles meanwhile). The pair with the median
    // ratio goes in the table; every round's ratio is kept (the client-bound ceiling varies from run to run).
    const compared = [
      ['Encrypt', 'Encrypt (32-byte plaintext)', setup.encryptBodies, setup.encryptAnswerBytes],
      ['Decrypt', 'Decrypt', setup.decryptBodies, setup.decryptAnswerBytes],
    ];
    const rounds = { Encrypt: [], Decrypt: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [operation, name, bodies, answerBytes] of compared) {
        const ceiling = wants('ceiling') ? await ceilingRun(`Ceiling: bare node:http, ${operation}-sized`, operation, bodies, answerBytes) : undefined;
        const kmslite = await measure(name, server, fixed(operation, bodies));
        rounds[operation].push({ kmslite, ceiling, percent: ceiling ? (kmslite.opsPerSec / ceiling.opsPerSec) * 100 : NaN });
      }
    }
    const ceilingRows = [];
    results.rounds = {};
    for (const [operation] of compared) {
      const list = rounds[operation];
      // Rounds measured on a quiet machine (both sides), unless there are none.
      const quiet = list.filter((r) => r.kmslite.otherCpuPercent <= NOISY_PERCENT && (!r.ceiling || r.ceiling.otherCpuPercent <= NOISY_PERCENT));
      const byRatio = [...(quiet.length ? quiet : list)].sort((a, b) => (wants('ceiling') ? a.percent - b.percent : a.kmslite.opsPerSec - b.kmslite.opsPerSec));
      const chosen = byRatio[(byRatio.length - 1) >> 1];
      rows.push(chosen.kmslite);
      if (chosen.ceiling) ceilingRows.push(chosen.ceiling);
      results.rounds[operation] = list.map((r) => ({
        kmslite: r.kmslite.opsPerSec,
        ceiling: r.ceiling?.opsPerSec,
        percent: r.percent,
        kmsliteCpuUs: r.kmslite.serverCpuUsPerOp,
        ceilingCpuUs: r.ceiling?.serverCpuUsPerOp,
        quiet: quiet.includes(r),
      }));
    }
    if (ceilingRows.length) results.ceiling = ceilingRows;
    rows.push(await measure('GenerateDataKey (AES_256)', server, fixed('GenerateDataKey', [{ KeyId: keyId, KeySpec: 'AES_256' }])));
    rows.push(await measure('DescribeKey', server, fixed('DescribeKey', [{ KeyId: keyId }])));
    rows.push(await measure('Envelope (GenerateDataKey + Decrypt)', server, { kind: 'envelope', keyId }));
    // Asymmetric signing (issue 3): ECDSA P-256, and RSA-2048 PSS, which node:crypto runs in its thread pool
    // (crypto.sign with a callback), so RSA signing can use both cores.
    const signMessages = plaintexts(16);
    for (const [name, KeySpec, SigningAlgorithm] of [
      ['Sign ECDSA P-256 (ECDSA_SHA_256)', 'ECC_NIST_P256', 'ECDSA_SHA_256'],
      ['Sign RSA-2048 PSS (RSASSA_PSS_SHA_256)', 'RSA_2048', 'RSASSA_PSS_SHA_256'],
    ]) {
      const signKey = (await kms(port, 'CreateKey', { KeySpec, KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
      rows.push(await measure(name, server, fixed('Sign', signMessages.map((Message) => ({ KeyId: signKey, Message, SigningAlgorithm })))));
    }
    // Last: it grows the store by tens of thousands of keys.
    rows.push(await measure('CreateKey', server, fixed('CreateKey', [{}])));
    results.kmslite = rows;
    results.kmsliteRssAfterThroughputBytes = processRssBytes(server.pid);
    return setup;
  } finally {
    await stopServer(server);
  }
}

/** The bare node:http server answering `answerBytes`-long JSON, under the same requests. */
export async function ceilingRun(name, operation, bodies, answerBytes) {
  const port = await freePort();
  const server = await startServer({
    args: [here('./bare-server.mjs'), String(port), String(answerBytes)],
    port,
    ready: async (p) => (await send(p, { headers: { 'content-type': 'application/json' }, body: '{}' }, 1000)).status === 200,
  });
  try {
    return await measure(name, server, fixed(operation, bodies));
  } finally {
    await stopServer(server);
  }
}

export async function loggingSection(results) {
  const port = await freePort();
  const server = await startKmslite({ port, logLevel: 'info' });
  try {
    const setup = await prepare(port);
    await warmServer(server, setup);
    results.infoLogging = [
      await measure('Encrypt, --log-level info (→ /dev/null)', server, fixed('Encrypt', setup.encryptBodies)),
      await measure('Decrypt, --log-level info (→ /dev/null)', server, fixed('Decrypt', setup.decryptBodies)),
    ];
  } finally {
    await stopServer(server);
  }
}

export async function pipelineSection(results) {
  const once = () =>
    new Promise((resolve, reject) => {
      const child = fork(here('./pipeline.mjs'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (message) => (message.type === 'result' ? resolve(message.result) : reject(new Error(message.error))));
      child.send({ type: 'run', seconds: Math.min(3, MEASURE_S) });
    });
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    await waitForIdle();
    const result = await once();
    const contended = Object.values(result).some((r) => r.usPerCall > r.cpuUsPerCall * 1.1);
    results.pipeline = result;
    log(`pipeline: handle(Encrypt) ${fmt(result.handleEncrypt.usPerCall, 1)} µs/call${contended ? ' (descheduled: other processes ran)' : ''}`);
    if (!contended || IDLE_WAIT_S <= 0) break;
  }
}

export async function profileSection(results) {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-prof-'));
  const port = await freePort();
  // dist/src/cli.js rather than the bundle: the same code, with file names in the profile.
  const server = await startKmslite({ port, logLevel: 'warn', nodeOptions: ['--cpu-prof', '--cpu-prof-dir', dir], entry: CLI });
  let setup;
  try {
    setup = await prepare(port);
    await warmServer(server, setup);
    await measure('Encrypt under --cpu-prof (dist/src/cli.js)', server, fixed('Encrypt', setup.encryptBodies));
  } finally {
    await stopServer(server);
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  results.profile = summarizeProfile(join(dir, file), 20);
  log(`profile: ${join(dir, file)} (node bench/profile.mjs <file> for the full summary)`);
}
