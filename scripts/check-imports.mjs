#!/usr/bin/env node
// Checks the shape of kmslite's import graph: no import circle between files in src/, and no import that runs
// upward in the layer order below. A newcomer reads the layers bottom-up; a circle or an upward import means a
// file cannot be understood without one that should depend on it.
//
// Layer order, lowest first (a file may import its own layer or any lower one). Derived from the imports as they
// are and from ARCHITECTURE.md ("server → protocol → operations → store, crypto"), with the folders that doc does
// not name placed where their imports put them:
//   util        src/util/, src/version.ts      clock, ids, ARNs: no kmslite imports beyond each other
//   model       src/model/                     the generated AWS model and the hand-written tables beside it
//   crypto      src/crypto/                    pure functions over node:crypto (names algorithms from the model)
//   protocol    src/protocol/                  wire framing, validation and the KmsError every layer above throws;
//                                              it sits below operations in imports (operations throw KmsError), the
//                                              request flow runs server → protocol → operations through the pipeline
//   store       src/store/                     in-memory records and their persistence
//   authz       src/authz/                     pure access-control evaluation over plain data
//   audit       src/audit/                     the audit trail of requests (reads store types, authz decisions)
//   kms         src/kms/                       the domain rules of KMS: key states, key resolution, grants, aliases,
//                                              multi-Region sets, custom key stores, imports, access-control wiring
//   config      src/config/                    resolved settings and the seed file (the seed builds keys through
//                                              src/kms, so config sits above it)
//   operations  src/operations/                one file per wire operation: wire input → domain calls → wire output
//   server      src/server/                    HTTP, SigV4, the pipeline, the admin API
//   entry       src/cli.ts, src/cliArguments.ts, src/index.ts      the command line and the package's public exports
//
// Edges are relative imports read with a regex: `import … from './x.js'`, `export … from './x.js'`, bare
// `import './x.js'`, and `import('./x.js')` (dynamic imports and `typeof import(…)` types count: a lazy import is
// still a dependency a reader must follow). Type-only imports count too. Imports of packages are not edges.
//
// Usage: node scripts/check-imports.mjs [--json] [--root DIR]
// Prints every cycle (one per strongly connected group of files, with one concrete path through it) and every
// upward import; exits 1 when there is any. --json prints {files, edges, cycles, upward, unlayered} for tests;
// --root checks DIR/src instead of this repository's (test/unit/importGraph.test.ts checks the checker on a
// small made-up tree).
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArgument = process.argv.indexOf('--root');
const ROOT = rootArgument > 0 ? resolve(process.argv[rootArgument + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

// [layer name, path prefixes relative to the repository root]; index = height.
export const LAYERS = [
  ['util', ['src/util/', 'src/version.ts']],
  ['model', ['src/model/']],
  ['crypto', ['src/crypto/']],
  ['protocol', ['src/protocol/']],
  ['store', ['src/store/']],
  ['authz', ['src/authz/']],
  ['audit', ['src/audit/']],
  ['kms', ['src/kms/']],
  ['config', ['src/config/']],
  ['operations', ['src/operations/']],
  ['server', ['src/server/']],
  ['entry', ['src/cli.ts', 'src/cliArguments.ts', 'src/index.ts']],
];

function layerOf(file) {
  for (let height = 0; height < LAYERS.length; height += 1) {
    if (LAYERS[height][1].some((prefix) => file === prefix || file.startsWith(prefix))) return height;
  }
  return -1;
}

function listTypeScript(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listTypeScript(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

// Comments can quote import lines; drop them. `//` only counts after whitespace or at a line start, so URLs in
// strings ('http://…') survive.
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

const SPECIFIERS = [
  /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
];

// './x.js' names the TypeScript source './x.ts' (NodeNext resolution); './dir' may mean './dir/index.ts'.
function resolveSpecifier(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile());
}

const toRepoPath = (absolute) => relative(ROOT, absolute).split(sep).join('/');

export function readGraph() {
  const files = listTypeScript(SRC).map(toRepoPath).sort();
  const edges = new Map(files.map((file) => [file, new Set()]));
  for (const file of files) {
    const text = withoutComments(readFileSync(join(ROOT, file), 'utf8'));
    for (const pattern of SPECIFIERS) {
      for (const match of text.matchAll(pattern)) {
        const target = resolveSpecifier(join(ROOT, file), match[1]);
        if (target) edges.get(file).add(toRepoPath(target));
      }
    }
  }
  return { files, edges };
}

// Tarjan's strongly connected components; every component of two or more files (or a file importing itself)
// holds at least one cycle.
function stronglyConnected(files, edges) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      if (group.length > 1 || edges.get(file).has(file)) groups.push(group.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return groups;
}

// One concrete cycle through a group, starting at its first file: breadth-first back to the start, inside the group.
function cyclePath(group, edges) {
  const members = new Set(group);
  const start = group[0];
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of [...edges.get(file)].sort()) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]));
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

export function checkImports() {
  const { files, edges } = readGraph();
  const cycles = stronglyConnected(files, edges)
    .map((group) => ({ files: group, path: cyclePath(group, edges) }))
    .sort((a, b) => a.files[0].localeCompare(b.files[0]));
  const upward = [];
  const unlayered = files.filter((file) => layerOf(file) < 0);
  for (const file of files) {
    for (const target of edges.get(file)) {
      const from = layerOf(file);
      const to = layerOf(target);
      if (from >= 0 && to > from) upward.push({ from: file, to: target, fromLayer: LAYERS[from][0], toLayer: LAYERS[to][0] });
    }
  }
  const edgeCount = [...edges.values()].reduce((sum, targets) => sum + targets.size, 0);
  return { files: files.length, edges: edgeCount, cycles, upward, unlayered };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = checkImports();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`${result.files} files, ${result.edges} relative imports`);
    for (const cycle of result.cycles) console.log(`CYCLE ${cycle.path.join(' -> ')}  (group: ${cycle.files.join(', ')})`);
    for (const up of result.upward) console.log(`UPWARD ${up.from} (${up.fromLayer}) -> ${up.to} (${up.toLayer})`);
    for (const file of result.unlayered) console.log(`NO LAYER ${file} (add it to LAYERS in scripts/check-imports.mjs)`);
    console.log(`cycles=${result.cycles.length} upward=${result.upward.length} unlayered=${result.unlayered.length}`);
  }
  process.exitCode = result.cycles.length + result.upward.length + result.unlayered.length > 0 ? 1 : 0;
}
