/**
 * docs/access-control.md tells users to run `node bench/authz.mjs` after building; this runs it as documented
 * (with tiny counts) against dist/, which `npm test` builds first, so the command stays working.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../bench/authz.mjs', import.meta.url));

test('node bench/authz.mjs prints a time per decision for each scenario', () => {
  const out = execFileSync(process.execPath, [SCRIPT], { env: { ...process.env, BENCH_AUTHZ_RUNS: '2000', BENCH_AUTHZ_ROUNDS: '1' }, encoding: 'utf8' });
  expect(out).toMatch(/authorize: user via delegation \+ identity policy\s+\d+ ns/);
  expect(out).toMatch(/authorize: user named in the key policy \(condition\)\s+\d+ ns/);
  expect(out).toMatch(/authorize: account root\s+\d+ ns/);
  expect(out).toMatch(/compilePolicy \(the 4-statement key policy\)\s+[\d.]+ µs/);
});
