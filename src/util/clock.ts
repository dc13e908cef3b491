/**
 * The one source of "now". Time-based behaviour (deletion after the waiting period, automatic rotation)
 * is applied lazily against this clock when state is read, never with timers, so tests and the admin
 * API can move time.
 */
export class Clock {
  private offsetMs = 0;

  /** `onChange`: told after every move (persistence writes the offset, so a restart keeps kmslite's time). */
  constructor(private readonly onChange?: () => void) {}

  /** Milliseconds since the epoch, as kmslite sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    this.onChange?.();
  }

  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
    this.onChange?.();
  }

  reset(): void {
    this.offsetMs = 0;
    this.onChange?.();
  }

  /** Restores the offset persisted by an earlier run (no onChange: it is already on disk). */
  restoreOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Milliseconds on the process's monotonic clock (as performance.now(), from another origin): for durations only.
 * Not performance.now() because node:perf_hooks loads a dozen internal modules, about 2 ms of start-up before the
 * first answer, and the request path needs nothing else from it (docs/contributing/benchmarks.md, "Seventh pass").
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
