/**
 * docs/migrating.md, command by command: every shell command in it is either run here for real (the built `kmslite`
 * command as `npm start` runs it after building, the aws CLI, curl) or run by the image smoke stage of CI
 * (scripts/ci-docker-smoke.sh, whose check must exist and use the same flags). A command added to the page without a
 * way to run it here fails the first test. Ports come from the OS: the page's ports (8080, 4566, 5000) are swapped
 * for a free one, and nothing else in the commands is changed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeKeyCommand, EncryptCommand, GetKeyRotationStatusCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { freePort } from '../helpers/network.js';
import { startShellServer, stopShellServer, type ShellServer } from '../helpers/shellServer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist/bundle/kmslite.cjs');
const DOC = readFileSync(join(ROOT, 'docs/migrating.md'), 'utf8');
/** The image smoke stage: its driver and the parts it sources (scripts/docker-smoke/). */
const SMOKE = ['scripts/ci-docker-smoke.sh', ...readdirSync(join(ROOT, 'scripts/docker-smoke')).map((name) => `scripts/docker-smoke/${name}`)]
  .map((path) => readFileSync(join(ROOT, path), 'utf8'))
  .join('\n');
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const SEEDED_KEY = '0f5d7a0e-1c5b-4b8e-9d8a-3f6f2d1c0a11';

/** Every line of the page's ```sh blocks. */
function documentedCommands(): string[] {
  const commands: string[] = [];
  for (const block of DOC.matchAll(/```sh\n([\s\S]*?)```/g)) commands.push(...block[1]!.split('\n').filter((line) => line.trim() !== ''));
  return commands;
}

/** The docker commands: the smoke check that runs each, and what its `docker run` must contain. */
const DOCKER_COMMANDS: Record<string, { check: string; flags: string[] }> = {
  'docker run --rm -p 8080:8080 -e KMSLITE_SINGLE_REGION=true kmslite': { check: 'data_bind_user_single_region', flags: ['-e KMSLITE_SINGLE_REGION=true'] },
  'docker run --rm -p 8080:8080 -v kms-data:/data kmslite': { check: 'data_mount_auto', flags: ['-v "$VOLUME_A:/data" "$IMAGE"'] },
  'docker run --rm -p 8080:8080 -v "$PWD/data:/data" --user "$(id -u):$(id -g)" kmslite': {
    check: 'data_bind_user_single_region',
    flags: ['-v "$HOST_DATA:/data"', '--user "$(id -u):$(id -g)"'],
  },
};

/** The commands run here, grouped as the page groups them (a server, then what is run against it). */
const RUN_HERE = [
  'KMS_SEED_PATH=./seed.yaml npm start -- --single-region',
  'KMS_SEED_PATH=./seed.yaml KMS_DATA_PATH=./kms-data npm start',
  'PORT=4566 KMS_ACCOUNT_ID=000000000000 npm start',
  'export AWS_ENDPOINT_URL_KMS=http://localhost:4566 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1',
  'aws kms create-key --tags TagKey=_custom_id_,TagValue=00000000-0000-0000-0000-000000000001 TagKey=_custom_key_material_,TagValue=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
  'PORT=5000 KMS_ACCOUNT_ID=123456789012 npm start',
  'export AWS_ENDPOINT_URL_KMS=http://localhost:5000 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1',
  'curl -X POST http://localhost:5000/moto-api/reset',
];

/** The page's port in a command → `port`; `localhost` → 127.0.0.1; `npm start` → the command it runs after building. */
function local(command: string, port: number): string {
  return command
    .replace(/\bnpm start( --)?/, `node ${BIN}`)
    .replace(/localhost:(8080|4566|5000)/g, `127.0.0.1:${port}`)
    .replace(/\bPORT=(4566|5000)\b/, `PORT=${port}`);
}


const servers: ShellServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await stopShellServer(server);
});

/** Runs a server command of the page in `cwd` (through bash, as a user's shell would) until it logs that it listens. */
async function startServer(command: string, cwd: string, port: number): Promise<ShellServer> {
  const line = /\bPORT=/.test(command) ? local(command, port) : `PORT=${port} ${local(command, port)}`;
  const server = await startShellServer(line, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeoutMs: 15_000 });
  servers.push(server);
  return server;
}

/** Runs the page's client commands in one bash, one after the other (an `export` carries over, as in a terminal). */
function shell(commands: string[], port: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = ['set -e', ...commands.map((command) => local(command, port))].join('\n');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '' };
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function seedDirectory(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'kmslite-migrating-'));
  writeFileSync(
    join(cwd, 'seed.yaml'),
    `Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${SEEDED_KEY}\n        BackingKeys:\n          - ${'11'.repeat(32)}\nAliases:\n  - AliasName: alias/from-local-kms\n    TargetKeyId: ${SEEDED_KEY}\n`,
  );
  return cwd;
}

const client = (port: number, region: string, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) =>
  new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials, maxAttempts: 1 });

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
});

test('every command on the page is run here or by a named check of the image smoke stage, and nothing else is listed', () => {
  const documented = documentedCommands();
  expect([...documented].sort()).toEqual([...RUN_HERE, ...Object.keys(DOCKER_COMMANDS)].sort());
  for (const [command, { check, flags }] of Object.entries(DOCKER_COMMANDS)) {
    expect(SMOKE).toMatch(new RegExp(`^\\s+${check}\\b|\\b${check} `, 'm'));
    for (const flag of flags) expect({ command, inSmoke: SMOKE.includes(flag) }).toEqual({ command, inSmoke: true });
    expect(DOC).toContain(`\`${check}\``);
  }
});

describe('coming from local-kms', () => {
  test('`KMS_SEED_PATH=./seed.yaml npm start -- --single-region`: a client signing for us-east-1 uses the seeded eu-west-2 key', async () => {
    const cwd = seedDirectory();
    const port = await freePort();
    await startServer(RUN_HERE[0]!, cwd, port);
    const east = client(port, 'us-east-1');
    const described = await east.send(new DescribeKeyCommand({ KeyId: 'alias/from-local-kms' }));
    expect(described.KeyMetadata!.Arn).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${SEEDED_KEY}`);
    east.destroy();
  });

  test('`KMS_SEED_PATH=./seed.yaml KMS_DATA_PATH=./kms-data npm start`: state is kept in ./kms-data across a restart', async () => {
    const cwd = seedDirectory();
    const port = await freePort();
    const first = await startServer(RUN_HERE[1]!, cwd, port);
    let kms = client(port, 'eu-west-2');
    await kms.send(new EncryptCommand({ KeyId: 'alias/from-local-kms', Plaintext: Buffer.from('x') }));
    const created = (await kms.send(new ListKeysCommand({}))).Keys!.length;
    kms.destroy();
    await stopShellServer(first);
    expect(existsSync(join(cwd, 'kms-data', 'kmslite-state.json'))).toBe(true);
    await startServer(RUN_HERE[1]!, cwd, port);
    kms = client(port, 'eu-west-2');
    expect((await kms.send(new ListKeysCommand({}))).Keys!.length).toBe(created);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: SEEDED_KEY }))).KeyRotationEnabled).toBe(false);
    kms.destroy();
  });
});

(hasAwsCli ? describe : describe.skip)('coming from LocalStack (skipped without the aws CLI)', () => {
  test('LocalStack’s port and account, the aws CLI through AWS_ENDPOINT_URL_KMS, and _custom_id_ / _custom_key_material_', async () => {
    const port = await freePort();
    await startServer(RUN_HERE[2]!, mkdtempSync(join(tmpdir(), 'kmslite-migrating-')), port);
    const result = await shell([RUN_HERE[3]!, RUN_HERE[4]!], port);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const metadata = JSON.parse(result.stdout).KeyMetadata;
    expect(metadata.KeyId).toBe('00000000-0000-0000-0000-000000000001');
    expect(metadata.Arn).toBe('arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000001');
    // The material is the tag's: a ciphertext from another kmslite seeded with the same key decrypts here, and back.
    const kms = client(port, 'us-east-1');
    const sealed = await kms.send(new EncryptCommand({ KeyId: metadata.KeyId, Plaintext: Buffer.from('same material') }));
    const { startTestKmslite } = await import('../helpers/kmslite.js');
    const other = await startTestKmslite({ accountId: '000000000000' });
    try {
      const otherKms = new KMSClient({ endpoint: other.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      const { CreateKeyCommand, DecryptCommand } = await import('@aws-sdk/client-kms');
      await otherKms.send(
        new CreateKeyCommand({
          Tags: [
            { TagKey: '_custom_id_', TagValue: '00000000-0000-0000-0000-000000000001' },
            { TagKey: '_custom_key_material_', TagValue: Buffer.from([...Array(32).keys()]).toString('base64') },
          ],
        }),
      );
      const opened = await otherKms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe('same material');
      otherKms.destroy();
    } finally {
      await other.stop();
    }
    kms.destroy();
  });
});

describe('coming from moto', () => {
  test('moto’s port and account, any access key, and POST /moto-api/reset back to the seed', async () => {
    const port = await freePort();
    const server = await startServer(RUN_HERE[5]!, mkdtempSync(join(tmpdir(), 'kmslite-migrating-')), port);
    const kms = client(port, 'us-east-1', { accessKeyId: 'testing', secretAccessKey: 'testing' });
    const { CreateKeyCommand } = await import('@aws-sdk/client-kms');
    const created = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(created.Arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${created.KeyId}`);
    const result = await shell([RUN_HERE[6]!, RUN_HERE[7]!], port);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'reset' });
    expect((await kms.send(new ListKeysCommand({}))).Keys!.map((key) => key.KeyId)).not.toContain(created.KeyId);
    expect(server.output()).toContain('access key has no known secret');
    kms.destroy();
  });
});
