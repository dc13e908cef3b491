/**
 * docs/troubleshooting.md quotes the exact text kmslite answers or prints for each mistake a newcomer makes. Here
 * each mistake is made, and the text kmslite gives (with its variable parts — key ids, ports, paths, times — set to
 * the page's example values) must be on the page: a changed message, or a page edited by hand, fails.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import aws4 from 'aws4';
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { errorOf, kmsClient, logCapture, rawRequest, sendHttp, startTestKmslite, useTemporaryDirectory } from '../helpers/fixture.js';
import { codeBlocks, readDoc, ROOT } from '../helpers/docs.js';
import { BUNDLED_SEED_PATH } from '../../src/server/kmslite.js';
import { operatorGuard } from '../../src/server/operatorGuard.js';

const PAGE = readDoc('docs/troubleshooting.md');
/** The lines of the page's plain code blocks: the quoted errors and log lines. */
const QUOTED = codeBlocks(PAGE)
  .filter((block) => block.language === '')
  .flatMap((block) => block.text.split('\n'));
const BIN = join(ROOT, 'dist/bundle/kmslite.cjs');
const EXAMPLE_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const EXAMPLE_DATA = '/home/me/app/kms-data';
const SIGV4_TIME = /\d{8}T\d{6}Z/g;

/** The page quotes `text` as one line of a code block (a quoted error may span lines: then as a block's text). */
function expectQuoted(text: string): void {
  const blocks = codeBlocks(PAGE).map((block) => block.text);
  expect({ quoted: QUOTED.includes(text) || blocks.includes(text), text }).toEqual({ quoted: true, text });
}

/** A request signed with aws4 for any service and Region, optionally dated `date` (SigV4's basic format). */
function signedListAliases(endpoint: string, region: string, service: string, date?: string) {
  const url = new URL(endpoint);
  const options: aws4.Request & { headers: Record<string, string> } = {
    host: url.host,
    method: 'POST',
    path: '/',
    service,
    region,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListAliases', ...(date ? { 'X-Amz-Date': date } : {}) },
    body: '{}',
  };
  aws4.sign(options, { accessKeyId: 'test', secretAccessKey: 'test' });
  return sendHttp(endpoint, 'POST', '/', options.headers, '{}');
}

describe('requests to the KMS API', () => {
  test('wrong Region: NotFoundException, and the warning naming the Region that has it', async () => {
    const { logStream: stream, lines } = logCapture();
    const running = await startTestKmslite({ seedPath: BUNDLED_SEED_PATH, logLevel: 'info', logFormat: 'pretty', logStream: stream });
    try {
      const error = await errorOf(() => kmsClient(running, 'us-west-2').send(new DescribeKeyCommand({ KeyId: 'alias/kmslite-default' })));
      expectQuoted(`${error.name}: ${error.message}`);
      const warning = lines.find((line) => line.includes('NotFoundException for') && line.includes('Region eu-west-2;'))!;
      // Quoted without its time and its trailing fields (name=…, requestAccount=…).
      expectQuoted(warning.replace(/^\S+\s+/, '').split('  name=')[0]!);
    } finally {
      await running.stop();
    }
  });

  test('unsigned, unknown access key (strict), wrong secret, not a Region, not kms, no content type', async () => {
    const running = await startTestKmslite();
    const strict = await startTestKmslite({ strictCredentials: true });
    try {
      const answers = [
        await rawRequest(running, 'ListAliases', {}, { sign: false }),
        await rawRequest(strict, 'ListAliases', {}, { credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } }),
        await rawRequest(running, 'ListAliases', {}, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }),
        await signedListAliases(running.endpoint, 'eu-middle-9', 'kms'),
        await signedListAliases(running.endpoint, 'eu-west-2', 's3'),
      ];
      for (const { status, json } of answers) {
        expect(status).toBe(400);
        expectQuoted(`${json.__type}: ${json.message}`);
      }
      const noContentType = await rawRequest(running, 'ListAliases', {}, { contentType: 'application/x-www-form-urlencoded' });
      expect(noContentType.json).toEqual({ __type: 'UnknownOperationException' });
      expectQuoted('UnknownOperationException');
    } finally {
      await running.stop();
      await strict.stop();
    }
  });

  test('clock skew: Signature expired', async () => {
    const running = await startTestKmslite();
    try {
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, '');
      const { json } = await signedListAliases(running.endpoint, 'eu-west-2', 'kms', tenMinutesAgo);
      const shape = (text: string) => text.replace(SIGV4_TIME, '<time>');
      const quoted = QUOTED.find((line) => line.startsWith('InvalidSignatureException: Signature expired'))!;
      expect(shape(quoted)).toBe(shape(`${json.__type}: ${json.message}`));
    } finally {
      await running.stop();
    }
  });

  test('AccessDeniedException with --access-control enforce, for a declared principal without a policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmslite-troubleshooting-'));
    const seed = join(dir, 'seed.yaml');
    writeFileSync(seed, 'Principals:\n  - AccessKeyId: AKIAALICE00000000001\n    SecretAccessKey: alice-secret\n    Arn: arn:aws:iam::111122223333:user/alice\n');
    const running = await startTestKmslite({ seedPath: seed, accessControl: 'enforce' });
    try {
      const { KeyMetadata } = await kmsClient(running).send(new CreateKeyCommand({}));
      const { json } = await rawRequest(running, 'Encrypt', { KeyId: KeyMetadata!.KeyId, Plaintext: 'aGVsbG8=' }, { credentials: { accessKeyId: 'AKIAALICE00000000001', secretAccessKey: 'alice-secret' } });
      // AWS sends this error's text as `Message` (recorded), the SDK reads either.
      expectQuoted(`${json.__type}: ${(json.Message ?? json.message).replace(KeyMetadata!.KeyId!, EXAMPLE_KEY)}`);
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the operator API: Host, content type, Origin, token, loopback-only, key material export', async () => {
  const running = await startTestKmslite();
  const withToken = await startTestKmslite({ adminToken: 'the-token' });
  try {
    const answers = [
      await sendHttp(running.endpoint, 'GET', '/_kmslite/health', { Host: 'kms.example.com' }),
      await sendHttp(running.endpoint, 'POST', '/_kmslite/reset', {}),
      await sendHttp(running.endpoint, 'POST', '/_kmslite/reset', { 'Content-Type': 'application/json', Origin: 'http://evil.example' }),
      await sendHttp(withToken.endpoint, 'GET', '/_kmslite/health', {}),
      await sendHttp(running.endpoint, 'GET', '/_kmslite/state?includeKeyMaterial=true', {}),
    ];
    for (const { status, json } of answers) {
      expect({ status, type: json.__type }).toEqual({ status: 403, type: 'AccessDeniedException' });
      expectQuoted(json.message);
    }
    // A client on another host reaches kmslite only through the network; the guard decides from its address.
    const guard = operatorGuard({ boundHost: '0.0.0.0', allowedHosts: [], strictCredentials: true });
    let refusal: { message?: string } | undefined;
    const request = { method: 'GET', headers: { host: 'kms:8080' }, socket: { remoteAddress: '172.17.0.1' }, originalUrl: '/_kmslite/health' };
    guard(request as unknown as Request, {} as Response, (error?: unknown) => (refusal = error as { message?: string }));
    expectQuoted(refusal!.message!);
  } finally {
    await running.stop();
    await withToken.stop();
  }
});

// ---- start-up: the `kmslite` command's one line on stderr, exit code 1 ----------------------------------------------

function kmsliteCommand(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH! }, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stderr }),
    ),
  );
}

describe('start-up', () => {
  let dir: string;
  useTemporaryDirectory('kmslite-troubleshooting-', (path) => (dir = path), { eachTest: true });

  test('port in use', async () => {
    const holder: Server = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
    try {
      const { port } = holder.address() as { port: number };
      const { code, stderr } = await kmsliteCommand(['--port', String(port), '--no-seed'], dir);
      expect(code).toBe(1);
      expectQuoted(stderr.trim().replaceAll(`:${port}`, ':8080'));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  test('a data directory in use by another kmslite, one not valid, a data path that is a file', async () => {
    const data = join(dir, 'kms-data');
    const first = spawn(process.execPath, [BIN, '--port', '0', '--no-seed', '--data-path', data], { env: { PATH: process.env.PATH! }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        first.stdout!.on('data', (chunk) => {
          output += chunk;
          if (output.includes('kmslite listening')) resolve();
        });
        first.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const inUse = await kmsliteCommand(['--port', '0', '--no-seed', '--data-path', data], dir);
      expect(inUse.code).toBe(1);
      expectQuoted(inUse.stderr.trim().replace(data, EXAMPLE_DATA).replace(`pid ${first.pid} on ${hostname()}`, 'pid 4242 on my-laptop'));
    } finally {
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGTERM');
      await exited;
    }

    const damaged = join(dir, 'damaged', 'kms-data');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, 'kmslite-state.json'), 'junk\n');
    const notJson = await kmsliteCommand(['--port', '0', '--no-seed', '--data-path', damaged], dir);
    expect(notJson.code).toBe(1);
    expectQuoted(notJson.stderr.trim().replace(damaged, EXAMPLE_DATA));

    const file = join(dir, 'file', 'kms-data');
    mkdirSync(join(dir, 'file'));
    writeFileSync(file, '');
    const notDirectory = await kmsliteCommand(['--port', '0', '--no-seed', '--data-path', file], dir);
    expect(notDirectory.code).toBe(1);
    expectQuoted(notDirectory.stderr.trim().replace(file, EXAMPLE_DATA));
  });

  test('a seed file that is not there', async () => {
    const { code, stderr } = await kmsliteCommand(['--port', '0', '--seed-path', 'nonexistent.yaml'], dir);
    expect(code).toBe(1);
    expectQuoted(stderr.trim());
  });

  test('in a container: the start-up line names the address bound', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--no-seed', '--host', '127.0.0.1'], { env: { PATH: process.env.PATH! }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout!.on('data', (chunk) => {
          output += chunk;
          const found = output.split('\n').find((text) => text.includes('kmslite listening'));
          if (found) resolve(found);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const { address, endpoint } = JSON.parse(line);
      const port = address.split(':')[1];
      const quoted = QUOTED.find((text) => text.includes('"msg":"kmslite listening"'))!;
      // The page shows the line's start and its end, as kmslite writes them (time and port aside).
      const [start, end] = quoted.split(',...,');
      const actual = line.replace(/"time":"[^"]+"/, '"time":"2026-12-04T14:12:36.921Z"').replaceAll(`:${port}`, ':8080');
      expect(actual.startsWith(start!)).toBe(true);
      expect(actual.endsWith(end!)).toBe(true);
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
(hasAwsCli ? test : test.skip)("the aws CLI's own messages (skipped without the aws CLI)", async () => {
  const holder: Server = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
  });
  const { port } = holder.address() as { port: number };
  await new Promise((resolve) => holder.close(resolve)); // a port nothing listens on
  const home = mkdtempSync(join(tmpdir(), 'kmslite-troubleshooting-home-'));
  const aws = (env: Record<string, string>, endpoint: string) =>
    new Promise<string>((resolve) =>
      execFile('aws', ['kms', 'list-keys', '--endpoint-url', endpoint], { env: { PATH: process.env.PATH!, HOME: home, ...env }, timeout: 60_000 }, (_error, _stdout, stderr) => resolve(stderr.trim())),
    );
  try {
    const endpoint = `http://localhost:${port}`;
    expectQuoted(await aws({ AWS_DEFAULT_REGION: 'eu-west-2' }, endpoint));
    expectQuoted(await aws({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, endpoint));
    expectQuoted((await aws({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'eu-west-2' }, endpoint)).replace(`:${port}/`, ':8080/'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 120_000);
