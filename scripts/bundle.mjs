// Bundles the kmslite server (src/cli.ts and everything it loads) into one file, dist/kmslite.mjs, which the
// `kmslite` command and the Docker image run.
//
// Why: start-up time. Loading ~70 compiled modules plus pino, yaml and commander file by file took about
// 3× longer than evaluating one bundle (docs/benchmarks.md, cold start). Code loaded on first use (the
// Express admin app, the noble libraries) stays lazy inside the bundle. `tsc` still compiles dist/src for
// the programmatic API (`import { startKmslite } from 'kmslite'`) and type-checks everything.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  entryPoints: [`${root}src/cli.ts`],
  outfile: `${root}dist/kmslite.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (pino) call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __kmsliteCreateRequire } from 'node:module'; const require = __kmsliteCreateRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});
