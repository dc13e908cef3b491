/**
 * docs/contributing/benchmarks.md ("Access control") tells users to run `node bench/access-control.mjs` after building; this runs
 * it as documented, with tiny rounds, against dist/ (which `npm test` builds first), so the command keeps working
 * and its enforce scenario (4-statement key policy, a declared user) stays allowed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../bench/access-control.mjs', import.meta.url));

test('node bench/access-control.mjs prints off and enforce CPU per Encrypt and Decrypt', () => {
  const out = execFileSync(process.execPath, [SCRIPT], {
    env: { ...process.env, BENCH_ROUNDS: '1', BENCH_ROUND_MS: '20', BENCH_WARMUP_MS: '20' },
    encoding: 'utf8',
  });
  expect(out).toMatch(/^Encrypt\s+off\s+[\d.]+ µs CPU\/request\s+enforce\s+[\d.]+\s+difference \(median of 1 paired rounds\) -?[\d.]+ µs$/m);
  expect(out).toMatch(/^Decrypt\s+off\s+[\d.]+ µs CPU\/request\s+enforce\s+[\d.]+/m);
});
