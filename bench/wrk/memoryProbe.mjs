/**
 * Diagnostic preload for the benchmark only (never part of the `kmslite` command): `node --import
 * bench/wrk/memoryProbe.mjs dist/bundle/kmslite.cjs …`. On SIGUSR2 it writes, to the file named by
 * BENCH_MEMORY_PROBE_OUT, what the process itself knows about its memory: process.memoryUsage(), V8's heap
 * totals and each heap space's size, used, and physical (committed and touched) bytes. The benchmark reads the
 * rest (/proc/<pid>/smaps) from outside: memory.mjs, memoryBreakdown().
 */
import { renameSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const out = process.env.BENCH_MEMORY_PROBE_OUT;
if (out) {
  process.on('SIGUSR2', () => {
    const spaces = {};
    for (const space of getHeapSpaceStatistics()) {
      spaces[space.space_name] = { size: space.space_size, used: space.space_used_size, physical: space.physical_space_size };
    }
    const heap = getHeapStatistics();
    const probe = {
      memoryUsage: process.memoryUsage(),
      heap: { totalSize: heap.total_heap_size, physical: heap.total_physical_size, used: heap.used_heap_size, malloced: heap.malloced_memory, externalMemory: heap.external_memory },
      spaces,
    };
    // The reader polls for the file: write it whole, then rename, so it never reads half a file.
    writeFileSync(`${out}.tmp`, JSON.stringify(probe));
    renameSync(`${out}.tmp`, out);
  });
}
