// Zero configuration under `--access-control enforce`: an existing operation suite, unchanged, with access control
// on and no principals declared (test/helpers/kmslite.ts reads KMSLITE_TEST_ACCESS_CONTROL when the suite starts kmslite).
process.env.KMSLITE_TEST_ACCESS_CONTROL = 'enforce';
await import('../operations/symmetricCrypto.test.js');
