/**
 * Where kmslite's log lines go by default: stdout, in batches.
 *
 * Why: at the default level every request writes one line. pino's default destination (sonic-boom, async)
 * hands every line, or every small batch, to libuv's thread pool; under load that cost about a quarter of the
 * server's CPU per request (docs/contributing/benchmarks.md, "Request logging"). Here lines are joined and written with one
 * synchronous write at the end of the event-loop turn (setImmediate), and at most once per FLUSH_INTERVAL_MS: a
 * line logged after a quiet moment leaves at the end of its turn, while a busy server writes the lines of many
 * requests at once, so it makes a write every few milliseconds instead of one per request. The lines are pino's,
 * unchanged; only the write is batched.
 *
 * The underlying destination is pino's own synchronous sonic-boom (EAGAIN retries, EPIPE handling). What is
 * pending is written before the process exits ('exit' runs for process.exit, a signal handled by the CLI and an
 * uncaught exception); only a SIGKILL can lose the last few milliseconds of lines.
 */
import { performance } from 'node:perf_hooks';

/** What this wraps: pino.destination({ sync: true }), which writes each chunk before write() returns. */
export interface LineSink {
  write(chunk: string): unknown;
}

/** Shortest time between two writes while lines keep coming. */
export const FLUSH_INTERVAL_MS = 10;
/** Joined lines written at once above this size, without waiting. */
const MAX_PENDING_CHARS = 64 * 1024;

/** Every stream made, flushed by one 'exit' listener (not one per stream: in-process users may make many). */
const open = new Set<BatchedLogStream>();
const flushAll = (): void => {
  for (const stream of open) stream.flushSync();
};

export class BatchedLogStream {
  private pending = '';
  private scheduled = false;
  private lastWriteMs = -Infinity;
  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flushSync();
  };

  /** `intervalMs`: shortest time between two writes while lines keep coming (tests choose their own). */
  constructor(
    private readonly sink: LineSink,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {
    if (open.size === 0) process.on('exit', flushAll);
    open.add(this);
  }

  write(line: string): boolean {
    this.pending += line;
    if (this.pending.length >= MAX_PENDING_CHARS) this.flushSync();
    else if (!this.scheduled) {
      this.scheduled = true;
      const wait = this.lastWriteMs + this.intervalMs - performance.now();
      // The timer does not keep the process alive: the 'exit' listener writes what is left.
      if (wait > 0) setTimeout(this.flushScheduled, wait).unref();
      else setImmediate(this.flushScheduled);
    }
    return true;
  }

  /** Writes what is pending now (pino's logger.flush() and the exit hook call this). */
  flushSync(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.lastWriteMs = performance.now();
    this.sink.write(text);
  }

  /** pino's `logger.flush(cb)`. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }
}
