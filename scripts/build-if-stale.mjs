// Builds (`npm run build`) only when the build is missing or older than one of its inputs: sources, seed, package
// files, tsconfig, the bundler. Used by `npm start` (scripts/start.mjs) and by npm's `prepare` script:
//
//   node scripts/build-if-stale.mjs            (package.json "prepare")
//
// `prepare` is what npm runs before `npm pack` / `npm publish` and when it installs kmslite from a git URL (it
// then installs the devDependencies first); npm does not run `prepack` for git installs. npm also runs
// `prepare` on a local `npm install` and `npm ci`: for `npm ci` (CI, the Dockerfile's build stage, the README's
// quick start) nothing is built here, so `npm ci` stays as fast as before; `npm test` and `npm start` build.
// Up-to-date builds are not repeated (a git install runs `prepare` twice: in the clone's install, then to pack).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = ['src', 'seed.yaml', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'];
// Written by the bundler after tsc has compiled dist/src: the last output of a build that got that far.
const OUTPUTS = ['dist/src/index.js', 'dist/cjs/index.cjs', 'dist/bundle/kmslite.cjs'];

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its directory's time
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(`${path}/${entry}`));
  return latest;
}

/** Why a build is needed, or undefined when dist/ is newer than every input. */
export function staleReason(root = ROOT) {
  if (!OUTPUTS.every((output) => existsSync(`${root}${output}`))) return 'no build yet';
  const builtAt = statSync(`${root}dist/bundle/kmslite.cjs`).mtimeMs;
  const changed = INPUTS.find((input) => newest(`${root}${input}`) > builtAt);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

/** Builds when stale; exits the process with npm's status if the build fails. */
export function buildIfStale(root = ROOT) {
  const reason = staleReason(root);
  if (reason === undefined) return;
  console.error(`kmslite: building (${reason})`);
  const windows = process.platform === 'win32';
  const build = spawnSync(windows ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: windows });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.npm_command === 'ci') process.exit(0);
  buildIfStale();
}
