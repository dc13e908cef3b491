/**
 * kmslite's own version, from kmslite's own package.json (never the current directory's: `npx kmslite
 * --version` run inside another project must not print that project's version).
 *
 * The bundles (scripts/bundle.mjs) have it written in at build time (esbuild `define`), because the Docker
 * image ships dist/bundle without package.json. The tsc build (dist/src) and the tests read the package.json
 * above this module: ../package.json from src/, ../../package.json from dist/src/.
 */
import { readFileSync } from 'node:fs';

declare const __KMSLITE_VERSION__: string | undefined;

let version: string | undefined;

export function kmsliteVersion(): string {
  version ??= typeof __KMSLITE_VERSION__ === 'string' ? __KMSLITE_VERSION__ : readOwnVersion();
  return version;
}

function readOwnVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'kmslite' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not there: try the next place
    }
  }
  return 'unknown';
}
