/**
 * scripts/build-if-stale.mjs: `npm start` and npm's `prepare` build only when dist/ is missing or older than one of
 * the build's inputs, and `prepare` builds nothing under `npm ci`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a plain ES module script without types
import { staleReason } from '../../scripts/build-if-stale.mjs';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-if-stale.mjs', import.meta.url));
let root: string;

function file(path: string, ageSeconds: number): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, '');
  const time = Date.now() / 1000 - ageSeconds;
  utimesSync(full, time, time);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kmslite-stale-')) + '/';
  for (const input of ['src/a/b.ts', 'seed.yaml', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs']) file(input, 100);
  for (const directory of ['src/a', 'src', 'scripts']) utimesSync(join(root, directory), Date.now() / 1000 - 100, Date.now() / 1000 - 100);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('no build yet, or a build that stopped before the bundle: stale', () => {
  expect(staleReason(root)).toBe('no build yet');
  file('dist/src/index.js', 10);
  file('dist/cjs/index.cjs', 10);
  expect(staleReason(root)).toBe('no build yet');
});

test('a build newer than every input is up to date; a changed source, seed or bundler makes it stale', () => {
  for (const output of ['dist/src/index.js', 'dist/cjs/index.cjs', 'dist/bundle/kmslite.cjs']) file(output, 10);
  expect(staleReason(root)).toBeUndefined();
  file('src/a/b.ts', 1);
  expect(staleReason(root)).toBe('src changed since the last build');
  file('src/a/b.ts', 100);
  utimesSync(join(root, 'src/a'), Date.now() / 1000 - 100, Date.now() / 1000 - 100);
  expect(staleReason(root)).toBeUndefined();
  file('scripts/bundle.mjs', 1);
  expect(staleReason(root)).toBe('scripts/bundle.mjs changed since the last build');
});

test('as npm runs it for `npm ci`: builds nothing and exits 0 (here, with no build yet, it would try to build)', async () => {
  // A copy in the temp tree, which has no dist/: only the npm ci check keeps it from building.
  copyFileSync(SCRIPT, join(root, 'scripts/build-if-stale.mjs'));
  const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [join(root, 'scripts/build-if-stale.mjs')], { env: { PATH: process.env.PATH, npm_command: 'ci' }, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? 1 : 0, stderr }),
    ),
  );
  expect(result).toEqual({ code: 0, stderr: '' });
});
