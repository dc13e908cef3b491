/**
 * The console as users get it: the bundled `kmslite` command (dist/bundle/kmslite.cjs, built by `npm test`'s
 * build step, with the console's files copied to dist/console) prints the console's address at start-up and
 * serves the page there.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/bundle/kmslite.cjs', import.meta.url));

test('the kmslite command logs the console URL and serves the console from the package files', async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
  const child = spawn(process.execPath, [BIN, '--port', '0', '--host', '127.0.0.1'], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    // Up to 20 s: a busy CI machine running every test file at once can be slow to start a process.
    for (let i = 0; i < 800 && !/\/_kmslite\/console\/\S*/.test(output); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const url = /(http:\/\/[^\s"]+\/_kmslite\/console\/)/.exec(output)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_kmslite\/console\/$/);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    const script = await fetch(new URL('app.js', url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});
