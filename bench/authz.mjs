/**
 * In-process micro-benchmark of the policy evaluator alone (no server): `npx tsc -p tsconfig.json` (or
 * `npm run build`), then `node bench/authz.mjs`. The whole-server cost of `--access-control enforce` is
 * measured by `npm run bench`; this isolates the evaluator.
 *
 * Scenario (research §5.9): a 4-statement key policy (root delegation, a 14-action key administrator
 * statement, a key user statement with a kms:EncryptionContext condition, a Deny with StringNotEquals
 * kms:CallerAccount) and a principal with one identity policy. Reports ns per authorize() for the user
 * (delegation: key policy and identity policy both evaluated), for the user named directly, and for root, plus
 * the compile time of the key policy.
 *
 * Environment: BENCH_AUTHZ_RUNS=300000 evaluations per round, BENCH_AUTHZ_ROUNDS=5 rounds (the median is shown).
 */
import { authorize, compilePolicy, principalFromDeclaration, rootPrincipal } from '../dist/src/authz/index.js';

const RUNS = Number(process.env.BENCH_AUTHZ_RUNS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_AUTHZ_ROUNDS ?? 5);
const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const keyPolicyText = JSON.stringify({
  Version: '2012-10-17',
  Id: 'bench',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:user/KMSAdminUser`, `arn:aws:iam::${ACCOUNT}:role/KMSAdminRole`] },
      Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
    },
    { Sid: 'Only this account', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } } },
  ],
});

const identityPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` }],
});

const alice = principalFromDeclaration({ AccessKeyId: 'AKIAALICE', Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, Policies: [{ PolicyName: 'use-keys', PolicyDocument: identityPolicy }] });
const bob = principalFromDeclaration({ AccessKeyId: 'AKIABOB', Arn: `arn:aws:iam::${ACCOUNT}:user/bob`, Policies: [{ PolicyName: 'use-keys', PolicyDocument: identityPolicy }] });
const root = rootPrincipal(ACCOUNT, 'aws', 'test');

const resource = { kind: 'key', arn: KEY_ARN, accountId: ACCOUNT, region: 'us-west-2', keyPolicy: compilePolicy(keyPolicyText, 'key'), grants: [], tags: {}, aliases: [] };
const environment = { now: new Date(), region: 'us-west-2', sourceIp: '127.0.0.1', secureTransport: true };

/** A fresh request object per call, as the server builds one per request. */
function requestFor(principal) {
  return {
    principal,
    action: 'kms:Encrypt',
    resource,
    environment,
    requestKeys: { 'kms:EncryptionContext:app': 'billing', 'kms:EncryptionContextKeys': ['app'], 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' },
    encryptionContext: { app: 'billing' },
  };
}

function measure(label, principal) {
  if (!authorize(requestFor(principal)).allowed) throw new Error(`${label}: expected an Allow`);
  const perRound = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const start = process.hrtime.bigint();
    let allowed = 0;
    for (let i = 0; i < RUNS; i++) if (authorize(requestFor(principal)).allowed) allowed++;
    const ns = Number(process.hrtime.bigint() - start) / RUNS;
    if (allowed !== RUNS) throw new Error('decision changed');
    if (r > 0) perRound.push(ns); // round 0 warms up the JIT
  }
  perRound.sort((a, b) => a - b);
  const median = perRound[Math.floor(perRound.length / 2)];
  console.log(`${label.padEnd(58)} ${median.toFixed(0).padStart(6)} ns  (rounds: ${perRound.map((n) => n.toFixed(0)).join(', ')})`);
  return median;
}

function measureCompile() {
  const n = 20_000;
  for (let i = 0; i < 2_000; i++) compilePolicy(keyPolicyText, 'key');
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) compilePolicy(keyPolicyText, 'key');
  const us = Number(process.hrtime.bigint() - start) / n / 1000;
  console.log(`${'compilePolicy (the 4-statement key policy)'.padEnd(58)} ${us.toFixed(1).padStart(6)} µs`);
}

console.log(`node ${process.version}, ${RUNS} evaluations x ${ROUNDS} rounds (median)`);
measure('authorize: user via delegation + identity policy', alice);
measure('authorize: user named in the key policy (condition)', bob);
measure('authorize: account root', root);
measureCompile();
