/**
 * A kmslite started the way a user's shell starts it (a documented command run through bash), for the suites that
 * run the docs' commands as written (test/clients/migrating.test.ts, test/packaging/docsCommands.test.ts).
 * Each server runs in its own process group, so stopping it reaches kmslite whether or not bash exec'd it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ShellServer {
  child: ChildProcess;
  /** Everything it wrote so far (stdout and stderr). */
  output: () => string;
}

/** Runs `command` through bash in `cwd` until kmslite logs that it listens; rejects on exit or after `timeoutMs`. */
export async function startShellServer(command: string, options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number }): Promise<ShellServer> {
  const child = spawn('bash', ['-c', command], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const server = { child, output: () => output };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "kmslite listening" within ${options.timeoutMs / 1000} s: ${output}`)), options.timeoutMs);
      const check = () => {
        if (output.includes('"msg":"kmslite listening"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${output}`));
      });
    });
  } catch (error) {
    await stopShellServer(server);
    throw error;
  }
  return server;
}

/** SIGTERM to the server's process group (bash and kmslite, whichever is still there), then its exit. */
export async function stopShellServer({ child }: ShellServer): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}
