/**
 * The operator surface (/_kmslite/*, /moto-api/*) is closed by default (README, "Security"): loopback bind, Host
 * check, cross-site refusal, key-material export setting, operator token, loopback-only under strict mode without a
 * token; and the documented tools (moto's reset, the Docker HEALTHCHECK, compose service names, the README's
 * curl) still work.
 */
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { Kmslite, type RunningKmslite } from '../../src/index.js';
import { operatorGuard } from '../../src/server/operatorGuard.js';
import { kmsClient, useKmslite, withKmslite, running } from '../helpers/fixture.js';
import { corsHeaders, send } from './http.js';

const JSON_TYPE = { 'content-type': 'application/json' };

useKmslite();

async function keyCount(server: RunningKmslite): Promise<number> {
  const kms = kmsClient(server);
  const count = (await kms.send(new ListKeysCommand({}))).Keys!.length;
  kms.destroy();
  return count;
}

function expectDenied(sent: { status: number; json: any; headers: Record<string, unknown> }, text: string): void {
  expect(sent.status).toBe(403);
  expect(sent.headers['content-type']).toContain('application/x-amz-json-1.1');
  expect(sent.json.__type).toBe('AccessDeniedException');
  expect(sent.json.message).toContain(text);
}

describe('network default', () => {
  test('binds 127.0.0.1 when no host is given, and says so', async () => {
    const kmslite = await Kmslite.create({ port: 0, seedPath: false, logLevel: 'silent' }, {});
    try {
      expect(kmslite.config.host).toBe('127.0.0.1');
      const { endpoint, address, port } = await kmslite.listen();
      expect(address).toBe(`127.0.0.1:${port}`);
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await kmslite.close();
    }
  });

  test('KMSLITE_HOST (the Docker image sets 0.0.0.0) and the host setting still choose the address', async () => {
    const kmslite = await Kmslite.create({ port: 0, seedPath: false, logLevel: 'silent' }, { KMSLITE_HOST: '0.0.0.0' });
    try {
      const { address, endpoint, port } = await kmslite.listen();
      expect(address).toBe(`0.0.0.0:${port}`);
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
      expect((await send(endpoint, 'GET', '/_kmslite/health')).status).toBe(200);
    } finally {
      await kmslite.close();
    }
  });
});

describe('Host check', () => {
  test('a foreign multi-label Host (DNS rebinding) is refused with an AWS-shaped error', async () => {
    expectDenied(await send(running.endpoint, 'GET', '/_kmslite/state', { host: 'attacker.example:8080' }), "Host 'attacker.example:8080' is not allowed");
    expectDenied(await send(running.endpoint, 'GET', '/_kmslite/health', { host: '10.1.2.3' }), 'is not allowed');
  });

  test.each(['localhost', `localhost:${8080}`, '127.0.0.1:9', '[::1]:8080', 'kms:8080', 'kmslite'])('Host %s is answered', async (host) => {
    expect((await send(running.endpoint, 'GET', '/_kmslite/health', { host })).status).toBe(200);
  });

  test('--allowed-hosts adds names', async () => {
    await withKmslite({ allowedHosts: 'kms.dev.internal, other.example' }, async (server) => {
      expect((await send(server.endpoint, 'GET', '/_kmslite/health', { host: 'kms.dev.internal:8080' })).status).toBe(200);
      expectDenied(await send(server.endpoint, 'GET', '/_kmslite/health', { host: 'third.example' }), 'not allowed');
    });
  });
});

describe('cross-site use', () => {
  test('a simple (text/plain, form or no content type) state-changing request is refused and changes nothing', async () => {
    const kms = kmsClient(running);
    await kms.send(new CreateKeyCommand({}));
    const before = await keyCount(running);
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/reset', { 'content-type': 'text/plain' }, '{}'), 'Content-Type: application/json');
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/reset', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'), 'Content-Type: application/json');
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/clock/advance', { 'content-type': 'text/plain;charset=UTF-8' }, '{"days":7}'), 'Content-Type');
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/reset'), 'Content-Type');
    expect(await keyCount(running)).toBe(before);
    expect((await send(running.endpoint, 'GET', '/_kmslite/clock')).json.offsetMs).toBe(0);
    kms.destroy();
  });

  test('a foreign Origin or a cross-site Sec-Fetch-Site is refused even with a JSON body', async () => {
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/clock/advance', { ...JSON_TYPE, origin: 'https://attacker.example' }, '{"days":1}'), "Origin 'https://attacker.example'");
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/clock/advance', { ...JSON_TYPE, origin: 'null' }, '{"days":1}'), 'Origin');
    expectDenied(await send(running.endpoint, 'POST', '/_kmslite/clock/advance', { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }, '{"days":1}'), 'Sec-Fetch-Site');
    expect((await send(running.endpoint, 'GET', '/_kmslite/clock')).json.offsetMs).toBe(0);
  });

  test('same-origin JSON, no-Origin JSON and the X-Kmslite-Operator header are served', async () => {
    const origin = running.endpoint;
    expect((await send(running.endpoint, 'POST', '/_kmslite/clock/reset', { ...JSON_TYPE, origin, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await send(running.endpoint, 'POST', '/_kmslite/clock/reset', JSON_TYPE)).status).toBe(200);
    expect((await send(running.endpoint, 'POST', '/_kmslite/clock/reset', { 'x-kmslite-operator': '1' })).status).toBe(200);
  });

  test('no CORS header is ever sent: not on a preflight, a refusal or a success', async () => {
    const origin = { origin: 'https://attacker.example' };
    const preflight = await send(running.endpoint, 'OPTIONS', '/_kmslite/reset', { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(corsHeaders(preflight)).toEqual([]);
    expect(corsHeaders(await send(running.endpoint, 'POST', '/_kmslite/reset', { ...origin, ...JSON_TYPE }))).toEqual([]);
    expect(corsHeaders(await send(running.endpoint, 'GET', '/_kmslite/health', origin))).toEqual([]);
  });

  test("moto's reset as moto's client sends it (POST, no body, no Origin) still resets; with an Origin or a body it must be JSON", async () => {
    const kms = kmsClient(running);
    await kms.send(new CreateKeyCommand({}));
    expect(await keyCount(running)).toBeGreaterThan(0);
    // python-requests' `requests.post(url)`: these headers and nothing else.
    const motoHeaders = { 'user-agent': 'python-requests/2.32.3', 'accept-encoding': 'gzip, deflate', accept: '*/*', connection: 'keep-alive', 'content-length': '0' };
    expectDenied(await send(running.endpoint, 'POST', '/moto-api/reset', { ...motoHeaders, origin: 'https://attacker.example' }), 'Origin');
    expectDenied(await send(running.endpoint, 'POST', '/moto-api/reset', { 'content-type': 'text/plain' }, 'x'), 'Content-Type');
    expect(await keyCount(running)).toBeGreaterThan(0);
    const reset = await send(running.endpoint, 'POST', '/moto-api/reset', motoHeaders);
    expect(reset.status).toBe(200);
    expect(reset.json.status).toBe('reset');
    expect(await keyCount(running)).toBe(0);
    kms.destroy();
  });
});

describe('key material export', () => {
  test('refused by default with an AWS-shaped error; the plain export still works', async () => {
    const refused = await send(running.endpoint, 'GET', '/_kmslite/state?includeKeyMaterial=true');
    expectDenied(refused, '--allow-key-material-export');
    const plain = await send(running.endpoint, 'GET', '/_kmslite/state');
    expect(plain.status).toBe(200);
  });

  test('exported with --allow-key-material-export', async () => {
    await withKmslite({ allowKeyMaterialExport: true }, async (server) => {
      const kms = kmsClient(server);
      await kms.send(new CreateKeyCommand({}));
      kms.destroy();
      const state = await send(server.endpoint, 'GET', '/_kmslite/state?includeKeyMaterial=true');
      expect(state.status).toBe(200);
      expect(state.json.stores[0].keys[0].keyMaterials[0].material).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});

describe('operator token', () => {
  const TOKEN = 'op-token-3f9c1e77a2';
  let server: RunningKmslite;
  let logs = '';
  const logStream = new Writable({ write: (chunk, _encoding, done) => ((logs += chunk.toString()), done()) });
  useKmslite((started) => ({ running: server } = started), { logLevel: 'trace', adminToken: TOKEN, logStream });

  test('every operator request needs Authorization: Bearer <token>; the token is never echoed or logged', async () => {
    for (const path of ['/_kmslite/health', '/_kmslite/state', '/_kmslite/audit']) {
      expectDenied(await send(server.endpoint, 'GET', path), 'Authorization: Bearer');
      expectDenied(await send(server.endpoint, 'GET', path, { authorization: 'Bearer wrong' }), 'Authorization: Bearer');
      expect((await send(server.endpoint, 'GET', path, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    }
    expectDenied(await send(server.endpoint, 'POST', '/moto-api/reset', { 'content-length': '0' }), 'Authorization: Bearer');
    const wrong = await send(server.endpoint, 'POST', '/_kmslite/reset', { authorization: `Bearer ${TOKEN}x`, ...JSON_TYPE });
    expect(wrong.body).not.toContain(TOKEN);
    expect((await send(server.endpoint, 'POST', '/_kmslite/reset', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(logs).not.toContain(TOKEN);
  });

  test("the image's HEALTHCHECK command sends the token from KMSLITE_ADMIN_TOKEN", async () => {
    const port = String(new URL(server.endpoint).port);
    expect(await runHealthcheck({ PORT: port, KMSLITE_ADMIN_TOKEN: TOKEN })).toBe(0);
    expect(await runHealthcheck({ PORT: port })).toBe(1);
  });
});

test("the image's HEALTHCHECK command (Dockerfile) passes against a default kmslite", async () => {
  expect(await runHealthcheck({ PORT: String(new URL(running.endpoint).port) })).toBe(0);
});

test("docs/operator-api.md's curl commands work as written", async () => {
  const base = running.endpoint;
  const readme = readFileSync(new URL('../../docs/operator-api.md', import.meta.url), 'utf8');
  // The operator API's one-line commands (the signed KMS call is run by test/protocol/readableOutput.test.ts).
  const commands = [...readme.matchAll(/^curl (.+)$/gm)].map((match) => match[1]!).filter((command) => command.includes('/_kmslite/'));
  expect(commands.length).toBeGreaterThanOrEqual(3);
  for (const command of commands) {
    // The page's words split as the shell would (single-quoted words only), pointed at this server.
    const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => (match[1] ?? match[2]!).replace('http://localhost:8080', base));
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args], { timeout: 15_000 }, (error, out) => resolve({ code: error ? 1 : 0, stdout: out })),
    );
    expect({ command, code, status: stdout }).toEqual({ command, code: 0, status: '200' });
  }
});

describe('--strict-credentials without a token: loopback clients only', () => {
  function run(remoteAddress: string, strictCredentials: boolean, adminToken?: string): unknown {
    const guard = operatorGuard({ boundHost: '0.0.0.0', allowedHosts: [], strictCredentials, adminToken });
    const request = { method: 'GET', headers: { host: 'kms:8080', ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}) }, socket: { remoteAddress }, originalUrl: '/_kmslite/health' };
    let passed: unknown = 'not called';
    guard(request as unknown as Request, {} as Response, (error?: unknown) => (passed = error));
    return passed;
  }

  test('a client on another host is refused; loopback, permissive mode and token holders are served', () => {
    expect(run('172.17.0.1', true)).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('loopback clients only') });
    expect(run('::ffff:10.0.0.7', true)).toMatchObject({ name: 'AccessDeniedException' });
    expect(run('127.0.0.1', true)).toBeUndefined();
    expect(run('::1', true)).toBeUndefined();
    expect(run('::ffff:127.0.0.1', true)).toBeUndefined();
    expect(run('172.17.0.1', false)).toBeUndefined();
    expect(run('172.17.0.1', true, 'tok')).toBeUndefined();
  });

  test('through the server: a strict kmslite still answers its loopback operator', async () => {
    await withKmslite({ strictCredentials: true }, async (server) => {
      expect((await send(server.endpoint, 'GET', '/_kmslite/health')).status).toBe(200);
    });
  });
});

/** Runs the Dockerfile's HEALTHCHECK command (`node -e …`) with `env`; resolves its exit code. */
function runHealthcheck(env: Record<string, string>): Promise<number> {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const match = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile);
  if (!match) throw new Error('no HEALTHCHECK CMD in the Dockerfile');
  const [command, ...args] = JSON.parse(match[1]!) as string[];
  expect(command).toBe('node');
  return new Promise((resolve) =>
    execFile(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, timeout: 15_000 }, (error) => resolve(error ? (typeof error.code === 'number' ? error.code : 2) : 0)),
  );
}
