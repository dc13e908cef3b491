// Jest globalTeardown: stops the kmslite that kmslite.setup.js started.
module.exports = async function globalTeardown() {
  await globalThis.__KMSLITE__?.stop();
};
