/**
 * Programmatic use, e.g. from a Jest or Vitest global setup:
 *
 *   const kms = await startKmslite({ port: 0 });   // port 0 = any free port
 *   new KMSClient({ endpoint: kms.endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 *   await kms.stop();
 */
import { Kmslite } from './server/kmslite.js';
import type { ConfigOverrides } from './config/config.js';

export { Kmslite } from './server/kmslite.js';
export type { ConfigOverrides, KmsliteConfig, LogLevel } from './config/config.js';
export type { AccessControlMode, PrincipalDeclaration } from './authz/index.js';

export interface StartOptions extends ConfigOverrides {
  /** Environment to read settings from; defaults to process.env. Pass {} to ignore the environment. */
  env?: NodeJS.ProcessEnv;
  /** Where log lines go; defaults to stdout. */
  logStream?: NodeJS.WritableStream;
}

export interface RunningKmslite {
  endpoint: string;
  port: number;
  kmslite: Kmslite;
  stop(): Promise<void>;
}

export async function startKmslite(options: StartOptions = {}): Promise<RunningKmslite> {
  const { env, logStream, ...overrides } = options;
  // In-process users (test suites) get quiet logs unless they ask for them.
  const kmslite = await Kmslite.create({ logLevel: 'warn', ...overrides }, env ?? process.env, logStream);
  const { port, endpoint } = await kmslite.listen();
  return { endpoint, port, kmslite, stop: () => kmslite.close() };
}
