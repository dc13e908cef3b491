// Settings of the node:http bench (bench/run.mjs; its opening comment lists the environment variables), the
// targets it reports against, and the small formatting helpers every part of it logs with.
import { fileURLToPath } from 'node:url';

/** A path relative to bench/ (the bare server, the pipeline child, the results directory). */
export const here = (path) => fileURLToPath(new URL(path, new URL('../', import.meta.url)));
export const QUICK = process.env.BENCH_QUICK === '1';
export const MEASURE_S = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 8));
export const WARMUP_S = Number(process.env.BENCH_WARMUP ?? (QUICK ? 0.5 : 2));
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
export const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
export const COLD_REPEATS = Number(process.env.BENCH_COLD_REPEATS ?? (QUICK ? 3 : 10));
export const FLAT_ROUNDS = Number(process.env.BENCH_FLAT_ROUNDS ?? (QUICK ? 1 : 5));
export const IDLE_WAIT_S = Number(process.env.BENCH_IDLE_WAIT ?? (QUICK ? 0 : 120));
export const RETRIES = Number(process.env.BENCH_RETRIES ?? 2);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
export const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
export const wants = (section) => !ONLY || ONLY.has(section);

export const NOISY_PERCENT = 15;
export const TARGETS = { percentOfCeiling: 50, coldStartMedianMs: 150 };

export const log = (...args) => console.error('[bench]', ...args);

export function fmt(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
export const mib = (bytes) => fmt(bytes / 1048576, 1);

/** The memory section's middle ListKeys page (the 100-key listing has only 50 keys after its middle). */
export const MIDDLE_PAGE_LIMIT = 50;
