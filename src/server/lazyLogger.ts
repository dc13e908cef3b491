/**
 * kmslite's logger: pino, made on first use. Loading and setting up pino (with sonic-boom, thread-stream,
 * worker_threads, assert, os) is a fair share of start-up (docs/contributing/benchmarks.md, cold start), and at
 * `--log-level warn` a healthy server never writes a line. So `lazyLogger` answers level checks and ignores
 * calls below the level itself, and makes the pino logger (same options, same destination) at the first
 * call that would write; every other use (child, flush, level changes, ...) makes it too and goes to it.
 * The lines written are pino's, unchanged. Lines already in pino's form (WRITE_LINE) go to the destination without
 * pino, so at the default level a healthy server loads pino only for its first other line.
 */
import { createRequire } from 'node:module';
import type { Logger, LoggerOptions } from 'pino';
import type { LogLevel } from '../config/config.js';
import { BatchedLogStream } from './batchedLogStream.js';

const LEVEL_VALUES: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

type Pino = typeof import('pino').pino;

function loadPino(): Pino {
  // The bundle is CommonJS (scripts/bundle.mjs): there, esbuild bundles pino for this literal require() call and
  // evaluates it only when the call runs. The ES module build (dist/src, tests) has no `require`: node's loader.
  const loaded = (typeof require === 'function' ? require('pino') : createRequire(import.meta.url)('pino')) as { pino: Pino };
  return loaded.pino;
}

type SonicBoomClass = typeof import('sonic-boom').SonicBoom;

/**
 * What `pino.destination({ dest: 1, sync: true })` makes (pino/lib/tools.js, buildSafeSonicBoom): sonic-boom on
 * stdout, writing each chunk before write() returns, and on a closed pipe (EPIPE) dropping every later line instead
 * of failing. Made here from sonic-boom itself because loading pino only for its destination was most of what the
 * default level loaded before the first answer (docs/contributing/benchmarks.md, "Fifth pass: cold start").
 */
function stdoutDestination(): { write(chunk: string): unknown } {
  const loaded = (typeof require === 'function' ? require('sonic-boom') : createRequire(import.meta.url)('sonic-boom')) as { SonicBoom: SonicBoomClass };
  const stream = new loaded.SonicBoom({ dest: 1, sync: true });
  const noop = (): void => {};
  const filterBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      Object.assign(stream, { write: noop, end: noop, flushSync: noop, destroy: noop });
      return;
    }
    stream.removeListener('error', filterBrokenPipe);
    stream.emit('error', error);
  };
  stream.on('error', filterBrokenPipe);
  return stream;
}

/**
 * `logger[WRITE_LINE](line)` writes a line that is already pino's JSON (src/server/requestLine.ts) to the
 * logger's destination, as pino's own write would: the request line, built without pino's serialiser.
 */
export const WRITE_LINE: unique symbol = Symbol('kmslite.writeLine');
export type LineWritingLogger = Logger & { [WRITE_LINE](line: string): void };

export function lazyLogger(level: LogLevel, stream?: NodeJS.WritableStream): LineWritingLogger {
  let real: Logger | undefined;
  // stdout by default: pino's synchronous destination (stdoutDestination), written in batches (batchedLogStream.ts),
  // made when the first batch leaves. Lines written with WRITE_LINE (the request line, the CLI's "listening" line)
  // do not load pino: the default level writes no other line before the first answer.
  let batched: BatchedLogStream | undefined;
  const destination = (): { write(line: string): unknown } => {
    if (stream) return stream;
    if (batched) return batched;
    let stdout: { write(chunk: string): unknown } | undefined;
    batched = new BatchedLogStream({ write: (chunk) => (stdout ??= stdoutDestination()).write(chunk) });
    return batched;
  };
  // pino writes a logger's lines to its destination as they are (pino's streamSym is the stream given to it).
  const writeLine = (line: string): void => {
    destination().write(line);
  };
  const logger = (): Logger => {
    if (real) return real;
    const pino = loadPino();
    const options: LoggerOptions = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
    real = pino(options, destination() as NodeJS.WritableStream);
    return real;
  };
  // A level pino does not know: make pino now, so start-up fails with pino's own error as before.
  if (level !== 'silent' && !(level in LEVEL_VALUES)) logger();
  const threshold = level === 'silent' ? Infinity : LEVEL_VALUES[level]!;
  const ignore = (): void => {};
  const isLevelEnabled = (asked: string): boolean => (LEVEL_VALUES[asked] ?? Infinity) >= threshold;
  const bound = new Map<string | symbol, { method: unknown; bound: unknown }>();
  return new Proxy(Object.create(null) as LineWritingLogger, {
    get(_target, property) {
      if (property === WRITE_LINE) return writeLine;
      if (!real) {
        if (typeof property === 'string' && property in LEVEL_VALUES) {
          if (LEVEL_VALUES[property]! < threshold) return ignore;
        } else if (property === 'isLevelEnabled') {
          return isLevelEnabled;
        } else if (property === 'level') {
          return level;
        }
      }
      const target = logger();
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // One bound function per method while pino keeps the same one (pino swaps a level's method for a no-op
      // when the level changes): the request line calls isLevelEnabled and info on every request.
      const known = bound.get(property);
      if (known !== undefined && known.method === value) return known.bound;
      const made = { method: value, bound: value.bind(target) as unknown };
      bound.set(property, made);
      return made.bound;
    },
    set(_target, property, value) {
      return Reflect.set(logger(), property, value);
    },
    has(_target, property) {
      return property in logger();
    },
  });
}
