// `npm start`: the `kmslite` command, built first only when the build is missing or older than one of its inputs
// (sources, seed, package files, tsconfig, the bundler). The build takes 5–10 s; a start from an up-to-date
// build is about as fast as `node dist/bundle/kmslite.mjs` (the dev loop: README, "Development").
// Flags go after `--`: `npm start -- --port 9000`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const COMMAND = `${root}dist/bundle/kmslite.mjs`;
const LIBRARY = `${root}dist/src/index.js`;
const INPUTS = ['src', 'seed.yaml', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'];

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its directory's time
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(`${path}/${entry}`));
  return latest;
}

const builtAt = existsSync(LIBRARY) ? (statSync(COMMAND, { throwIfNoEntry: false })?.mtimeMs ?? 0) : 0;
const changedAt = Math.max(...INPUTS.map((input) => newest(`${root}${input}`)));
if (changedAt > builtAt) {
  console.error(builtAt === 0 ? 'kmslite: building (first start)' : 'kmslite: sources changed since the last build: building');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(pathToFileURL(COMMAND).href);
