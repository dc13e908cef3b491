// Bundles the kmslite server (src/cli.ts and everything it loads) into dist/bundle/: kmslite.mjs, which the
// `kmslite` command and the Docker image run, plus chunks for what is loaded on first use (the Express admin
// app, the noble libraries), so start-up reads and compiles only the code it runs.
//
// Why: start-up time. Loading ~70 compiled modules plus pino, yaml and commander file by file took about
// 3× longer than one bundle (docs/benchmarks.md, cold start). `tsc` still compiles dist/src for the
// programmatic API (`import { startKmslite } from 'kmslite'`) and type-checks everything.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

rmSync(`${root}dist/bundle`, { recursive: true, force: true });

await build({
  entryPoints: [`${root}src/cli.ts`],
  outdir: `${root}dist/bundle`,
  entryNames: 'kmslite',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  // Smaller source compiles faster at start-up; names are kept so stack traces in logs stay readable.
  minify: true,
  keepNames: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (pino) call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __kmsliteCreateRequire } from 'node:module'; const require = __kmsliteCreateRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});
