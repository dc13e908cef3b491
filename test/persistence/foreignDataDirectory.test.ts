/**
 * Data directories local-kms users bring: local-kms's LevelDB database is refused with a message saying how to
 * migrate (through the seed file), a directory kmslite cannot write is refused with what to do (chown, --user), and
 * the Docker image's /data is used only when it is a mount point (KMSLITE_DATA_PATH_IF_MOUNTED). The files are
 * never changed. Through the `kmslite` command (its message and exit code) and in-process.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isMountPointIn } from '../../src/config/mountPoint.js';
import { levelDbFilesIn } from '../../src/server/dataDirectoryChecks.js';
import { startTestKmslite } from '../helpers/fixture.js';

const BIN = fileURLToPath(new URL('../../dist/bundle/kmslite.cjs', import.meta.url));

/** The built `kmslite` command (npm test builds it), as test/clients/cli.test.ts runs it; `uid` to run as another user. */
function run(env: Record<string, string>, uid?: number, bin = BIN): Promise<{ code: number; stderr: string }> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
  const ids = uid === undefined ? {} : { uid, gid: uid };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--port', '0', '--no-seed'], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000, ...ids }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

/** What local-kms (goleveldb) leaves in its KMS_DATA_PATH. */
function localKmsDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'local-kms-data-'));
  writeFileSync(join(directory, 'CURRENT'), 'MANIFEST-000002\n');
  writeFileSync(join(directory, 'LOCK'), '');
  writeFileSync(join(directory, 'LOG'), '=============== Jan 1, 2024 (UTC) ===============\n');
  writeFileSync(join(directory, 'MANIFEST-000002'), Buffer.from([0x56, 0xf9, 0xb8, 0xf7]));
  writeFileSync(join(directory, '000001.log'), Buffer.alloc(32));
  writeFileSync(join(directory, '000003.ldb'), Buffer.alloc(64));
  return directory;
}

const snapshot = (directory: string) => readdirSync(directory).sort().map((name) => [name, readFileSync(join(directory, name)).toString('base64')]);

describe("local-kms's LevelDB database as KMS_DATA_PATH", () => {
  test('the command stops with exit code 1 and a message saying kmslite cannot read it and how to migrate; the files are untouched', async () => {
    const directory = localKmsDirectory();
    const before = snapshot(directory);
    const { code, stderr } = await run({ KMS_DATA_PATH: directory });
    expect(code).toBe(1);
    expect(stderr).toContain(`kmslite: the data directory ${directory} holds a LevelDB database (000001.log, 000003.ldb, CURRENT, LOCK, LOG, …)`);
    expect(stderr).toContain("kmslite cannot read local-kms's database");
    expect(stderr).toContain('give kmslite the seed file local-kms was started with (KMS_SEED_PATH');
    expect(stderr).toContain('docs/migrating.md');
    expect(snapshot(directory)).toEqual(before);
  });

  test('in-process too (startKmslite rejects), whichever LevelDB files are there', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'local-kms-data-'));
    writeFileSync(join(directory, '000005.ldb'), Buffer.alloc(8));
    await expect(startTestKmslite({ dataPath: directory })).rejects.toThrow("kmslite cannot read local-kms's database");
    expect(readdirSync(directory)).toEqual(['000005.ldb']);
  });

  test('what counts as LevelDB: CURRENT with a MANIFEST, or table files; a kmslite directory or a stray CURRENT does not', () => {
    expect(levelDbFilesIn(['CURRENT', 'MANIFEST-000001', 'LOCK'])).toEqual(['CURRENT', 'LOCK', 'MANIFEST-000001']);
    expect(levelDbFilesIn(['000010.sst'])).toEqual(['000010.sst']);
    expect(levelDbFilesIn(['CURRENT'])).toEqual([]);
    expect(levelDbFilesIn(['kmslite-state.json', 'kmslite-journal.jsonl', 'kmslite.lock'])).toEqual([]);
  });
});

describe('a data directory kmslite cannot write', () => {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // Root may write anywhere: the permission check cannot fail for it.
  (asRoot ? test.skip : test)('stops start-up with the uids and what to do (chown, docker --user, a named volume)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kmslite-readonly-'));
    chmodSync(directory, 0o500);
    const { code, stderr } = await run({ KMS_DATA_PATH: directory });
    chmodSync(directory, 0o700);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot write to the data directory ${directory} (EACCES`);
    expect(stderr).toContain('docker run --user "$(id -u):$(id -g)"');
    expect(stderr).toContain('chown');
  });

  (asRoot ? test : test.skip)("run as uid 1000 (the image's user) on a directory root owns: the uids and what to do", async () => {
    // uid 1000 may not reach this checkout (e.g. under /root): it runs a copy of the bundle from a temp directory.
    const copy = mkdtempSync(join(tmpdir(), 'kmslite-bundle-'));
    chmodSync(copy, 0o755);
    cpSync(dirname(BIN), join(copy, 'bundle'), { recursive: true });
    if (spawnSync(process.execPath, ['-e', '0'], { uid: 1000, gid: 1000 }).status !== 0) {
      console.warn('uid 1000 cannot run this node binary: the EACCES check as uid 1000 is not exercised here');
      return;
    }
    const directory = mkdtempSync(join(tmpdir(), 'kmslite-rootowned-'));
    chmodSync(directory, 0o755);
    const { code, stderr } = await run({ KMS_DATA_PATH: join(directory, 'data') }, 1000, join(copy, 'bundle', basename(BIN)));
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot write to the data directory ${join(directory, 'data')} (EACCES: ${directory} belongs to uid 0, kmslite runs as uid 1000)`);
    expect(stderr).toContain('sudo chown -R 1000:1000 <host directory>');
    expect(stderr).toContain('docker run --user "$(id -u):$(id -g)"');
    expect(readdirSync(directory)).toEqual([]);
  });
});

describe("the Docker image's /data (KMSLITE_DATA_PATH_IF_MOUNTED)", () => {
  const mountinfo = [
    '612 540 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A',
    '630 612 254:1 /var/lib/docker/volumes/kms-data/_data /data rw,relatime - ext4 /dev/vda1 rw',
    '631 612 254:1 /home/me/my\\040data /srv/my\\040data rw,relatime - ext4 /dev/vda1 rw',
  ].join('\n');

  test('a mount point is recognised from /proc/self/mountinfo, escapes included; a plain directory is not', () => {
    expect(isMountPointIn(mountinfo, '/data')).toBe(true);
    expect(isMountPointIn(mountinfo, '/data/')).toBe(true);
    expect(isMountPointIn(mountinfo, '/srv/my data')).toBe(true);
    expect(isMountPointIn(mountinfo, '/init')).toBe(false);
    expect(isMountPointIn(mountinfo, '/dat')).toBe(false);
  });

  test('a directory that is not a mount point: state stays in memory, as without the setting', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kmslite-not-mounted-'));
    const running = await startTestKmslite({ env: { KMSLITE_DATA_PATH_IF_MOUNTED: directory } });
    expect(running.kmslite.config.dataPath).toBeUndefined();
    expect(running.kmslite.config.dataPathFromMount).toBe(false);
    await running.stop();
    expect(readdirSync(directory)).toEqual([]);
  });

  test('a mount point is used as the data directory; KMS_DATA_PATH wins over it', async () => {
    // /proc is a mount point everywhere Linux runs; resolveConfig only decides, nothing is opened here.
    const { resolveConfig } = await import('../../src/config/config.js');
    expect(resolveConfig({}, { KMSLITE_DATA_PATH_IF_MOUNTED: '/proc' })).toMatchObject({ dataPath: '/proc', dataPathFromMount: true });
    expect(resolveConfig({}, { KMSLITE_DATA_PATH_IF_MOUNTED: '/proc', KMS_DATA_PATH: '/elsewhere' })).toMatchObject({ dataPath: '/elsewhere', dataPathFromMount: false });
  });
});
