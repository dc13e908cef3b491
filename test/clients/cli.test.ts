/**
 * The `kmslite` command as users run it: the bundled server (dist/bundle/kmslite.cjs, built by `npm test`'s
 * build step), spawned as a child process.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EncryptCommand, DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { pino } from 'pino';
import { freePort } from '../helpers/network.js';

const BIN = fileURLToPath(new URL('../../dist/bundle/kmslite.cjs', import.meta.url));

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
});

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('--help lists the flags that mirror the environment variables', async () => {
  const { code, stdout } = await run(['--help']);
  expect(code).toBe(0);
  for (const flag of ['--port', '--account-id', '--region', '--seed-path', '--no-seed', '--data-path', '--credentials', '--strict-credentials', '--single-region', '--log-level', '--allowed-hosts', '--admin-token', '--allow-key-material-export', '--allow-custom-regions', '--audit-max-bytes', '--access-control', '--log-format']) {
    expect(stdout).toContain(flag);
  }
  for (const variable of ['PORT', 'KMS_ACCOUNT_ID', 'KMS_REGION', 'KMS_SEED_PATH', 'KMS_DATA_PATH', 'KMSLITE_SINGLE_REGION']) expect(stdout).toContain(variable);
});

test('an invalid seed stops start-up with exit code 1 and a message naming the file and the entry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-cli-seed-'));
  const seed = join(dir, 'seed.yaml');
  writeFileSync(seed, 'Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: k}\n        BackingKeys: [zz]\n');
  const { code, stderr } = await run(['--port', '0'], { KMS_SEED_PATH: seed });
  expect(code).toBe(1);
  expect(stderr).toContain(`Invalid seed file ${seed}: entry Keys.Symmetric.Aes.0.BackingKeys.0 must match pattern`);
});

test('starts with the default seed on the port from PORT, logs JSON lines, serves the SDK, and exits 0 on SIGTERM', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    // Up to 20 s: a busy CI machine running every test file at once can be slow to start a process.
    for (let i = 0; i < 800 && !output.includes('kmslite listening'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(output).toContain('kmslite listening');
    // Loopback by default, and the start-up line names the address actually bound.
    expect(output).toContain(`"address":"127.0.0.1:${port}"`);
    const kms = new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('cli') }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('cli');
    kms.destroy();
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  const lines = output.trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.filter((line) => line.msg === 'request').map((line) => line.operation)).toEqual(['Encrypt', 'Decrypt']);
  // The start-up line is built without pino (src/cli.ts): the bytes pino writes for its fields, at the same time.
  const listening = output.split('\n').find((line) => line.includes('"msg":"kmslite listening"'))!;
  const { level, time, msg, ...fields } = JSON.parse(listening) as Record<string, unknown>;
  let written = '';
  pino({ level: 'info', base: undefined, timestamp: () => `,"time":"${time as string}"` }, { write: (line: string) => (written += line) }).info(fields, msg as string);
  expect(level).toBe(30);
  expect(`${listening}\n`).toBe(written);
  expect(Object.keys(fields)).toEqual(['address', 'endpoint', 'console', 'version', 'accountId', 'region', 'seed', 'strictCredentials', 'singleRegion', 'accessControl', 'operatorToken']);
  expect(lines.some((line) => line.msg === 'kmslite stopping')).toBe(true);
});

test("kmslite.mjs, the command's earlier name, runs the same server with its code cache; it keeps serving after the young generation's watch starts (200 ms after listening)", async () => {
  const alias = fileURLToPath(new URL('../../dist/bundle/kmslite.mjs', import.meta.url));
  const port = await freePort();
  const child = spawn(process.execPath, [alias, '--port', String(port), '--log-level', 'warn'], {
    env: { PATH: process.env.PATH, KMSLITE_CODE_CACHE_DEBUG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const kms = new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    let answered = false;
    for (let i = 0; i < 800 && !answered; i++) {
      answered = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('alias') })).then(
        () => true,
        () => false,
      );
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(answered).toBe(true);
    // The watch (src/server/youngGeneration.ts) loads node:perf_hooks and node:v8 when it starts, from the bundle.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const encrypted = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('alias') }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('alias');
  } finally {
    kms.destroy();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  expect(stderr).toBe('kmslite code cache: used\n');
});

test("--version prints kmslite's own version, whatever npm_package_version says (npx sets the calling project's)", async () => {
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  const { code, stdout } = await run(['--version'], { npm_package_version: '9.9.9' });
  expect(code).toBe(0);
  expect(stdout.trim()).toBe(version);
});

test('--log-format pretty: the start-up banner, then one readable line per request with the error message', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '--log-format', 'pretty', '--host', '127.0.0.1'], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (let i = 0; i < 800 && !output.includes('  try:'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const kms = new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('cli') }));
    await kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: Buffer.from('cli') })).catch(() => undefined);
    kms.destroy();
    for (let i = 0; i < 800 && !output.includes('NotFoundException'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  expect(output).toMatch(new RegExp(`^kmslite \\S+: AWS KMS on http://127\\.0\\.0\\.1:${port} \\(listening on 127\\.0\\.0\\.1:${port}\\)\\n`));
  expect(output).toContain('keys        account 111122223333  eu-west-2      2 keys, 2 aliases');
  expect(output).toContain(`aws kms --endpoint-url http://127.0.0.1:${port} --region eu-west-2 encrypt --key-id alias/kmslite-default`);
  expect(output).toMatch(/\n\d\d:\d\d:\d\d\.\d{3} {2}200 {2}Encrypt +111122223333 eu-west-2 {2}alias\/kmslite-default {2}[\d.]+ ms\n/);
  expect(output).toContain('400  Encrypt              111122223333 eu-west-2  alias/missing  NotFoundException: Alias arn:aws:kms:eu-west-2:111122223333:alias/missing is not found.');
  expect(output).toMatch(/INFO {2}kmslite stopping {2}signal=SIGTERM\n$/);
});
