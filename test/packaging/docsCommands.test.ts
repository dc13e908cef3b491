/**
 * Every shell command in the documentation (README.md, model/README.md and docs/**, ```sh blocks) is accounted for
 * in COVERAGE: run here (the README's own `npm start`, curl and aws CLI lines, and others), or run by another test or
 * CI step (the named file must contain the named text, so a renamed check breaks this test), or, for the few that
 * cannot run in CI, listed with the reason. A command added to a page without an entry here fails, and so does an
 * entry whose command no page has any more. The README's client examples (SDK for JavaScript, in-process, boto3,
 * Terraform) run here too, as written but for the port. Also: every docs page is in the index, every `docs/…md` path
 * named anywhere exists, and no page points outside the repository. This file is long (about 400 lines) because the
 * table is the documentation's contract and each run-here case needs its server.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { codeBlocks, docFiles, onlyBlock, readDoc, ROOT, shellCommands } from '../helpers/docs.js';
import { startShellServer, stopShellServer, type ShellServer } from '../helpers/shellServer.js';

const THIS_FILE = 'test/packaging/docsCommands.test.ts';
const BIN = join(ROOT, 'dist/bundle/kmslite.cjs');
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0;
// model/README.md's extraction reproduces the model byte for byte only from the botocore version it names.
const botocoreVersion = spawnSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf8' }).stdout?.trim();
const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
// The AWS provider comes from a local plugin directory (terraform init -plugin-dir): tests never use the network.
const TERRAFORM_PLUGIN_DIR = process.env.KMSLITE_TERRAFORM_PLUGIN_DIR;

/** Where a command is run: files (repository-relative) and text each must contain. */
interface Coverage {
  by?: { file: string; contains: string }[];
  /** Not run by any test or CI step: why. The command's script or file must still exist (checked). */
  notRun?: string;
}
const here = (testName: string) => ({ file: THIS_FILE, contains: testName });
const ci = (contains: string) => ({ file: '.ci/run', contains });
const smoke = (contains: string) => ({ file: 'scripts/ci-docker-smoke.sh', contains });
const BENCH = 'a benchmark: minutes of full load on every core, run by hand; its results are recorded in bench/results/';

const RUN_README = "the README's quick start, aws CLI and curl examples, against the README's npm start";
const RUN_JS = "the README's SDK for JavaScript and in-process examples";
const RUN_PERSISTENCE = "docs/persistence.md's kmslite --data-path";
const RUN_PEER = "docs/contributing/peer-suites.md's server command";
const RUN_MODEL = "model/README.md's model extraction from botocore";
const RUN_NO_SEED = "docs/docker.md's command in the container: node dist/bundle/kmslite.cjs --no-seed";

/** `<page> :: <command>` → how it is exercised. */
const COVERAGE: Record<string, Coverage> = {
  'README.md :: npm ci && npm start     # kmslite on http://localhost:8080 with the default seed.yaml': { by: [ci('npm ci --no-audit --no-fund'), here(RUN_README)] },
  'README.md :: npm ci && npm test      # the whole test suite': { by: [ci('npm ci --no-audit --no-fund'), ci('npm test 2>&1')] },
  'README.md :: export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-2 AWS_DEFAULT_REGION=eu-west-2': { by: [here(RUN_README)] },
  'README.md :: aws kms encrypt --endpoint-url http://localhost:8080 --key-id alias/kmslite-default --plaintext fileb://<(echo hello)': { by: [here(RUN_README)] },
  "README.md :: curl --aws-sigv4 \"aws:amz:eu-west-2:kms\" --user test:test -H 'Content-Type: application/x-amz-json-1.1' -H 'X-Amz-Target: TrentService.ListAliases' -d '{}' http://localhost:8080/": {
    by: [here(RUN_README), { file: 'test/protocol/readableOutput.test.ts', contains: "shellCommands(readDoc('README.md'))" }],
  },

  "docs/operator-api.md :: curl -X POST -H 'Content-Type: application/json' http://localhost:8080/_kmslite/reset": { by: [{ file: 'test/security/operatorApi.test.ts', contains: 'docs/operator-api.md' }] },
  'docs/operator-api.md :: curl http://localhost:8080/_kmslite/health': { by: [{ file: 'test/security/operatorApi.test.ts', contains: 'docs/operator-api.md' }] },
  "docs/operator-api.md :: curl 'http://localhost:8080/_kmslite/audit?keyId=1234abcd-12ab-34cd-56ef-1234567890ab&operation=Decrypt&limit=20'": {
    by: [{ file: 'test/security/operatorApi.test.ts', contains: 'docs/operator-api.md' }],
  },

  'docs/docker.md :: docker build -t kmslite .': { by: [smoke('"$DOCKER" build')] },
  'docs/docker.md :: docker run --rm -p 8080:8080 kmslite': { by: [smoke('container_start')] },
  'docs/docker.md :: export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-2 AWS_DEFAULT_REGION=eu-west-2': { by: [here(RUN_README)] },
  'docs/docker.md :: aws --endpoint-url http://localhost:8080 kms encrypt --key-id alias/kmslite-default --plaintext aGVsbG8=': { by: [here(RUN_README)] },
  'docs/docker.md :: docker run --rm -p 8080:8080 -v kms-data:/data kmslite                                  # a named volume': { by: [smoke('data_mount_auto')] },
  'docs/docker.md :: docker run --rm -p 8080:8080 -v "$PWD/data:/data" --user "$(id -u):$(id -g)" kmslite   # a host directory': {
    by: [smoke('--user "$(id -u):$(id -g)"'), smoke('data_bind_user_single_region')],
  },
  'docs/docker.md :: docker run --rm -p 8080:8080 -v "$PWD/seed.yaml:/init/seed.yaml:ro" kmslite': { by: [smoke('/init/seed.yaml:ro'), smoke('mounted_seed')] },
  'docs/docker.md :: docker run --rm -p 8080:8080 kmslite node dist/bundle/kmslite.cjs --no-seed': { by: [smoke('CMD node dist/bundle/kmslite.cjs'), here(RUN_NO_SEED)] },
  "docs/docker.md :: docker inspect -f '{{.State.Health.Status}}' <container>": { by: [smoke('.State.Health.Status')] },
  'docs/docker.md :: docker build --build-arg NODE_IMAGE=node:24-bookworm-slim -t kmslite .': { by: [smoke('--build-arg "NODE_IMAGE=')] },

  'docs/persistence.md :: kmslite --data-path ./kms-data                 # or KMS_DATA_PATH=./kms-data (local-kms\'s variable)': { by: [here(RUN_PERSISTENCE)] },
  'docs/persistence.md :: docker run -p 8080:8080 -v kms-data:/data -e KMS_DATA_PATH=/data kmslite': { by: [smoke('-e KMS_DATA_PATH=/data'), smoke('data_volume_kill_restart')] },

  'docs/testing.md :: npm ci && npm pack': { by: [ci('npm ci --no-audit --no-fund'), ci('npm pack --pack-destination')] },
  'docs/testing.md :: npm install --save-dev /path/to/kmslite-<version>.tgz': { by: [{ file: 'scripts/ci-recipes.sh', contains: 'npm install' }, { file: 'test/packaging/packedTarball.test.ts', contains: 'npm install <tarball>' }] },
  "docs/testing.md :: npm install --save-dev git+<kmslite's repository URL>": { by: [{ file: 'scripts/ci-recipes.sh', contains: 'npm install git+file://' }] },

  'docs/contributing/benchmarks.md :: npm run bench                       # builds, then node bench/wrk/run.mjs: about 18 minutes': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: BENCH_QUICK=1 npm run bench         # smoke run: 2 s windows, 100,000-request long run, 1,000 keys (about 2 minutes)': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: BENCH_ONLY=throughput npm run bench # sections: throughput, cpuratio, logline, long, keys, coldstart': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: PATH="$(bash scripts/fetch-node.sh 24 | tail -n 1):$PATH" npm test   # the whole suite on Node 24 (22 alike)': {
    by: [ci('bash scripts/fetch-node.sh "$major"'), ci('PATH="$lts_bin:$PATH" timeout 2700 npm test')],
  },
  'docs/contributing/benchmarks.md :: node bench/wrk/nodeVersions.mjs /path/to/node20 /path/to/node22 /path/to/node24   # the same load on several Node versions': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run bench:node                 # builds, then node bench/run.mjs: about 6 minutes on an idle machine': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: BENCH_QUICK=1 npm run bench:node   # 2-second smoke run (about 1 minute)': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run bench:persistence   # bench/persistence.mjs: CreateKey with --data-path from 10,000 keys, restart time': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run bench:soak          # bench/soak.mjs: 10 minutes of the envelope mix, RSS sampled every 5 s': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run build && node bench/access-control.mjs   # BENCH_ROUNDS (20), BENCH_ROUND_MS (300), BENCH_WARMUP_MS (1000); test/access/bench.test.ts runs it': {
    by: [{ file: 'test/access/bench.test.ts', contains: 'bench/access-control.mjs' }],
  },
  'docs/contributing/benchmarks.md :: npm run build && node bench/refused-memory.mjs   # REQUESTS=10000, BENCH_CONNECTIONS=4': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run build && node bench/multicore/run.mjs                    # under 3 minutes: bench/results/<date>-multicore.json': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run build && /path/to/node24 bench/multicore/run.mjs         # the same on Node 24, with front threads as well': { notRun: BENCH },
  'docs/contributing/benchmarks.md :: npm run build && BENCH_DIAGNOSE=1 node bench/multicore/run.mjs   # about 1.5 minutes: where the extra CPU goes': { notRun: BENCH },

  'docs/contributing/peer-suites.md :: npm run build': { by: [ci('npm test 2>&1'), { file: 'package.json', contains: '"test": "npm run build --silent' }] },
  "docs/contributing/peer-suites.md :: KMS_ACCOUNT_ID=123456789012 node dist/bundle/kmslite.cjs --port 4599 --no-seed --log-level warn &   # moto's default account": { by: [here(RUN_PEER)] },
  'docs/contributing/peer-suites.md :: TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT=http://localhost:4599 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 python3 -m pytest -q -p no:cacheprovider /tmp/moto-kms': {
    notRun: "moto's own test files, taken from moto's repository as the page says (not shipped in its wheel, not in this repository); run by hand, totals recorded on the page",
  },
  'docs/contributing/peer-suites.md :: node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js test/recorded/localstackAssertions': {
    by: [ci('npm test 2>&1'), { file: 'test/recorded/localstackAssertions.test.ts', contains: 'test(' }],
  },

  "model/README.md :: python3 - <<'EOF'": { by: [here(RUN_MODEL)] },
  'model/README.md :: sha256sum model/kms-2014-11-01.json': { by: [here(RUN_MODEL)] },
  'model/README.md :: node scripts/gen-model.mjs          # writes src/model/generated/*.ts': { by: [ci('node scripts/gen-model.mjs --check')] },
  'model/README.md :: node scripts/gen-model.mjs --check  # CI: regenerates in memory, exit 1 if any file differs or is extra': { by: [ci('node scripts/gen-model.mjs --check')] },
};

/** docs/migrating.md's commands are run command by command by test/clients/migrating.test.ts, which fails on one it cannot run. */
const MIGRATING_TEST = 'test/clients/migrating.test.ts';

function documented(): Map<string, string> {
  const commands = new Map<string, string>();
  for (const page of docFiles()) for (const command of shellCommands(readDoc(page))) commands.set(`${page} :: ${command}`, command);
  return commands;
}

/** A file's text; the Docker smoke driver counts with the parts it sources (scripts/docker-smoke/). */
function sourceText(file: string): string | undefined {
  if (!existsSync(join(ROOT, file))) return undefined;
  const parts = file === 'scripts/ci-docker-smoke.sh' ? readdirSync(join(ROOT, 'scripts/docker-smoke')).map((name) => `scripts/docker-smoke/${name}`) : [];
  return [file, ...parts].map((path) => readFileSync(join(ROOT, path), 'utf8')).join('\n');
}

describe('every command in the docs is run by a test or by CI', () => {
  test('each documented command has an entry, and each entry is still documented', () => {
    const commands = documented();
    const keys = [...commands.keys()].filter((key) => !key.startsWith('docs/migrating.md :: '));
    expect(keys.filter((key) => !(key in COVERAGE))).toEqual([]);
    expect(Object.keys(COVERAGE).filter((key) => !commands.has(key))).toEqual([]);
  });

  test('each entry names files that exist and contain the check that runs it', () => {
    const missing: string[] = [];
    for (const [key, coverage] of Object.entries(COVERAGE)) {
      expect({ key, has: Boolean(coverage.by?.length) !== Boolean(coverage.notRun) }).toEqual({ key, has: true });
      for (const { file, contains } of coverage.by ?? []) {
        const text = sourceText(file);
        if (!text?.includes(contains)) missing.push(`${key}: ${file} does not contain ${JSON.stringify(contains)}`);
      }
    }
    // The migrating page's commands, each one in its test's tables as written.
    const migratingTest = readFileSync(join(ROOT, MIGRATING_TEST), 'utf8');
    for (const command of shellCommands(readDoc('docs/migrating.md'))) {
      if (!migratingTest.includes(`'${command}'`)) missing.push(`docs/migrating.md :: ${command}: not in ${MIGRATING_TEST}`);
    }
    expect(missing).toEqual([]);
  });

  test('commands nothing runs still name scripts and files that exist', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const broken: string[] = [];
    for (const [key, coverage] of Object.entries(COVERAGE)) {
      if (!coverage.notRun) continue;
      const command = key.slice(key.indexOf(' :: ') + 4).replace(/\s+#.*$/, '');
      for (const [, script] of command.matchAll(/npm run (\S+)/g)) if (!scripts[script!]) broken.push(`${key}: no npm script ${script}`);
      for (const [, file] of command.matchAll(/\bnode (\S+\.mjs)/g)) if (!existsSync(join(ROOT, file!))) broken.push(`${key}: no file ${file}`);
    }
    expect(broken).toEqual([]);
  });
});

// ---- commands and examples run here ------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const started: ShellServer[] = [];

/** Runs a server command through bash in its own process group, until kmslite logs that it listens. */
async function startServer(command: string, cwd: string, env: Record<string, string>): Promise<ShellServer> {
  // Generous: `npm start` builds first when dist/ is older than a source (scripts/build-if-stale.mjs).
  const server = await startShellServer(command, { cwd, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? cwd, ...env }, timeoutMs: 120_000 });
  started.push(server);
  return server;
}

afterEach(async () => {
  for (const server of started.splice(0)) await stopShellServer(server);
});

function run(file: string, args: string[], options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(file, args, { cwd: options.cwd, env: options.env ?? { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/' }, timeout: options.timeout ?? 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** The docs' `localhost:8080` → the port a test's server listens on. */
const onPort = (text: string, port: number) => text.replaceAll('localhost:8080', `localhost:${port}`);

function client(port: number, region = 'eu-west-2'): KMSClient {
  return new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

test(RUN_README, async () => {
  const readme = readDoc('README.md');
  const commands = shellCommands(readme);
  const start = commands.find((command) => command.startsWith('npm ci && npm start'))!;
  // `npm ci` reinstalls node_modules (CI's first step runs it); the server is what follows it, with a free port.
  const port = await freePort();
  await startServer(start.replace(/^npm ci && /, '').replace(/\s+#.*$/, ''), ROOT, { PORT: String(port) });
  // The default seed's alias, in the README's Region.
  expect((await client(port).send(new ListAliasesCommand({}))).Aliases!.map((alias) => alias.AliasName)).toContain('alias/kmslite-default');

  const curl = commands.find((command) => command.startsWith('curl '))!;
  const listed = await run('bash', ['-c', onPort(curl, port)]);
  // (curl's progress meter goes to stderr, as the README's command does not pass -s: not compared.)
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout).Aliases.map((alias: { AliasName: string }) => alias.AliasName)).toContain('alias/kmslite-default');

  if (!hasAwsCli) {
    console.warn('aws CLI not installed: the README\'s and docs/docker.md\'s aws commands were not run (test/clients/awsCli.test.ts skips too)');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'kmslite-docs-home-'));
  try {
    for (const page of ['README.md', 'docs/docker.md']) {
      const lines = shellCommands(readDoc(page)).filter((command) => command.startsWith('export AWS_') || command.startsWith('aws '));
      expect(lines).toHaveLength(2);
      // In one bash, as typed in a terminal: the export carries over (a fresh HOME: no ~/.aws of this machine).
      const result = await run('bash', ['-c', ['set -e', ...lines.map((line) => onPort(line, port))].join('\n')], { env: { PATH: process.env.PATH!, HOME: home } });
      expect({ page, stderr: result.stderr, code: result.code }).toEqual({ page, stderr: '', code: 0 });
      expect(JSON.parse(result.stdout)).toMatchObject({ KeyId: expect.stringContaining(':key/bc436485-5092-42b8-92a3-0aa8b93536dc'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 180_000);

test(RUN_PERSISTENCE, async () => {
  const command = shellCommands(readDoc('docs/persistence.md')).find((line) => line.startsWith('kmslite --data-path'))!;
  const cwd = mkdtempSync(join(tmpdir(), 'kmslite-docs-persistence-'));
  try {
    // `kmslite` is the installed command: here the built bundle it points to (package.json "bin").
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.kmslite).toBe('dist/bundle/kmslite.cjs');
    const port = await freePort();
    const server = await startServer(command.replace(/^kmslite /, `node ${BIN} `).replace(/\s+#.*$/, ''), cwd, { PORT: String(port) });
    expect(readdirSync(join(cwd, 'kms-data')).length).toBeGreaterThan(0);
    await stopShellServer(server);
    expect(readdirSync(join(cwd, 'kms-data'))).toContain('kmslite-state.json');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test(RUN_PEER, async () => {
  const command = shellCommands(readDoc('docs/contributing/peer-suites.md')).find((line) => line.includes('node dist/bundle/kmslite.cjs'))!;
  const port = await freePort();
  // Run in the foreground here (no `&`), on a free port.
  const line = command.replace(/\s*&\s+#.*$/, '').replace('--port 4599', `--port ${port}`);
  expect(line).not.toContain('4599');
  await startServer(line.replace('--log-level warn', '--log-level info'), ROOT, {});
  // moto's default account, no seed: nothing in it.
  const moto = new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  expect((await moto.send(new ListKeysCommand({}))).Keys).toEqual([]);
  const { KeyMetadata } = await moto.send(new CreateKeyCommand({}));
  expect(KeyMetadata!.Arn).toContain(':123456789012:');
  moto.destroy();
});

test(RUN_NO_SEED, async () => {
  const command = shellCommands(readDoc('docs/docker.md')).find((line) => line.endsWith('node dist/bundle/kmslite.cjs --no-seed'))!;
  const inContainer = command.slice(command.indexOf('node dist/bundle/kmslite.cjs'));
  const port = await freePort();
  await startServer(inContainer, ROOT, { PORT: String(port) });
  expect((await client(port).send(new ListKeysCommand({}))).Keys).toEqual([]);
});

test(RUN_JS, async () => {
  const example = onlyBlock(readDoc('README.md'), 'js', '@aws-sdk/client-kms');
  const port = await freePort();
  await startServer(`node ${BIN}`, ROOT, { PORT: String(port) });
  // A module under this repository's node_modules, so that `import '@aws-sdk/client-kms'` resolves as in a project.
  const cache = join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'kmslite-docs-'));
  try {
    writeFileSync(join(dir, 'example.mjs'), onPort(example, port));
    const result = await run(process.execPath, [join(dir, 'example.mjs')]);
    // (stderr not compared: the SDK warns there about the Node version it will require next.)
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: 'hello\n' });

    // The in-process example: 'kmslite' is this checkout's built library (what the package's "exports" point to).
    const inProcess = onlyBlock(readDoc('README.md'), 'ts', 'startKmslite');
    expect(inProcess).toContain("from 'kmslite'");
    const library = pathToFileURL(join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports['.'].import.default)).href;
    writeFileSync(join(dir, 'inProcess.mjs'), `${inProcess.replace("from 'kmslite'", `from '${library}'`)}\nconsole.log(process.env.AWS_ENDPOINT_URL_KMS);\n`);
    const inProcessRun = await run(process.execPath, [join(dir, 'inProcess.mjs')]);
    expect({ code: inProcessRun.code, stdout: inProcessRun.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\n$/) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

(hasBoto3 ? test : test.skip)("the README's Python (boto3) example (skipped without python3 and boto3)", async () => {
  const example = onlyBlock(readDoc('README.md'), 'python', 'boto3');
  const port = await freePort();
  await startServer(`node ${BIN}`, ROOT, { PORT: String(port) });
  const result = await run('python3', ['-c', onPort(example, port)], { env: { PATH: process.env.PATH!, HOME: tmpdir() } });
  expect(result).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
});

(hasTerraform && TERRAFORM_PLUGIN_DIR ? test : test.skip)("the README's Terraform provider configuration (skipped without terraform and KMSLITE_TERRAFORM_PLUGIN_DIR)", async () => {
  const config = onlyBlock(readDoc('README.md'), 'hcl', 'provider "aws"');
  const port = await freePort();
  await startServer(`node ${BIN}`, ROOT, { PORT: String(port) });
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-docs-terraform-'));
  try {
    writeFileSync(join(dir, 'main.tf'), onPort(config, port));
    const env = { PATH: process.env.PATH!, HOME: dir, TF_IN_AUTOMATION: '1' };
    const init = await run('terraform', ['init', '-input=false', '-no-color', `-plugin-dir=${TERRAFORM_PLUGIN_DIR}`], { cwd: dir, env, timeout: 120_000 });
    expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: '' });
    const apply = await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, timeout: 120_000 });
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: '' });
    const keyId = /aws_kms_key\.app: Creation complete after \S+ \[id=([0-9a-f-]+)\]/.exec(apply.stdout)?.[1];
    expect(keyId).toBeDefined();
    expect((await client(port).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.Description).toBe('app key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);

(botocoreVersion === '1.43.11' ? test : test.skip)(`${RUN_MODEL} (skipped without botocore 1.43.11)`, async () => {
  const page = readDoc('model/README.md');
  expect(page).toContain('botocore 1.43.11');
  const block = onlyBlock(page, 'sh', "python3 - <<'EOF'");
  // Run where it writes model/kms-2014-11-01.json: a scratch directory, never this checkout's model.
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-docs-model-'));
  try {
    mkdirSync(join(dir, 'model'));
    const result = await run('bash', ['-c', `set -e\n${block}`], { cwd: dir });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const recorded = /sha256[^0-9a-f]*([0-9a-f]{64})/.exec(page)?.[1];
    expect(result.stdout.trim()).toBe(`${recorded}  model/kms-2014-11-01.json`);
    expect(readFileSync(join(dir, 'model/kms-2014-11-01.json'))).toEqual(readFileSync(join(ROOT, 'model/kms-2014-11-01.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the pages themselves ------------------------------------------------------------------------------------------

test('docs/README.md lists every page, and every docs/…md path named in the repository exists', () => {
  const index = readDoc('docs/README.md');
  const pages = docFiles().filter((page) => page.startsWith('docs/') && page !== 'docs/README.md');
  expect(pages.filter((page) => !index.includes(`- ${page}:`))).toEqual([]);

  const sources = [...docFiles(), 'Dockerfile', '.ci/run', 'package.json', 'seed.yaml'];
  for (const dir of ['src', 'test', 'scripts', 'bench', 'examples']) {
    const walk = (path: string) => {
      for (const entry of readdirSync(join(ROOT, path), { withFileTypes: true })) {
        const child = `${path}/${entry.name}`;
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== 'generated' && entry.name !== 'results') walk(child);
        } else if (/\.(ts|mjs|js|sh|md|yml|yaml)$/.test(entry.name)) sources.push(child);
      }
    };
    walk(dir);
  }
  const broken: string[] = [];
  for (const source of sources) {
    for (const [path] of readFileSync(join(ROOT, source), 'utf8').matchAll(/\bdocs\/[A-Za-z0-9_./-]*?\.md\b/g)) {
      if (!existsSync(join(ROOT, path))) broken.push(`${source}: ${path}`);
    }
  }
  expect(broken).toEqual([]);
});

test('no page points outside the repository', () => {
  const outside: string[] = [];
  for (const page of docFiles()) {
    readDoc(page)
      .split('\n')
      .forEach((line, index) => {
        if (/\.\.\/shared|(^|[\s`(])\/work\//.test(line)) outside.push(`${page}:${index + 1}: ${line.trim()}`);
      });
  }
  expect(outside).toEqual([]);
});

test('the README keeps the short path: two commands first, one example per client, the settings table', () => {
  const readme = readDoc('README.md');
  const blocks = codeBlocks(readme);
  expect(blocks[0]).toEqual({ language: 'sh', text: expect.stringMatching(/^npm ci && npm start .*\nnpm ci && npm test /) });
  for (const language of ['js', 'python', 'hcl']) expect(blocks.filter((block) => block.language === language)).toHaveLength(1);
  expect(readme).toContain('| flag | environment | default | meaning |');
  expect(readme).toContain('--aws-sigv4');
});
