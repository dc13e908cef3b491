/**
 * Keeps V8's young generation (the semi-spaces that every request's short-lived objects go to) at a fixed
 * size for the `kmslite` command.
 *
 * Why: V8 doubles a semi-space each time the objects that survived scavenges since the last doubling add up to
 * its size, up to 16 MiB, and under load it never gives the space back. Creating keys in bulk (every key
 * survives) grows it to the maximum: after 10,000 CreateKey calls a server scavenged 16 MiB every ~70 ms with
 * 2.5–3.5 ms pauses, while a server that had made 100 keys stayed at 4 MiB with ~0.5 ms pauses, and every
 * request of the bigger server paid for the bigger, cache-unfriendly nursery (docs/contributing/benchmarks.md, "Flat
 * latency"). So the size depended on the store's history, not on the load.
 *
 * Node 20 reads --max-semi-space-size only at start-up, and `node dist/bundle/kmslite.cjs` takes no V8 flags.
 * V8 does read --semi-space-growth-factor each time it grows the space, so this watches the young generation
 * after every GC and sets the factor to 1 (no growth) once a semi-space has reached `semiSpaceMiB`, and back to
 * V8's default while it is smaller (V8 shrinks the space when the process idles). Growth and shrinking stay V8's.
 *
 * node:perf_hooks and node:v8 are loaded when the watch starts, not with the bundle: they are about 3 ms of
 * start-up, and the command starts the watch 200 ms after it starts listening, after its first answers (src/cli.ts).
 */
import { createRequire } from 'node:module';

/** V8's --semi-space-growth-factor default (V8 11.3, Node 20). */
const DEFAULT_GROWTH_FACTOR = 2;

/** Starts the watch; returns a function that stops it and gives V8 its default factor back. */
export function capYoungGeneration(semiSpaceMiB: number): () => void {
  // require(), not import(): the bundle runs in a vm.Script, where import() has no loader to call.
  const load = createRequire(import.meta.url);
  const { PerformanceObserver } = load('node:perf_hooks') as typeof import('node:perf_hooks');
  const { getHeapSpaceStatistics, setFlagsFromString } = load('node:v8') as typeof import('node:v8');
  // new_space's space_size counts both semi-spaces.
  const limit = 2 * semiSpaceMiB * 1024 * 1024;
  let factor = DEFAULT_GROWTH_FACTOR;
  const setFactor = (wanted: number) => {
    if (wanted === factor) return;
    setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
    factor = wanted;
  };
  const check = () => {
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace) setFactor(newSpace.space_size >= limit ? 1 : DEFAULT_GROWTH_FACTOR);
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    setFactor(DEFAULT_GROWTH_FACTOR);
  };
}
