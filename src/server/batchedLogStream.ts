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
 * Each line is encoded into the batch's buffer when it is written, not kept as a string until the batch leaves: the
 * request line is a string of many pieces (a rope), and ropes kept for the batch's 10 ms outlive young-generation
 * collections, then have to be walked piece by piece, cold, to be written. Measured in a server-like loop (16
 * requests per event-loop turn, lines to /dev/null): the line cost about 4 µs per request kept as ropes, and a
 * fraction of that encoded at once (docs/contributing/benchmarks.md, "Fourth pass"). The bytes are the same: each
 * line is a whole line (pino writes whole lines), encoded as UTF-8 as the string's write would encode it.
 *
 * The underlying destination is pino's own synchronous sonic-boom (EAGAIN retries, EPIPE handling). What is
 * pending is written before the process exits ('exit' runs for process.exit, a signal handled by the CLI and an
 * uncaught exception); only a SIGKILL can lose the last few milliseconds of lines.
 */
import { monotonicMs } from '../util/clock.js';

/** What this wraps: pino.destination({ sync: true }), which writes each chunk before write() returns. */
export interface LineSink {
  write(chunk: string): unknown;
}

/** Shortest time between two writes while lines keep coming. */
export const FLUSH_INTERVAL_MS = 10;
/** The batch's buffer: joined lines are written at once when the next one may not fit, without waiting. */
const BATCH_BYTES = 64 * 1024;
/** UTF-8 bytes per UTF-16 code unit, at most: a line of n code units needs at most 3n bytes. */
const MAX_UTF8_PER_UNIT = 3;

/** Every stream made, flushed by one 'exit' listener (not one per stream: in-process users may make many). */
const open = new Set<BatchedLogStream>();
const flushAll = (): void => {
  for (const stream of open) stream.flushSync();
};

export class BatchedLogStream {
  /** The lines not written yet, as UTF-8 bytes: buffer[0, used). Made at the first line (a stream that never writes costs nothing). */
  private buffer: Buffer | undefined;
  private used = 0;
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
    if (line.length * MAX_UTF8_PER_UNIT > BATCH_BYTES - this.used) {
      // May not fit: what is pending leaves now; a line longer than the whole buffer leaves on its own, after it.
      this.flushSync();
      if (line.length * MAX_UTF8_PER_UNIT > BATCH_BYTES) {
        this.lastWriteMs = monotonicMs();
        this.sink.write(line);
        return true;
      }
    }
    this.buffer ??= Buffer.allocUnsafe(BATCH_BYTES);
    this.used += this.buffer.write(line, this.used, 'utf8');
    if (!this.scheduled) {
      this.scheduled = true;
      const wait = this.lastWriteMs + this.intervalMs - monotonicMs();
      // The timer does not keep the process alive: the 'exit' listener writes what is left.
      if (wait > 0) setTimeout(this.flushScheduled, wait).unref();
      else setImmediate(this.flushScheduled);
    }
    return true;
  }

  /** Writes what is pending now (pino's logger.flush() and the exit hook call this). */
  flushSync(): void {
    if (this.used === 0) return;
    const text = this.buffer!.toString('utf8', 0, this.used);
    this.used = 0;
    this.lastWriteMs = monotonicMs();
    this.sink.write(text);
  }

  /** pino's `logger.flush(cb)`. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }
}
