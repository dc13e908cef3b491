// Vitest globalSetup: kmslite in the main process, on a free port, with the shipped seed
// (alias/kmslite-default). The function it returns is the teardown.
import { startKmslite } from 'kmslite';

export default async function setup(project) {
  const kms = await startKmslite({ port: 0, host: '127.0.0.1' });
  project.provide('kmsEndpoint', kms.endpoint);
  return () => kms.stop();
}
