/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per file, and total
 * (inclusive) time of kmslite's own functions. Used by bench/run.mjs when a target is missed or BENCH_PROFILE=1;
 * also usable alone: `node bench/profile.mjs <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function summarizeProfile(path, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Self time per node from samples × time deltas (µs).
  const selfUs = new Map();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
    totalUs += delta;
  }

  const shortUrl = (url) => {
    if (!url) return '';
    const at = url.search(/\/dist\/(src|bundle)\//);
    if (at !== -1) return url.slice(at + 1);
    const modules = url.lastIndexOf('/node_modules/');
    if (modules !== -1) return url.slice(modules + 1);
    return url.replace(/^file:\/\//, '');
  };
  const label = (frame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    const name = label(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const file = shortUrl(frame.url) || frame.functionName || '(native)';
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }

  // Inclusive time of kmslite functions (a function counted once per sample even when recursive).
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (!/\/dist\/(src|bundle)\//.test(frame.url)) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    }
  }

  const idle = byFunction.get('(idle)') ?? 0;
  const busyUs = totalUs - idle;
  const rank = (map, n) =>
    [...map.entries()]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percentOfBusy: Math.round((us / busyUs) * 1000) / 10 }));
  return {
    file: path,
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    topSelf: rank(byFunction, top),
    topFiles: rank(byFile, top),
    topInclusiveKmslite: rank(inclusive, top),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const summary = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`busy ${summary.busyMs} ms of ${summary.totalMs} ms sampled`);
  for (const [title, rows] of [['self time by function', summary.topSelf], ['self time by file', summary.topFiles], ['inclusive, kmslite functions', summary.topInclusiveKmslite]]) {
    console.log(`\n${title}:`);
    for (const row of rows) console.log(`${String(row.percentOfBusy).padStart(6)}%  ${String(row.ms).padStart(8)} ms  ${row.name}`);
  }
}
