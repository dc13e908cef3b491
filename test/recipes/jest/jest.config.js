// Jest: one kmslite for the whole run, started before the first test file and stopped after the last.
module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/kmslite.setup.js',
  globalTeardown: '<rootDir>/kmslite.teardown.js',
};
