/**
 * The CPU cost of `--access-control enforce` on Encrypt and Decrypt, against `off`, in one process: two kmslite
 * instances (no sockets, `Kmslite.handle`), measured in alternating rounds so that whatever else the machine does
 * falls on both arms alike. The enforce instance has a 4-statement key policy (account delegation, a 14-action
 * administrator statement, a user statement with an encryption-context condition, a Deny on other accounts) and
 * the caller is a declared IAM user with one identity policy: the benchmark (docs/contributing/benchmarks.md,
 * "Access control").
 *
 *   npm run build && node bench/access-control.mjs        (BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_WARMUP_MS to change the run)
 */
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const aws4 = require('aws4');
const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url).href;

const REGION = 'eu-west-2';
const ACCOUNT = '111122223333';
const ALICE = { accessKeyId: 'AKIABENCHALICE0001', secretAccessKey: 'alice-secret' };
const ROOT = { accessKeyId: 'test', secretAccessKey: 'test' };

const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` },
      Action: [
        'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
        'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
      ],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'bench' } },
    },
    { Sid: 'Deny other accounts', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } } },
  ],
});

const ALICE_PRINCIPAL = {
  AccessKeyId: ALICE.accessKeyId,
  SecretAccessKey: ALICE.secretAccessKey,
  Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  Policies: [
    {
      PolicyName: 'use-keys',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` }] }),
    },
  ],
};

function signedRequest(operation, body, credentials) {
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
  aws4.sign(options, credentials);
  const headers = {};
  for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = String(value);
  return { method: 'POST', url: '/', headers, body: Buffer.from(payload) };
}

async function handled(kmslite, request) {
  const response = await kmslite.handle(request);
  if (response.status !== 200) throw new Error(`answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body);
}

/** One arm: a kmslite, a key, and pools of signed Encrypt and Decrypt requests by the arm's caller. */
async function arm(Kmslite, accessControl) {
  const enforce = accessControl === 'enforce';
  const kmslite = await Kmslite.create({ port: 0, seedPath: false, logLevel: 'silent', auditMaxEvents: 0, accessControl, principals: enforce ? [ALICE_PRINCIPAL] : [] }, {});
  const caller = enforce ? ALICE : ROOT;
  const created = await handled(kmslite, signedRequest('CreateKey', enforce ? { Policy: KEY_POLICY } : {}, ROOT));
  const keyId = created.KeyMetadata.KeyId;
  const context = { purpose: 'bench' };
  const encrypts = Array.from({ length: 64 }, () => signedRequest('Encrypt', { KeyId: keyId, Plaintext: Buffer.alloc(32, 7).toString('base64'), EncryptionContext: context }, caller));
  const decrypts = [];
  for (let n = 0; n < 16; n++) {
    const { CiphertextBlob } = await handled(kmslite, encrypts[n]);
    decrypts.push(signedRequest('Decrypt', { CiphertextBlob, EncryptionContext: context }, caller));
  }
  await handled(kmslite, decrypts[0]);
  return { kmslite, pools: { Encrypt: encrypts, Decrypt: decrypts } };
}

/** CPU µs per call of `requests` through `kmslite` for `ms` milliseconds, one call at a time. */
async function round(kmslite, requests, ms) {
  const cpu = process.cpuUsage();
  const end = performance.now() + ms;
  let calls = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await kmslite.handle(requests[(calls + i) % requests.length]);
    calls += 50;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / calls;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const { Kmslite } = await import(dist('server/kmslite.js'));
const arms = { off: await arm(Kmslite, 'off'), enforce: await arm(Kmslite, 'enforce') };
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 300);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const results = {};
for (const operation of ['Encrypt', 'Decrypt']) {
  // Warm-up of both arms, then alternating rounds (off, enforce, enforce, off, ...) so neither arm always goes first.
  for (const name of ['off', 'enforce']) await round(arms[name].kmslite, arms[name].pools[operation], warmupMs);
  const samples = { off: [], enforce: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['off', 'enforce'] : ['enforce', 'off'];
    for (const name of order) samples[name].push(await round(arms[name].kmslite, arms[name].pools[operation], roundMs));
  }
  const differences = samples.off.map((off, index) => samples.enforce[index] - off);
  results[operation] = { offCpuUs: median(samples.off), enforceCpuUs: median(samples.enforce), medianDifferenceUs: median(differences), rounds };
}
for (const [operation, result] of Object.entries(results)) {
  console.log(
    `${operation.padEnd(8)} off ${result.offCpuUs.toFixed(1).padStart(6)} µs CPU/request   enforce ${result.enforceCpuUs.toFixed(1).padStart(6)}   difference (median of ${result.rounds} paired rounds) ${result.medianDifferenceUs.toFixed(2)} µs`,
  );
}
await arms.off.kmslite.close();
await arms.enforce.kmslite.close();
