// Bundles the kmslite server (src/cli.ts and everything it loads) into dist/bundle/:
//
// - server.cjs: the whole server as one CommonJS script, stored inside the CommonJS function wrapper the loader
//   calls. Code loaded on first use sits in lazily evaluated module wrappers inside it, so start-up runs only
//   the code it needs; large libraries used only on first use are scripts of their own in vendor/ (below).
// - server.cjs.cache: a V8 code cache of that script, made here by a training run (start, a few requests,
//   exit), so start-up neither parses nor compiles the functions it runs.
// - kmslite.cjs: the `kmslite` command (package.json bin, the Docker CMD): a small loader that compiles
//   server.cjs with that cache through node:vm (Node 20 has no module.enableCompileCache). When V8 rejects
//   the cache (another node version or other V8 flags) it compiles the script normally: only slower.
//   kmslite.mjs, the command's earlier name, loads kmslite.cjs.
// - The shipped seed.yaml, parsed and schema-checked here, travels inside the bundle (src/config/
//   precompiledSeed.ts), so starting with it needs neither the YAML parser nor the schema validator.
// - dist/cjs/index.cjs (+ types/): the library (src/index.ts, `startKmslite`) as CommonJS, for `require('kmslite')`
//   (package.json `exports`, condition `require`): a default Jest set-up cannot load ES modules. It shares
//   dist/bundle/vendor/ with the server. Its types are dist/src's declarations copied under types/, marked
//   CommonJS by a package.json there, so TypeScript reads them as a CommonJS module's.
// - kmslite's version (src/version.ts) is written into both: the Docker image ships no package.json.
//
// Why: start-up time (docs/contributing/benchmarks.md, cold start). `tsc` still compiles dist/src for the programmatic
// API (`import { startKmslite } from 'kmslite'`) and type-checks everything; this script runs after it
// (`npm run build`) and uses dist/src to parse the seed.
//
// Longer than 300 lines because the build is one sequence whose steps depend on each other (vendor scripts before the
// server script that requires them, the server script before its training run and cache, the loader written for the
// script's encoding, the library build sharing vendor/); split, the order would have to be followed across files.
import { build, transform } from 'esbuild';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bundle`;
const SCRIPT = `${out}/server.cjs`;
const CACHE = `${SCRIPT}.cache`;
const LOADER = `${out}/kmslite.cjs`;
const LOADER_ALIAS = `${out}/kmslite.mjs`;
const SEED = `${root}seed.yaml`;
const log = (message) => console.error(`bundle: ${message}`);
const VERSION = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version;

rmSync(out, { recursive: true, force: true });

// ---- the shipped seed, parsed and checked now -------------------------------------------------------------
async function precompiledSeedModule() {
  const empty = 'export const PRECOMPILED_SEED = undefined;\n';
  if (!existsSync(SEED)) {
    log(`no ${SEED}: the bundle parses every seed at start-up`);
    return empty;
  }
  const text = readFileSync(SEED, 'utf8');
  // SeedError here stops the build: the shipped seed must be valid.
  const { parseSeed } = await import(pathToFileURL(`${root}dist/src/config/seed.js`).href);
  const document = await parseSeed(text, SEED);
  const json = JSON.stringify(document);
  if (!isDeepStrictEqual(JSON.parse(json), document)) {
    log(`${SEED} does not survive JSON (dates?): the bundle parses it at start-up`);
    return empty;
  }
  return `export const PRECOMPILED_SEED = ${JSON.stringify({ text, json })};\n`;
}

const precompiledSeed = {
  name: 'precompiled-seed',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]config[\\/]precompiledSeed\.ts$/ }, async () => ({ contents: await precompiledSeedModule(), loader: 'ts' }));
  },
};

// ---- the generated request validators, identifiers minified ------------------------------------------------
// ajv's standalone code (src/model/generated/validators.ts) is about a third of the server script, and start-up reads
// every byte of it (docs/contributing/benchmarks.md, "Fifth pass: cold start"). Its local names (vErrors, data0,
// err12, validate10, ...) are shortened here; exported names stay. Nothing in it throws, so no stack trace shows
// them. The rest of the script keeps its names (stack traces and class names read as the sources').
const minifiedValidators = {
  name: 'minified-validators',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]model[\\/]generated[\\/]validators\.ts$/ }, async ({ path }) => ({
      contents: (await transform(readFileSync(path, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', minifyIdentifiers: true })).code,
      loader: 'js',
    }));
  },
};

// ---- sonic-boom's node:assert, loaded when sonic-boom first calls it -----------------------------------------
// sonic-boom (the stdout destination of src/server/lazyLogger.ts) requires node:assert when it loads and calls it
// only when a stream closes. node:assert loads five of node's internal modules: about 2 ms of start-up at the
// default level, whose first line loads sonic-boom (docs/contributing/benchmarks.md, "Seventh pass: cold start").
// This stand-in calls the real assert, loaded on its first call; sonic-boom calls assert(value, message) only.
const lazyAssertForSonicBoom = {
  name: 'lazy-assert-for-sonic-boom',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?assert$/ }, ({ importer }) =>
      /[\\/]node_modules[\\/]sonic-boom[\\/]/.test(importer) ? { path: 'assert', namespace: 'lazy-assert' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
      contents: 'let assert;\nmodule.exports = (...args) => (assert ??= require("node:assert"))(...args);\n',
      loader: 'js',
    }));
  },
};

// ---- big libraries used only on first use of a rarely used feature: scripts of their own -----------------------
// Express (the admin app, with iconv-lite and mime-db), node-forge (Recipient / attestation), yaml (seeds other
// than the shipped one), commander (--help, --version, command-line errors: src/cliArguments.ts) and pino (log
// lines other than the request and start-up lines, which src/server/lazyLogger.ts writes without it) are most of
// the code; kept out of server.cjs, start-up does not read them. So is kmslite's own generated seed validator
// (115 KB, only for seeds other than the shipped one and the operator API's access-control documents): it imports
// nothing, so a copy of its own shares no state with the server script. Every byte start-up reads costs: the
// text is copied twice and fresh memory costs a page fault per 4 KiB (docs/contributing/benchmarks.md, "Fourth
// pass: cold start"). They are CommonJS scripts in dist/bundle/vendor/, loaded by require() when first used.
const VENDORED = ['express', 'node-forge', 'yaml', 'commander', 'pino'];
/** kmslite's own modules that import nothing: name in vendor/, what their importers write, their source. */
const OWN_VENDORED = [{ name: 'seedValidator', filter: /(^|\/)generated\/seedValidator\.js$/, entry: `${root}src/config/generated/seedValidator.ts` }];
/**
 * Libraries imported by several paths that share code (the noble curves and hashes, ML-DSA; cborg for attestation
 * documents), reached only through dynamic imports (src/crypto/lazyNoble.ts, attestation.ts): one script per
 * group, so the modules they share exist once. The script's default export is keyed by import path.
 */
const VENDORED_GROUPS = [
  {
    name: 'noble',
    filter: /^@noble\//,
    paths: [
      '@noble/curves/abstract/edwards.js',
      '@noble/curves/abstract/modular.js',
      '@noble/curves/abstract/weierstrass.js',
      '@noble/curves/ed25519.js',
      '@noble/curves/nist.js',
      '@noble/curves/secp256k1.js',
      '@noble/curves/utils.js',
      '@noble/hashes/sha2.js',
      '@noble/post-quantum/ml-dsa.js',
    ],
  },
  { name: 'cborg', filter: /^cborg$/, paths: ['cborg'] },
];
/** `from`: where vendor/ is, seen from the script being built. */
const vendoredFrom = (from) => ({
  name: 'vendored',
  setup(pluginBuild) {
    const filter = new RegExp(`^(${VENDORED.join('|')})$`);
    pluginBuild.onResolve({ filter }, ({ path }) => ({ path: `${from}/vendor/${path}.cjs`, external: true }));
    for (const { name, filter: own } of OWN_VENDORED) pluginBuild.onResolve({ filter: own }, () => ({ path: `${from}/vendor/${name}.cjs`, external: true }));
    for (const { name, filter: group, paths } of VENDORED_GROUPS) {
      pluginBuild.onResolve({ filter: group }, ({ path }) => {
        if (!paths.includes(path)) throw new Error(`${path}: add it to VENDORED_GROUPS in scripts/bundle.mjs`);
        return { path, namespace: `vendored-${name}` };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: `vendored-${name}` }, ({ path }) => ({
        contents: `module.exports = require(${JSON.stringify(`${from}/vendor/${name}.cjs`)}).default[${JSON.stringify(path)}];`,
        loader: 'js',
      }));
    }
    pluginBuild.onResolve({ filter: /\/vendor\/[\w-]+\.cjs$/ }, ({ path }) => ({ path, external: true }));
  },
});
const vendored = vendoredFrom('.');
const vendorScripts = [
  ...VENDORED.map((name) => ({ name, entry: createRequire(`${root}package.json`).resolve(name) })),
  ...OWN_VENDORED,
];
/** esbuild's options for one script in vendor/ (a library or a group of them as CommonJS). */
function vendorScriptOptions(name) {
  return {
    outfile: `${out}/vendor/${name}.cjs`,
    bundle: true,
    minifyWhitespace: true,
    minifySyntax: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'linked',
    logLevel: 'warning',
  };
}
for (const { name, paths } of VENDORED_GROUPS) {
  await build({
    stdin: {
      contents: `${paths.map((path, i) => `import * as m${i} from ${JSON.stringify(path)};`).join('\n')}\nexport default {\n${paths.map((path, i) => `  ${JSON.stringify(path)}: m${i},`).join('\n')}\n};\n`,
      resolveDir: root,
      loader: 'js',
    },
    ...vendorScriptOptions(name),
  });
}
for (const { name, entry } of vendorScripts) {
  await build({ entryPoints: [entry], ...vendorScriptOptions(name) });
}

// ---- the server as one CommonJS script ----------------------------------------------------------------------
// What the server script and the library script share.
const commonJsFromEsm = {
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: `import.meta.url` is this script's URL.
  define: {
    'import.meta.url': '__kmsliteImportMetaUrl',
    'import.meta.filename': '__filename',
    'import.meta.dirname': '__dirname',
    __KMSLITE_VERSION__: JSON.stringify(VERSION),
  },
  banner: { js: 'var __kmsliteImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [precompiledSeed, vendored],
  legalComments: 'linked',
  logLevel: 'warning',
};
// The library for require(): dist/cjs, outside dist/bundle so the Docker image (which copies dist/bundle) stays as it was.
const CJS = `${root}dist/cjs`;
rmSync(CJS, { recursive: true, force: true });
await build({
  ...commonJsFromEsm,
  entryPoints: [`${root}src/index.ts`],
  outfile: `${CJS}/index.cjs`,
  plugins: [precompiledSeed, vendoredFrom('../bundle')],
});
cpSync(`${root}dist/src`, `${CJS}/types`, { recursive: true, filter: (path) => path.endsWith('.d.ts') || statSync(path).isDirectory() });
writeFileSync(`${CJS}/types/package.json`, '{ "type": "commonjs" }\n');

await build({
  entryPoints: [`${root}src/cli.ts`],
  outfile: SCRIPT,
  bundle: true,
  // Whitespace and syntax only: identifiers keep their names, so stack traces and error types in logs stay
  // readable without esbuild's keepNames (which renames every function at start-up: a few ms).
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: `import.meta.url` is this script's URL.
  define: commonJsFromEsm.define,
  banner: { js: 'var __kmsliteImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [precompiledSeed, minifiedValidators, lazyAssertForSonicBoom, vendored],
  legalComments: 'linked',
  logLevel: 'warning',
});
// The script is stored already wrapped in the CommonJS function the loader calls (no hashbang line inside:
// src/cli.ts has one), on the first line, so line numbers in stack traces are the file's. Why stored wrapped:
// the loader hands the text it read straight to V8; wrapping it at start-up made a third 1 MB copy (V8
// flattens the concatenation), and fresh memory costs a page fault per 4 KiB (docs/contributing/benchmarks.md,
// "Fourth pass: cold start").
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
const source = WRAPPER_START + readFileSync(SCRIPT, 'utf8').replace(/^#![^\n]*\n/, '') + '\n})';
writeFileSync(SCRIPT, source);
// esbuild escapes non-ASCII characters (charset ascii, its default), so the loader can read the script as
// latin1: a plain copy, several times faster than UTF-8 decoding for 2 MB.
const encoding = /^[\x00-\x7f]*$/.test(source) ? 'latin1' : 'utf8';

// ---- the `kmslite` command: the loader --------------------------------------------------------------------
// A CommonJS file: node starts a CommonJS main without its ES module loader, about 7 ms sooner than an .mjs main
// (docs/contributing/benchmarks.md, "Seventh pass: cold start"). kmslite.mjs, the command's earlier name, stays as
// an alias that loads it.
writeFileSync(
  LOADER,
  `#!/usr/bin/env node
// The \`kmslite\` command. The server is the CommonJS script next to this file (server.cjs); it is compiled
// here with the V8 code cache made at build time (server.cjs.cache), so start-up does not parse and compile
// it again. V8 rejects a cache made by another node version or with other V8 flags: the script then compiles
// as usual. Made by scripts/bundle.mjs.
'use strict';
const { closeSync, fstatSync, openSync, readSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'server.cjs');
// The script and then its cache are read into one buffer: fresh memory costs a page fault per 4 KiB, a
// fair share of start-up on a virtual machine. V8 reads the cache only while \`new Script()\` runs.
const scriptFd = openSync(file, 'r');
const scriptSize = fstatSync(scriptFd).size;
let cacheFd;
let cacheSize = 0;
try {
  cacheFd = openSync(file + '.cache', 'r');
  cacheSize = fstatSync(cacheFd).size;
} catch {
  // no cache: compile normally
}
const buffer = Buffer.allocUnsafeSlow(Math.max(scriptSize, cacheSize));
// Never freed: when glibc frees a block it had mmapped (this one, about 700 KB) it raises its mmap threshold to that
// size, and its arenas then keep more of what the server frees: RSS with 10,000 keys read 1.4 MiB higher when this
// buffer was freed (docs/contributing/benchmarks.md, "Seventh pass: cold start").
module.exports = { loaderBuffer: buffer };
const readInto = (fd, size) => {
  try {
    let done = 0;
    for (let read = 1; done < size && read > 0; done += read) read = readSync(fd, buffer, done, size - done, null);
    return done;
  } finally {
    closeSync(fd);
  }
};
// The file already holds the CommonJS wrapper (made so by the build).
const source = buffer.toString('${encoding}', 0, readInto(scriptFd, scriptSize));
let cachedData;
try {
  if (cacheFd !== undefined) cachedData = buffer.subarray(0, readInto(cacheFd, cacheSize));
} catch {
  // an unreadable cache: compile normally
}
const script = new Script(source, { filename: file, cachedData });
// The build's training run: write the cache (with every function compiled so far) when the process exits.
const cacheOut = process.env.KMSLITE_CODE_CACHE_OUT;
if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
if (process.env.KMSLITE_CODE_CACHE_DEBUG) console.error('kmslite code cache: ' + (cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used'));
const serverModule = { exports: {} };
script.runInThisContext().call(serverModule.exports, serverModule.exports, createRequire(file), serverModule, file, __dirname);
`,
);
chmodSync(LOADER, 0o755);
writeFileSync(
  LOADER_ALIAS,
  `#!/usr/bin/env node
// The \`kmslite\` command's earlier name: it runs kmslite.cjs. kmslite.cjs itself starts a few ms sooner (node does
// not start its ES module loader for it). Made by scripts/bundle.mjs.
import './kmslite.cjs';
`,
);
chmodSync(LOADER_ALIAS, 0o755);

// ---- the web console's files (src/server/adminConsole.ts serves them from dist/console) -------------------------
// Plain HTML, CSS and ES modules, shipped as they are: no build step, nothing to bundle.
rmSync(`${root}dist/console`, { recursive: true, force: true });
cpSync(`${root}src/console`, `${root}dist/console`, { recursive: true });

// ---- the code cache: a training run ------------------------------------------------------------------------
// Starts the bundle (default log level, the shipped seed), sends the calls a first user makes, stops it
// (SIGTERM: kmslite exits 0), and keeps the cache its loader wrote on exit. V8 accepts a cache only under the
// V8 flags it was made with, so the run leaves them alone (KMSLITE_SEMI_SPACE_MB=0: src/server/youngGeneration.ts). A failed training run leaves no
// cache: the bundle still works, it only starts slower.
try {
  await train();
  log(`code cache ${statSync(CACHE).size} bytes`);
} catch (error) {
  rmSync(CACHE, { force: true });
  log(`no code cache (start-up will compile the bundle): ${error.message}`);
}

async function train() {
  const aws4 = createRequire(import.meta.url)('aws4');
  const port = await freePort();
  const args = [LOADER, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'info'];
  if (existsSync(SEED)) args.push('--seed-path', SEED);
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', KMSLITE_CODE_CACHE_OUT: CACHE, KMSLITE_SEMI_SPACE_MB: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const call = (operation, body) =>
    new Promise((resolve, reject) => {
      const options = {
        host: `127.0.0.1:${port}`,
        method: 'POST',
        path: '/',
        service: 'kms',
        region: 'eu-west-2',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}` },
        body: JSON.stringify(body),
      };
      aws4.sign(options, { accessKeyId: 'test', secretAccessKey: 'test' });
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: options.headers, agent: false }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${operation} answered ${response.statusCode}: ${text}`))));
      });
      req.on('error', reject);
      req.end(options.body);
    });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await call('ListKeys', {});
        break;
      } catch (error) {
        if (attempt > 300 || child.exitCode !== null) throw new Error(`the training server did not start: ${error.message} ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const { KeyMetadata } = await call('CreateKey', {});
    for (const KeyId of ['alias/kmslite-default', KeyMetadata.KeyId]) {
      const { CiphertextBlob } = await call('Encrypt', { KeyId, Plaintext: Buffer.from('kmslite').toString('base64') });
      await call('Decrypt', { CiphertextBlob });
      await call('GenerateDataKey', { KeyId, KeySpec: 'AES_256' });
      await call('DescribeKey', { KeyId });
    }
    await call('ListAliases', {});
  } finally {
    child.kill('SIGTERM');
  }
  const status = await exited;
  if (status !== 0) throw new Error(`the training server exited with ${status}: ${stderr}`);
  if (!existsSync(CACHE)) throw new Error('the training server wrote no cache');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
