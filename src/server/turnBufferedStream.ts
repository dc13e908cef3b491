/**
 * Where kmslite's log lines go by default: stdout, written once per turn of the event loop.
 *
 * Why: at the default level every request writes one line. pino's default destination (sonic-boom, async)
 * hands every line, or every small batch, to libuv's thread pool; under load that cost about a quarter of the
 * server's CPU per request (docs/benchmarks.md, "Request logging"). Here the lines of one turn are joined and
 * written with one synchronous write at the end of that turn (setImmediate), so a busy server makes one write
 * for all the requests it answered in a turn, and an idle one still shows each line at once: nothing waits for a
 * timer or for a buffer to fill. The lines are pino's, unchanged; only the write is batched.
 *
 * The underlying destination is pino's own synchronous sonic-boom (EAGAIN retries, EPIPE handling). What is
 * pending is written before the process exits ('exit' runs for process.exit, a signal handled by the CLI and an
 * uncaught exception); only a SIGKILL can lose the lines of the current turn.
 */

/** What this wraps: pino.destination({ sync: true }), which writes each chunk before write() returns. */
export interface LineSink {
  write(chunk: string): unknown;
}

/** Every stream made, flushed by one 'exit' listener (not one per stream: in-process users may make many). */
const open = new Set<TurnBufferedStream>();
const flushAll = (): void => {
  for (const stream of open) stream.flushSync();
};

/** Joined lines written at once above this size, without waiting for the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

export class TurnBufferedStream {
  private pending = '';
  private scheduled = false;
  private readonly flushTurn = (): void => {
    this.scheduled = false;
    this.flushSync();
  };

  constructor(private readonly sink: LineSink) {
    if (open.size === 0) process.on('exit', flushAll);
    open.add(this);
  }

  write(line: string): boolean {
    this.pending += line;
    if (this.pending.length >= MAX_PENDING_CHARS) this.flushSync();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushTurn);
    }
    return true;
  }

  /** Writes what is pending now (pino's logger.flush() and the exit hook call this). */
  flushSync(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.sink.write(text);
  }

  /** pino's `logger.flush(cb)`. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }
}
