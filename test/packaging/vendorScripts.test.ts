/**
 * The scripts the bundled `kmslite` command requires on first use (dist/bundle/vendor/, scripts/bundle.mjs):
 * commander, the seed validator, the noble libraries and cborg are not in server.cjs, so only the built command
 * runs them as users get them (every other test runs the sources). So are the request validators with their local
 * names shortened (scripts/bundle.mjs). Each is driven here through the command and
 * its answer compared with the in-process server's (or the source's) answer to the same input.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateRandomCommand, ListKeysCommand, SignCommand, VerifyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { errorOf, kmsClient, rawRequest, startTestKmslite } from '../helpers/kmslite.js';
import type { RunningKmslite } from '../../src/index.js';
import { parseSeed } from '../../src/config/seed.js';

const BIN = fileURLToPath(new URL('../../dist/bundle/kmslite.cjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const CUSTOM_KEY_ID = '5f0c6a4e-8d1b-4c2a-9e3f-7a6b5c4d3e2f';
const CUSTOM_SEED = `Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${CUSTOM_KEY_ID}\n        BackingKeys:\n          - ${'ab'.repeat(32)}\n`;
const INVALID_SEED = 'Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          Description: no KeyId\n';

let work: string;
let bundled: { endpoint: string; stop: () => Promise<number | null> };
let source: RunningKmslite;
let bundledKms: KMSClient;
let sourceKms: KMSClient;

/** Runs `node <args>` to its end: exit code and output. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the built command with the custom seed (YAML parser and seed validator) on a port the OS picks. */
async function startBundled(seedPath: string): Promise<typeof bundled> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--host', '127.0.0.1', '--log-format', 'json', '--seed-path', seedPath], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Up to 20 s: a busy machine can be slow to start a process.
  for (let i = 0; i < 800 && !/"endpoint":"[^"]+"/.test(output) && child.exitCode === null; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  const endpoint = /"endpoint":"([^"]+)"/.exec(output)?.[1];
  if (!endpoint) {
    child.kill('SIGKILL');
    throw new Error(`the bundled kmslite did not start: ${output}`);
  }
  return {
    endpoint,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
  work = mkdtempSync(join(tmpdir(), 'kmslite-vendor-'));
  writeFileSync(join(work, 'seed.yaml'), CUSTOM_SEED);
  writeFileSync(join(work, 'invalid.yaml'), INVALID_SEED);
  bundled = await startBundled(join(work, 'seed.yaml'));
  bundledKms = kmsClient({ endpoint: bundled.endpoint } as RunningKmslite);
  source = await startTestKmslite();
  sourceKms = kmsClient(source);
}, 30_000);

afterAll(async () => {
  await source?.stop();
  if (bundled) expect(await bundled.stop()).toBe(0);
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a seed other than the shipped one (yaml, seed validator): its key is served; an invalid one is refused with the source\'s message', async () => {
  const { Keys } = await bundledKms.send(new ListKeysCommand({}));
  expect(Keys?.map((key) => key.KeyId)).toContain(CUSTOM_KEY_ID);

  const expected = await parseSeed(INVALID_SEED, join(work, 'invalid.yaml')).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
  expect(expected).not.toBe('accepted');
  const refused = await run([BIN, '--port', '0', '--host', '127.0.0.1', '--seed-path', join(work, 'invalid.yaml')]);
  expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: `kmslite: ${expected}\n` });
}, 30_000);

test('command-line errors and --help (commander) read as the tsc build\'s', async () => {
  for (const args of [['--help'], ['--port'], ['--log-level', 'loud'], ['--no-such-flag']]) {
    const [fromBundle, fromSource] = await Promise.all([run([BIN, ...args]), run([CLI, ...args])]);
    expect({ args, ...fromBundle }).toEqual({ args, ...fromSource });
  }
  const help = await run([BIN, '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('--seed-path <file>');
}, 30_000);

test('ML-DSA keys and signatures, SM2 encryption (the noble libraries)', async () => {
  const mlDsa = await bundledKms.send(new CreateKeyCommand({ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' }));
  const message = Buffer.from('kmslite');
  const { Signature } = await bundledKms.send(new SignCommand({ KeyId: mlDsa.KeyMetadata!.KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
  expect(Signature?.length).toBe(2420);
  const verified = await bundledKms.send(new VerifyCommand({ KeyId: mlDsa.KeyMetadata!.KeyId, Message: message, MessageType: 'RAW', Signature, SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
  expect(verified.SignatureValid).toBe(true);

  // SM2 is offered in the China Regions only (test/operations/sm2.test.ts).
  const china = kmsClient({ endpoint: bundled.endpoint } as RunningKmslite, 'cn-north-1');
  const sm2 = await china.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' }));
  const { CiphertextBlob } = await china.send(new EncryptCommand({ KeyId: sm2.KeyMetadata!.KeyId, Plaintext: message, EncryptionAlgorithm: 'SM2PKE' }));
  const { Plaintext } = await china.send(new DecryptCommand({ KeyId: sm2.KeyMetadata!.KeyId, CiphertextBlob, EncryptionAlgorithm: 'SM2PKE' }));
  expect(Buffer.from(Plaintext!)).toEqual(message);
}, 30_000);

test('a Recipient whose attestation document is not CBOR (cborg) gets the source\'s error', async () => {
  const input = { NumberOfBytes: 32, Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' as const, AttestationDocument: new Uint8Array([0xff, 0x00, 0x01]) } };
  const [fromBundle, fromSource] = await Promise.all([errorOf(() => bundledKms.send(new GenerateRandomCommand(input))), errorOf(() => sourceKms.send(new GenerateRandomCommand(input)))]);
  expect(fromSource.name).not.toBe('InternalException');
  expect({ name: fromBundle.name, message: fromBundle.message, status: fromBundle.$metadata?.httpStatusCode }).toEqual({
    name: fromSource.name,
    message: fromSource.message,
    status: fromSource.$metadata?.httpStatusCode,
  });
}, 30_000);

test('validation errors (the generated validators, whose local names the bundle shortens) read as the source\'s', async () => {
  const requests: [string, unknown][] = [
    ['CreateKey', { KeySpec: 'NOPE', Description: 'd'.repeat(8193), Tags: [{ TagKey: '', TagValue: 'v' }] }],
    ['ListKeys', { Limit: 0, Marker: 'x'.repeat(2000) }],
    ['GenerateDataKey', { KeyId: 'alias/kmslite-default', NumberOfBytes: 2000, GrantTokens: Array(20).fill('t') }],
    ['Encrypt', { KeyId: '', Plaintext: '' }],
    ['Decrypt', { CiphertextBlob: 5 }],
    ['ReEncrypt', {}],
  ];
  for (const [operation, body] of requests) {
    const [fromBundle, fromSource] = await Promise.all([rawRequest({ endpoint: bundled.endpoint } as RunningKmslite, operation, body), rawRequest(source, operation, body)]);
    expect(fromSource.status).toBe(400);
    expect({ operation, status: fromBundle.status, json: fromBundle.json }).toEqual({ operation, status: fromSource.status, json: fromSource.json });
  }
}, 30_000);
