/**
 * bench/wrk/luaScript.mjs: the requests `npm run bench` hands to wrk are raw HTTP/1.1 bytes signed in Node,
 * dated a few minutes ahead. Here they are sent as they are, over a plain socket, to a kmslite: each must be a
 * valid, signed request that kmslite answers 200 (wrk itself is not needed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { kmsClient, withKmslite } from '../helpers/fixture.js';

/** Sends `raw` on a fresh connection; resolves the status line. */
function sendRaw(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw, 'latin1'));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.slice(0, received.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
  });
}

test('every request of a generated wrk script is a signed request kmslite answers 200', async () => {
  await withKmslite({}, async (running) => {
    const key = (await kmsClient(running).send(new CreateKeyCommand({}))).KeyMetadata!;
    const port = Number(new URL(running.endpoint).port);
    const path = join(mkdtempSync(join(tmpdir(), 'kmslite-wrk-test-')), 'script.lua');
    const requests = [
      { operation: 'Encrypt', body: { KeyId: key.KeyId, Plaintext: Buffer.alloc(32, 1).toString('base64') } },
      { operation: 'DescribeKey', body: { KeyId: key.KeyId } },
      { operation: 'GenerateDataKey', body: { KeyId: key.KeyId, KeySpec: 'AES_256' } },
    ];
    const module = new URL('../../bench/wrk/luaScript.mjs', import.meta.url).href;
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { writeLuaScript } from ${JSON.stringify(module)}; writeLuaScript(${JSON.stringify(path)}, ${port}, ${JSON.stringify(requests)});`]);

    const script = readFileSync(path, 'utf8');
    const literals = script.slice(script.indexOf('local requests = {') + 'local requests = {'.length, script.indexOf('\n}\n')).trim().split(',\n');
    expect(literals).toHaveLength(requests.length);
    for (const literal of literals) {
      const raw = JSON.parse(literal) as string;
      expect(raw).toMatch(/^POST \/ HTTP\/1\.1\r\n/);
      expect(await sendRaw(port, raw)).toBe('HTTP/1.1 200 OK');
    }
    expect(script).toContain('WRKJSON');
  });
});
