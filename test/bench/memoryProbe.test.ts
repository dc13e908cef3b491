/**
 * bench/wrk/memoryProbe.mjs and memoryBreakdown() (bench/wrk/memory.mjs): the memory breakdown of the keys reading
 * (docs/contributing/benchmarks.md, "Fourth pass"). A kmslite (the bundle) started with the probe preloaded answers
 * SIGUSR2 with V8's heap figures, and the breakdown's parts add up to the process's RSS.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';

test('the breakdown of a running kmslite: V8 heap spaces from the probe, the rest from /proc smaps, adding up to the RSS', () => {
  const memory = new URL('../../bench/wrk/memory.mjs', import.meta.url).href;
  const common = new URL('../../bench/lib/common.mjs', import.meta.url).href;
  const probe = new URL('../../bench/wrk/memoryProbe.mjs', import.meta.url).pathname;
  const script = `
    import { memoryBreakdown } from ${JSON.stringify(memory)};
    import { freePort, startKmslite, stopServer } from ${JSON.stringify(common)};
    const port = await freePort();
    const out = ${JSON.stringify(`${tmpdir()}/kmslite-probe-test-${process.pid}.json`)};
    process.env.BENCH_MEMORY_PROBE_OUT = out;
    const server = await startKmslite({ port, nodeOptions: ['--import', ${JSON.stringify(probe)}] });
    try {
      console.log(JSON.stringify(await memoryBreakdown(server.pid, out)));
    } finally {
      await stopServer(server);
    }`;
  const breakdown = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  expect(breakdown.v8HeapPhysical).toBeGreaterThan(1);
  expect(breakdown.v8HeapUsed).toBeGreaterThan(1);
  expect(breakdown.spaces.old_space.used).toBeGreaterThan(0);
  expect(breakdown.spaces.new_space.physical).toBeGreaterThan(0);
  expect(breakdown.anonymous).toBeGreaterThanOrEqual(breakdown.v8HeapPhysical - 1);
  // smaps' parts are the whole RSS (read a moment apart: within 1 MiB).
  expect(Math.abs(breakdown.fileBacked + breakdown.brkHeap + breakdown.anonymous - breakdown.rss)).toBeLessThan(1);
});
