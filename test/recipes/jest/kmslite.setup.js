// Jest globalSetup: kmslite in this process, on a free port, with the shipped seed (alias/kmslite-default).
const { startKmslite } = require('kmslite');

module.exports = async function globalSetup() {
  const kms = await startKmslite({ port: 0, host: '127.0.0.1' });
  // The test files run in workers started after this and inherit these variables: a KMSClient made with
  // default settings (yours or your code's) talks to kmslite, with credentials it knows.
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  process.env.AWS_REGION = 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  // globalTeardown runs in this same process: it stops the server through this global.
  globalThis.__KMSLITE__ = kms;
};
