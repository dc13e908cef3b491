// Zero configuration under `--access-control enforce`: test/operations/grants.test.ts, unchanged, with access control
// on and no principals declared (test/helpers/kmslite.ts reads KMSLITE_TEST_ACCESS_CONTROL when a suite starts kmslite).
process.env.KMSLITE_TEST_ACCESS_CONTROL = 'enforce';
await import('../operations/grants.test.js');
