/**
 * Output for a person at a terminal: the pretty log format (request lines, error messages, hints for common
 * mistakes, logged once per cause), the start-up banner and its ready-to-paste aws CLI command, and the README's curl
 * example, read from the README. The JSON format stays the default off a terminal (test/protocol/logging.test.ts).
 */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import aws4 from 'aws4';
import { request as httpRequest } from 'node:http';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { errorOf, kmsClient, rawRequest, startTestKmslite, withKmslite } from '../helpers/fixture.js';
import { formatLine } from '../../src/server/prettyLog.js';
import { oncePerCause } from '../../src/server/hints.js';
import { bannerFacts, startupBanner } from '../../src/server/banner.js';
import { BUNDLED_SEED_PATH } from '../../src/server/kmslite.js';
import { kmsliteVersion } from '../../src/version.js';
import { readDoc, shellCommands, shellWords } from '../helpers/docs.js';
import type { RunningKmslite, StartOptions } from '../../src/index.js';

/** A log destination that keeps lines; `tty` makes it look like a terminal. */
function lineSink(tty = false): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  if (tty) Object.assign(stream, { isTTY: true });
  return { stream, lines };
}

/** A kmslite for one test whose log lines (level info) `body` reads. */
async function withLoggedKmslite(options: StartOptions, body: (running: RunningKmslite, lines: string[]) => Promise<void>, tty = false) {
  const { stream, lines } = lineSink(tty);
  await withKmslite({ logLevel: 'info', logStream: stream, ...options }, (running) => body(running, lines));
}

const hints = (lines: string[]) => lines.filter((line) => line.includes('hint:'));

describe('the pretty format', () => {
  test('formats a request line: time, status, operation, account and Region, key, duration; an error with its message', () => {
    const ok = formatLine('{"level":30,"time":"2026-12-04T10:52:01.123Z","requestId":"r1","operation":"Encrypt","accountId":"111122223333","region":"eu-west-2","keyId":"alias/a","status":200,"durationMs":0.812,"msg":"request"}');
    expect(ok).toBe('10:52:01.123  200  Encrypt              111122223333 eu-west-2  alias/a  0.8 ms');
    const failed = formatLine(
      '{"level":30,"time":"2026-12-04T10:52:01.456Z","requestId":"r2","operation":"Decrypt","accountId":"111122223333","region":"eu-west-2","error":"NotFoundException","errorMessage":"Key \'k\' does not exist","status":400,"durationMs":0.4,"msg":"request"}',
    );
    expect(failed).toBe("10:52:01.456  400  Decrypt              111122223333 eu-west-2  NotFoundException: Key 'k' does not exist  0.4 ms");
    expect(formatLine('{"level":40,"time":"2026-12-04T10:52:02.000Z","accessKeyId":"AKID","msg":"careful"}')).toBe('10:52:02.000  WARN  careful  accessKeyId=AKID');
    expect(formatLine('not json')).toBe('not json');
  });

  test('is the default on a terminal; JSON is the default elsewhere; --log-format / KMSLITE_LOG_FORMAT choose', async () => {
    await withLoggedKmslite({}, async (running, lines) => {
      expect(running.kmslite.logFormat).toBe('pretty');
      await kmsClient(running).send(new CreateKeyCommand({}));
      // On a terminal the duration is dimmed (ANSI codes): compared without them.
      expect(lines.map((line) => line.replace(/\x1b\[\d+m/g, ''))).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} {2}200 {2}CreateKey +111122223333 eu-west-2 {2}\d+\.\d ms$/)]);
    }, true);
    await withLoggedKmslite({ env: { KMSLITE_LOG_FORMAT: 'json' } }, async (running) => expect(running.kmslite.logFormat).toBe('json'), true);
    await withLoggedKmslite({}, async (running) => expect(running.kmslite.logFormat).toBe('json'));
    await withLoggedKmslite({ logFormat: 'pretty' }, async (running) => expect(running.kmslite.logFormat).toBe('pretty'));
    await expect(startTestKmslite({ env: { KMSLITE_LOG_FORMAT: 'fancy' } })).rejects.toThrow("Invalid log format 'fancy': expected pretty or json");
  });

  test('error lines carry the error message, in both formats; never the plaintext, and never the echoed Authorization header', async () => {
    for (const logFormat of ['pretty', 'json'] as const) {
      await withLoggedKmslite({ logFormat }, async (running, lines) => {
        const kms = kmsClient(running);
        await errorOf(() => kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: Buffer.from('SECRET-PLAINTEXT') })));
        // An Authorization header without its Signature: AWS's message echoes the whole header back.
        const incomplete = await rawRequest(running, 'ListKeys', {}, { sign: false, headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-2/kms/aws4_request, SignedHeaders=host, Signature=abcdef0123456789' } });
        expect(incomplete.json.message).toContain('Authorization=AWS4-HMAC-SHA256');
        const text = lines.join('\n');
        expect(text).toContain('Alias arn:aws:kms:eu-west-2:111122223333:alias/missing is not found.');
        expect(text).toContain('IncompleteSignatureException');
        expect(text).toContain('Authorization=(not logged)');
        expect(text).not.toContain('abcdef0123456789');
        expect(text).not.toContain('SECRET-PLAINTEXT');
        expect(text).not.toContain(Buffer.from('SECRET-PLAINTEXT').toString('base64'));
        if (logFormat === 'json') {
          const failed = lines.map((line) => JSON.parse(line)).find((entry) => entry.error === 'NotFoundException');
          expect(failed.errorMessage).toBe('Alias arn:aws:kms:eu-west-2:111122223333:alias/missing is not found.');
        }
      });
    }
  });
});

describe('hints for common mistakes, once per cause', () => {
  test('oncePerCause logs each cause once, and stops remembering new causes at its limit', () => {
    const logged: string[] = [];
    const once = oncePerCause(2);
    for (const cause of ['a', 'a', 'b', 'c', 'a', 'b']) once(cause, () => logged.push(cause));
    expect(logged).toEqual(['a', 'b']);
  });

  test('an unsigned request: how to sign, curl form included', async () => {
    await withLoggedKmslite({}, async (running, lines) => {
      for (let i = 0; i < 3; i++) expect((await rawRequest(running, 'ListKeys', {}, { sign: false })).status).toBe(400);
      expect(hints(lines)).toEqual([expect.stringContaining('without an AWS SigV4 signature')]);
      expect(hints(lines)[0]).toContain('--aws-sigv4 \\"aws:amz:<region>:kms\\" --user test:test');
    });
  });

  test('an unknown access key under --strict-credentials: named, with the fix', async () => {
    await withLoggedKmslite({ strictCredentials: true }, async (running, lines) => {
      const stranger = { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'whatever' };
      for (let i = 0; i < 2; i++) expect((await rawRequest(running, 'ListKeys', {}, { credentials: stranger })).json.__type).toBe('UnrecognizedClientException');
      await rawRequest(running, 'ListKeys', {}, { credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } });
      expect(hints(lines)).toEqual([expect.stringContaining('access key AKIASTRANGER has no secret'), expect.stringContaining('access key AKIAOTHER has no secret')]);
      expect(hints(lines)[0]).toContain('--credentials AKIASTRANGER:<secret>');
    });
  });

  test('a client clock more than 5 minutes off: the signing window', async () => {
    await withLoggedKmslite({}, async (running, lines) => {
      const url = new URL(running.endpoint);
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, '');
      for (let i = 0; i < 2; i++) {
        const options: aws4.Request & { headers: Record<string, string> } = {
          host: url.host,
          method: 'POST',
          path: '/',
          service: 'kms',
          region: 'eu-west-2',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys', 'X-Amz-Date': tenMinutesAgo },
          body: '{}',
        };
        aws4.sign(options, { accessKeyId: 'test', secretAccessKey: 'test' });
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest({ hostname: url.hostname, port: url.port, method: 'POST', path: '/', headers: options.headers }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end('{}');
        });
        expect(status).toBe(400);
      }
      expect(hints(lines)).toEqual([expect.stringContaining("more than 5 minutes away from this machine's clock")]);
    });
  });

  test('a key that exists in another Region, or in another account', async () => {
    await withLoggedKmslite({}, async (running, lines) => {
      const { KeyMetadata } = await kmsClient(running).send(new CreateKeyCommand({}));
      const inUsEast1 = kmsClient(running, 'us-east-1');
      for (let i = 0; i < 2; i++) expect((await errorOf(() => inUsEast1.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })))).name).toBe('NotFoundException');
      // A 12-digit access key id acts as that account (README, "Accounts, Regions and credentials").
      const otherAccount = kmsClient(running, 'eu-west-2', { accessKeyId: '444455556666', secretAccessKey: 'x' });
      await errorOf(() => otherAccount.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })));
      // A key that exists nowhere gets no hint.
      await errorOf(() => inUsEast1.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })));
      // Logged by the pipeline's NotFound warning (src/server/notFoundHint.ts), once per cause, in the pretty format too.
      const elsewhere = lines.filter((line) => line.includes('NotFoundException for'));
      expect(elsewhere).toEqual([
        expect.stringContaining(`NotFoundException for ${KeyMetadata!.KeyId} in account 111122223333, Region us-east-1: it exists in account 111122223333, Region eu-west-2`),
        expect.stringContaining(`NotFoundException for ${KeyMetadata!.KeyId} in account 444455556666, Region eu-west-2: it exists in account 111122223333, Region eu-west-2`),
      ]);
      expect(elsewhere[0]).toContain('configure the client for eu-west-2');
      expect(elsewhere[1]).toContain('the account comes from the access key');
    });
  });
});

describe('the start-up banner', () => {
  test('version, address, seed, keys and aliases per account and Region, and an aws CLI command that works as pasted', async () => {
    await withLoggedKmslite({ seedPath: BUNDLED_SEED_PATH }, async (running) => {
      const banner = startupBanner(bannerFacts(running.kmslite, running.endpoint, running.port));
      expect(banner).toContain(`kmslite ${kmsliteVersion()}: AWS KMS on ${running.endpoint} (listening on 127.0.0.1:${running.port})`);
      expect(banner).toContain(`seed        ${BUNDLED_SEED_PATH}`);
      expect(banner).toContain('keys        account 111122223333  eu-west-2      2 keys, 2 aliases');
      expect(banner).toContain('            account 111122223333  us-east-1      1 key, 1 alias');
      expect(banner).not.toMatch(/^  console /m); // no console row without its address (the seed path may contain the word)
      const command = banner.split('\n').find((line) => line.includes(' aws kms '))!.trim();
      expect(command).toBe(
        `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms --endpoint-url ${running.endpoint} --region eu-west-2 encrypt --key-id alias/kmslite-default --plaintext aGVsbG8= --query CiphertextBlob --output text`,
      );
      // Pasted into a shell (the aws CLI is a test dependency of this suite: test/clients/awsCli.test.ts).
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile('sh', ['-c', command], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 }, (error, out, err) => resolve({ code: error ? 1 : 0, stdout: out, stderr: err })),
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout.trim()).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    });
  }, 60_000);

  test('with no keys it suggests create-key; the console address shows once there is one', async () => {
    await withLoggedKmslite({}, async (running) => {
      const facts = bannerFacts(running.kmslite, running.endpoint, running.port, 'http://127.0.0.1:1/_kmslite/console');
      const banner = startupBanner(facts);
      expect(banner).toContain('keys        none yet');
      expect(banner).toContain('console     http://127.0.0.1:1/_kmslite/console');
      expect(banner).toContain('create-key --query KeyMetadata.KeyId --output text');
    });
  });
});

test("the README's curl example, as written: --aws-sigv4 \"aws:amz:<region>:kms\" --user test:test", async () => {
  // Read from the README (its one curl command in a ```sh block), pointed at this server; run without a shell.
  const [readmeCurl, ...others] = shellCommands(readDoc('README.md')).filter((command) => command.startsWith('curl '));
  expect(others).toEqual([]);
  expect(readmeCurl).toContain('--aws-sigv4 "aws:amz:eu-west-2:kms" --user test:test');
  await withLoggedKmslite({ seedPath: BUNDLED_SEED_PATH }, async (running) => {
    const words = shellWords(readmeCurl!);
    expect(words).toContain('http://localhost:8080/');
    const args = ['-s', ...words.slice(1).map((word) => word.replace('http://localhost:8080', running.endpoint))];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('curl', args, { timeout: 30_000 }, (error, out, err) => resolve({ code: error ? 1 : 0, stdout: out, stderr: err })),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).Aliases.map((alias: { AliasName: string }) => alias.AliasName)).toContain('alias/kmslite-default');
  });
});
