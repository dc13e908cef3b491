/**
 * kmslite as a user installs it: the `npm pack` tarball, installed into an empty project, gives a working
 * `kmslite` command and a library that loads with `import` and with `require`, with types for both.
 *
 * The tarball is KMSLITE_PACKED_TARBALL when set (.ci/run packs the fresh clone with a real `npm pack`, whose
 * prepare script builds), else `npm pack --ignore-scripts` of this checkout (`npm test` has just built dist/).
 * The empty project installs it with the registry allowed but the npm cache preferred: its dependencies are
 * kmslite's runtime dependencies only (about 15 s here the first time, a few seconds once cached).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DecryptCommand, EncryptCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { freePort } from '../helpers/network.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let work: string;
let project: string;
let tarball: string;

/** The environment of a child: this one without npm's, Jest's and kmslite's own variables. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_|KMSLITE_|KMS_|NODE_OPTIONS$|PORT$)/i.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), timeout: options.timeout ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Waits (bounded) until the child's stdout holds a line matching `pattern`; returns that line. */
function lineMatching(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no line matching ${pattern} within 30 s; stdout: ${output} stderr: ${errors}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before printing ${pattern}; stdout: ${output} stderr: ${errors}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

/** Encrypt and decrypt with the shipped seed's alias, and list aliases: signed calls through the official SDK. */
async function signedCalls(endpoint: string): Promise<void> {
  const kms = new KMSClient({ endpoint, region: 'eu-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
  const { Aliases } = await kms.send(new ListAliasesCommand({}));
  expect(Aliases!.map((alias) => alias.AliasName)).toContain('alias/kmslite-default');
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('from the tarball') }));
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
  expect(Buffer.from(Plaintext!).toString()).toBe('from the tarball');
  kms.destroy();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kmslite-pack-'));
  if (process.env.KMSLITE_PACKED_TARBALL) {
    tarball = process.env.KMSLITE_PACKED_TARBALL;
  } else {
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT });
    if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  }
  project = join(work, 'project');
  mkdirSync(project);
  // Another project's name and version: `npx kmslite --version` here must still print kmslite's.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'some-app', version: '9.9.9', private: true }));
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: project, timeout: 150_000 });
  if (installed.code !== 0) throw new Error(`npm install <tarball> failed: ${installed.stderr}`);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the built command, both library builds, their types, the console, the seed and the LICENSE; no sources or tests', async () => {
  const listed = await run('tar', ['-tzf', tarball], { cwd: work });
  expect(listed.code).toBe(0);
  const files = listed.stdout.split('\n').filter(Boolean);
  for (const file of [
    'package/package.json',
    'package/LICENSE',
    'package/README.md',
    'package/seed.yaml',
    'package/dist/bundle/kmslite.cjs',
    'package/dist/bundle/kmslite.mjs',
    'package/dist/bundle/server.cjs',
    'package/dist/bundle/server.cjs.cache',
    'package/dist/cjs/index.cjs',
    'package/dist/cjs/types/index.d.ts',
    'package/dist/cjs/types/package.json',
    'package/dist/src/index.js',
    'package/dist/src/index.d.ts',
    // The web console's files (docs/console.md), served from dist/console.
    'package/dist/console/index.html',
    'package/dist/console/app.js',
  ]) {
    expect(files).toContain(file);
  }
  expect(files.filter((file) => /^package\/(src|test|scripts|bench|model)\//.test(file))).toEqual([]);
});

test('`npx kmslite --version` prints kmslite\'s own version, not the project\'s', async () => {
  // npm_package_version=9.9.9 is what npx sets from the project's package.json: it must not be what is printed.
  const { code, stdout, stderr } = await run('npx', ['--no-install', 'kmslite', '--version'], { cwd: project, env: cleanEnv({ npm_package_version: '9.9.9' }) });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout.trim()).toBe(VERSION);
});

test('`npx kmslite` serves signed SDK calls with the shipped seed and reports its version on /_kmslite/health', async () => {
  const port = await freePort();
  // detached: its own process group, so SIGTERM reaches npx and the node it started.
  const child = spawn('npx', ['--no-install', 'kmslite', '--port', String(port), '--host', '127.0.0.1', '--log-format', 'json'], {
    cwd: project,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    const listening = JSON.parse(await lineMatching(child, /"msg":"kmslite listening"/, 'npx kmslite')) as { endpoint: string; version: string };
    expect(listening.version).toBe(VERSION);
    await signedCalls(listening.endpoint);
    const health = (await (await fetch(`${listening.endpoint}/_kmslite/health`)).json()) as { status: string; version: string };
    expect(health).toMatchObject({ status: 'ok', version: VERSION });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
  // npx ends by the signal it forwarded (kmslite's own exit 0 on SIGTERM: test/clients/cli.test.ts).
  expect([0, 'SIGTERM']).toContain(await exited(child));
}, 60_000);

/** A script in the project that starts kmslite through the library, prints its endpoint, and stops when stdin closes. */
async function libraryRoundTrip(file: string, source: string): Promise<void> {
  writeFileSync(join(project, file), source);
  const child = spawn(process.execPath, [file], { cwd: project, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const endpoint = (await lineMatching(child, /^endpoint /, file)).slice('endpoint '.length).trim();
    await signedCalls(endpoint);
    // The operator API (Express, loaded on first use from dist/bundle/vendor) and kmslite's own version.
    expect(await (await fetch(`${endpoint}/_kmslite/health`)).json()).toMatchObject({ status: 'ok', version: VERSION });
  } finally {
    child.stdin!.end();
  }
  expect(await exited(child)).toBe(0);
}

const LIBRARY_BODY = `
  const kms = await startKmslite({ port: 0, host: '127.0.0.1' });
  console.log('endpoint ' + kms.endpoint);
  process.stdin.resume();
  process.stdin.on('end', () => kms.stop());
`;

test('`import { startKmslite } from \'kmslite\'` (ES module) starts a server the SDK and the operator API answer', async () => {
  await libraryRoundTrip('esm.mjs', `import { startKmslite } from 'kmslite';\n${LIBRARY_BODY}`);
}, 60_000);

test('`require(\'kmslite\')` (CommonJS) starts a server the SDK and the operator API answer', async () => {
  await libraryRoundTrip('cjs.cjs', `const { startKmslite } = require('kmslite');\n(async () => {${LIBRARY_BODY}})();`);
}, 60_000);

// node16, not nodenext: TypeScript 5.8+ under nodenext lets a CommonJS file require ES module types, so only node16
// fails when the `require` condition points at the ES module's declarations (checked: TS1471).
test('TypeScript finds the types from an ES module and from a CommonJS module (module node16)', async () => {
  const types = join(project, 'types');
  mkdirSync(types, { recursive: true });
  // The expect-error lines fail the compile if the types are missing (everything would be `any`).
  writeFileSync(
    join(types, 'esm.mts'),
    "import { startKmslite, type RunningKmslite } from 'kmslite';\nexport const running: Promise<RunningKmslite> = startKmslite({ port: 0 });\n// @ts-expect-error port is a number\nstartKmslite({ port: 'x' });\n",
  );
  writeFileSync(
    join(types, 'cjs.cts'),
    "import kmslite = require('kmslite');\nexport const running: Promise<kmslite.RunningKmslite> = kmslite.startKmslite({ port: 0 });\n// @ts-expect-error port is a number\nkmslite.startKmslite({ port: 'x' });\n",
  );
  writeFileSync(
    join(types, 'tsconfig.json'),
    JSON.stringify({
      // No @types/node (the project has none): the check is about kmslite's own declarations, and takes 2 s instead of 15.
      compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['esm.mts', 'cjs.cts'],
    }),
  );
  const compiled = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(types, 'tsconfig.json')], { cwd: types });
  expect(compiled.stdout + compiled.stderr).toBe('');
  expect(compiled.code).toBe(0);
}, 60_000);
