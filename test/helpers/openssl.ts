/** The openssl command line, for checking kmslite's cryptography with an independent implementation. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** `openssl pkeyutl` exit status and output; never throws. */
export async function pkeyutl(args: string[]): Promise<{ ok: boolean; stdout: Buffer }> {
  try {
    const { stdout } = await run('openssl', ['pkeyutl', ...args], { encoding: 'buffer' });
    return { ok: true, stdout };
  } catch (error) {
    return { ok: false, stdout: (error as { stdout?: Buffer }).stdout ?? Buffer.alloc(0) };
  }
}
