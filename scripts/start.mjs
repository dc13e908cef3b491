// `npm start`: the `kmslite` command, built first only when the build is missing or older than its inputs
// (scripts/build-if-stale.mjs). The build takes 5–10 s; from an up-to-date build `npm start` is as fast as
// `node dist/bundle/kmslite.cjs` plus npm's own start. Flags go after `--`: `npm start -- --port 9000`.
import { pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
// In this process: no second node start.
await import(pathToFileURL(new URL('../dist/bundle/kmslite.cjs', import.meta.url).pathname).href);
