/** Network helpers with no kmslite import, for the suites that run the built command or the packed tarball. */
import { createServer } from 'node:net';

/** A TCP port the OS just had free on 127.0.0.1, for a kmslite started in another process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
