/**
 * src/server/sigv4.ts against four independent real signers (@smithy/signature-v4 inside SDK v3, aws4,
 * botocore, the aws CLI / boto3 end to end), plus every error path with its exact AWS text.
 *
 * Requests signed by a real client are sent over a real socket to a capture server, so the verifier sees
 * exactly what node:http hands the emulator (lowercased names, joined duplicates, the Host as sent).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SmithyHttpRequest, SourceData } from '@smithy/types';
import { KMSClient, ListKeysCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { KmsError } from '../../src/protocol/errors.js';
import {
  clearSigningKeyCache,
  verifySigV4,
  type CredentialEntry,
  type RawRequest,
  type SigV4Settings,
} from '../../src/server/sigv4.js';

// ------------------------------------------------------------------------------------------------------------
// Fixtures and helpers
// ------------------------------------------------------------------------------------------------------------

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';

/** 2024-08-20T23:01:43Z, the request time of the AWS-recorded "Signature expired" message. */
const T0 = Date.UTC(2024, 7, 20, 23, 1, 43);
const T0_ISO = '20240820T230143Z';
const HOST = 'localhost:4566';
const BODY = '{"KeyId":"alias/test","Plaintext":"aGVsbG8="}';
const TARGET = 'TrentService.Encrypt';

function makeSettings(overrides: Partial<SigV4Settings> = {}): SigV4Settings {
  const credentials = new Map<string, CredentialEntry>([
    ['test', { secretAccessKey: 'test' }],
    ['AKIDEXAMPLE', { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }],
    ['AKIAWITHACCOUNT', { secretAccessKey: 'acct-secret', accountId: '444455556666' }],
    ['123456789012', { secretAccessKey: 'twelve-secret' }],
  ]);
  return { credentials, acceptUnknownAccessKeys: false, defaultAccountId: '111122223333', ...overrides };
}

function expectKmsError(fn: () => unknown, name: string, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(KmsError);
  const error = thrown as KmsError;
  expect({ name: error.name, message: error.awsMessage, status: error.status }).toEqual({ name, message, status: 400 });
}

/** node:http's view of headers: lowercased names, string values. */
function lowerHeaders(headers: Record<string, unknown> | undefined): http.IncomingHttpHeaders {
  const out: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = String(value);
  }
  return out;
}

interface Aws4Options {
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  region?: string;
  service?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  signQuery?: boolean;
  extraHeadersToInclude?: Record<string, boolean>;
  doNotModifyHeaders?: boolean;
}

/** Sign with aws4 (independent signer) and return what the server would receive. */
function aws4Request(options: Aws4Options = {}): RawRequest {
  const body = options.body ?? BODY;
  const request = {
    host: HOST,
    method: 'POST',
    path: options.path ?? '/',
    body,
    service: options.service ?? 'kms',
    region: options.region ?? 'eu-west-1',
    signQuery: options.signQuery,
    doNotModifyHeaders: options.doNotModifyHeaders,
    extraHeadersToInclude: options.extraHeadersToInclude,
    headers: {
      Host: HOST,
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': TARGET,
      ...(options.signQuery || options.headers?.Date !== undefined ? {} : { 'X-Amz-Date': T0_ISO }),
      ...options.headers,
    },
  };
  const signed = aws4.sign(request as aws4.Request, {
    accessKeyId: options.accessKeyId ?? 'test',
    secretAccessKey: options.secretAccessKey ?? 'test',
  });
  return {
    method: 'POST',
    url: signed.path ?? '/',
    headers: lowerHeaders(signed.headers as Record<string, unknown>),
    body: Buffer.from(body),
  };
}

/** A header-form request whose Authorization header we write by hand (for malformed-header cases). */
function rawRequest(authorization: string | undefined, headers: Record<string, string> = {}, url = '/'): RawRequest {
  const h: http.IncomingHttpHeaders = {
    host: HOST,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': TARGET,
    'x-amz-date': T0_ISO,
    ...headers,
  };
  if (authorization !== undefined) h.authorization = authorization;
  return { method: 'POST', url, headers: h, body: Buffer.from(BODY) };
}

/** Node crypto as the smithy hash constructor (the SDK uses @smithy/hash-node, which is this). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}

function smithySigner(region = 'eu-west-1', secretAccessKey = 'test'): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey },
    region,
    service: 'kms',
    sha256: NodeSha256,
  });
}

/** How the SDK serialises a query map onto the wire (RFC 3986, as @smithy/querystring-builder does). */
function smithyQueryString(query: SmithyHttpRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === null || v === undefined) continue;
      parts.push(`${rfc3986(key)}=${rfc3986(v)}`);
    }
  }
  return parts.join('&');
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// ------------------------------------------------------------------------------------------------------------
// Capture server: records the raw request as node:http delivers it, answers like KMS ListKeys.
// ------------------------------------------------------------------------------------------------------------

interface Capture {
  port: number;
  requests: RawRequest[];
  close(): Promise<void>;
}

async function startCapture(): Promise<Capture> {
  const requests: RawRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const body = '{"Keys":[],"Truncated":false}';
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Send a signed request over a socket to the capture server and return what it received. */
async function viaSocket(
  capture: Capture,
  request: { method: string; path: string; headers: Record<string, string | number>; body?: string | Buffer },
): Promise<RawRequest> {
  const before = capture.requests.length;
  await new Promise<void>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: capture.port, method: request.method, path: request.path, headers: request.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
  expect(capture.requests.length).toBe(before + 1);
  return capture.requests[before] as RawRequest;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 60000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

function available(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 30000 }).status === 0;
  } catch {
    return false;
  }
}

const HAS_BOTOCORE = available('python3', ['-c', 'import botocore.auth, botocore.awsrequest']);
const HAS_BOTO3 = available('python3', ['-c', 'import boto3']);
const HAS_AWS_CLI = available('aws', ['--version']);

/** Environment for external AWS clients: no user config, no retries, our credentials. */
function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

let capture: Capture;
beforeAll(async () => {
  capture = await startCapture();
});
afterAll(async () => {
  await capture.close();
});
beforeEach(() => clearSigningKeyCache());

// ------------------------------------------------------------------------------------------------------------
// Real signers
// ------------------------------------------------------------------------------------------------------------

describe('accepts requests signed by @aws-sdk/client-kms v3 (real client over a socket)', () => {
  test('ListKeys and Encrypt: every SDK header signed, verified, region from the scope', async () => {
    const client = new KMSClient({
      region: 'ap-southeast-2',
      endpoint: `http://127.0.0.1:${capture.port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      await client.send(new ListKeysCommand({}));
      await client.send(new EncryptCommand({ KeyId: 'alias/x', Plaintext: Buffer.from('hi') })).catch(() => undefined);
    } finally {
      client.destroy();
    }
    const [listKeys, encrypt] = capture.requests.slice(-2) as [RawRequest, RawRequest];
    for (const raw of [listKeys, encrypt]) {
      expect(raw.headers.authorization).toMatch(
        /SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent,/,
      );
      expect(verifySigV4(raw, makeSettings(), Date.now())).toEqual({
        accessKeyId: 'test',
        accountId: '111122223333',
        region: 'ap-southeast-2',
        signatureVerified: true,
      });
    }
  });

  test('@smithy/signature-v4 header form, over a socket', async () => {
    const request: SmithyHttpRequest = {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: capture.port,
      path: '/',
      query: {},
      headers: {
        host: `127.0.0.1:${capture.port}`,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': TARGET,
        'content-length': String(Buffer.byteLength(BODY)),
        'user-agent': 'kmslite-test/1.0',
      },
      body: BODY,
    };
    const signed = await smithySigner().sign(request, {
      signingDate: new Date(),
      signableHeaders: new Set(['user-agent']),
    });
    const raw = await viaSocket(capture, { method: 'POST', path: '/', headers: signed.headers, body: BODY });
    expect(verifySigV4(raw, makeSettings(), Date.now()).signatureVerified).toBe(true);
    // smithy signs user-agent when asked to; the verifier must include it.
    expect(raw.headers.authorization).toContain('user-agent');
  });

  test('@smithy/signature-v4 presign (query form), over a socket', async () => {
    const request: SmithyHttpRequest = {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: capture.port,
      path: '/',
      query: { Extra: 'a b/c~*' },
      headers: { host: `127.0.0.1:${capture.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
      body: BODY,
    };
    const signed = await smithySigner('us-gov-west-1').presign(request, { expiresIn: 300, signingDate: new Date() });
    const path = '/?' + smithyQueryString(signed.query);
    const raw = await viaSocket(capture, { method: 'POST', path, headers: signed.headers, body: BODY });
    expect(raw.headers.authorization).toBeUndefined();
    expect(raw.url).toContain('X-Amz-Signature=');
    expect(verifySigV4(raw, makeSettings(), Date.now())).toMatchObject({ region: 'us-gov-west-1', signatureVerified: true });
    // Tampering with any query parameter breaks it.
    const tampered = { ...raw, url: raw.url.replace('Extra=a%20b', 'Extra=a%20c') };
    expectKmsError(() => verifySigV4(tampered, makeSettings(), Date.now()), 'InvalidSignatureException', MISMATCH);
  });

  test('@smithy/signature-v4 agrees on a non-trivial path and query (double-encoded path segments)', async () => {
    const request: SmithyHttpRequest = {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: capture.port,
      path: '/a%20b/./c%2Fd/../e~f/',
      query: { b: ['2', '1'], a: 'x y', 'z*': "'!" },
      headers: { host: `127.0.0.1:${capture.port}`, 'x-amz-target': TARGET, 'content-type': 'application/x-amz-json-1.1' },
      body: BODY,
    };
    const signed = await smithySigner().sign(request, { signingDate: new Date() });
    const path = request.path + '?' + smithyQueryString(request.query);
    const raw = await viaSocket(capture, { method: 'POST', path, headers: signed.headers, body: BODY });
    expect(verifySigV4(raw, makeSettings(), Date.now()).signatureVerified).toBe(true);
  });
});

describe('accepts requests signed by aws4', () => {
  /** BODY as a POST to `path`, signed by aws4 for `region` (in the query with `signQuery`), sent over a socket to the capture server; what it received. */
  async function aws4ViaSocket(path: string, region: string, signQuery = false): Promise<RawRequest> {
    const signed = aws4.sign(
      {
        host: `127.0.0.1:${capture.port}`,
        method: 'POST',
        path,
        body: BODY,
        service: 'kms',
        region,
        signQuery,
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET },
      },
      { accessKeyId: 'test', secretAccessKey: 'test' },
    );
    return viaSocket(capture, {
      method: 'POST',
      path: signed.path ?? '/',
      headers: signed.headers as Record<string, string>,
      body: BODY,
    });
  }

  test('header form, over a socket', async () => {
    const raw = await aws4ViaSocket('/', 'eu-central-1');
    expect(verifySigV4(raw, makeSettings(), Date.now())).toMatchObject({ region: 'eu-central-1', signatureVerified: true });
  });

  test('signQuery: true, over a socket', async () => {
    const raw = await aws4ViaSocket('/?Action=x&Other=a%20b', 'eu-west-1', true);
    expect(raw.url).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(verifySigV4(raw, makeSettings(), Date.now()).signatureVerified).toBe(true);
  });

  test('signed user-agent, content-length and amz-sdk-* headers, with whitespace to collapse', () => {
    const raw = aws4Request({
      headers: {
        'User-Agent': 'aws-cli/1.45.11   md/Botocore#1.43.11  ua/2.1',
        'amz-sdk-invocation-id': '6b1c6c7e-8d9f-4e0a-9b1c-2d3e4f5a6b7c',
        'amz-sdk-request': 'attempt=1;  max=3',
        'Content-Length': String(Buffer.byteLength(BODY)),
      },
      extraHeadersToInclude: { 'user-agent': true },
    });
    expect(raw.headers.authorization).toContain(
      'SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;user-agent;x-amz-date;x-amz-target,',
    );
    expect(verifySigV4(raw, makeSettings(), T0).signatureVerified).toBe(true);
    // A header that is signed cannot change…
    const changedUa = { ...raw, headers: { ...raw.headers, 'user-agent': 'other' } };
    expectKmsError(() => verifySigV4(changedUa, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
    // …but whitespace runs inside it are canonicalised away.
    const respaced = { ...raw, headers: { ...raw.headers, 'amz-sdk-request': 'attempt=1; \t max=3' } };
    expect(verifySigV4(respaced, makeSettings(), T0).signatureVerified).toBe(true);
    // An unsigned header may change freely.
    const extra = { ...raw, headers: { ...raw.headers, 'x-forwarded-for': '10.0.0.1' } };
    expect(verifySigV4(extra, makeSettings(), T0).signatureVerified).toBe(true);
  });

  test('Date header instead of X-Amz-Date', () => {
    const date = new Date(T0).toUTCString();
    expect(date).toBe('Tue, 20 Aug 2024 23:01:43 GMT');
    const raw = aws4Request({ doNotModifyHeaders: true, headers: { Date: date } });
    expect(raw.headers['x-amz-date']).toBeUndefined();
    expect(raw.headers.authorization).toContain('SignedHeaders=content-type;date;host;x-amz-target,');
    expect(verifySigV4(raw, makeSettings(), T0 + 60_000).signatureVerified).toBe(true);
    expectKmsError(
      () => verifySigV4(raw, makeSettings(), T0 + 5 * 60_000 + 1000),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230144Z (20240820T230644Z - 5 min.)',
    );
  });
});

(HAS_BOTOCORE ? describe : describe.skip)(
  `accepts requests signed by botocore (python3 subprocess)${HAS_BOTOCORE ? '' : ' — SKIPPED: python3 with botocore not found'}`,
  () => {
    const script = `
import json, sys, urllib.request
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, mode, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = AWSRequest(method='POST', url=url, data=body.encode() if body else b'', headers={
    'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': '${TARGET}',
    'User-Agent': 'Botocore/1.43.11 test', 'amz-sdk-request': 'attempt=1; max=1'})
creds = Credentials('test', 'test')
if mode == 'header':
    SigV4Auth(creds, 'kms', 'eu-west-1').add_auth(req)
else:
    SigV4QueryAuth(creds, 'kms', 'eu-west-1', expires=120).add_auth(req)
prepared = req.prepare()
out = urllib.request.Request(prepared.url, data=prepared.body or None, method='POST',
                             headers={k: v for k, v in prepared.headers.items()})
urllib.request.urlopen(out).read()
print(json.dumps({'url': prepared.url, 'headers': dict(prepared.headers)}))
`;
    test('SigV4Auth (header form)', async () => {
      const before = capture.requests.length;
      const { stdout } = await run(
        'python3',
        ['-c', script, `http://127.0.0.1:${capture.port}/`, 'header', BODY],
        clientEnv(),
      );
      expect(JSON.parse(stdout).headers.Authorization).toContain('SignedHeaders=');
      const raw = capture.requests[before] as RawRequest;
      expect(raw.body.toString()).toBe(BODY);
      expect(verifySigV4(raw, makeSettings(), Date.now())).toMatchObject({ region: 'eu-west-1', signatureVerified: true });
    });

    test('SigV4QueryAuth (presigned query form)', async () => {
      const before = capture.requests.length;
      await run('python3', ['-c', script, `http://127.0.0.1:${capture.port}/?Extra=a%20b`, 'query', ''], clientEnv());
      const raw = capture.requests[before] as RawRequest;
      expect(raw.url).toContain('X-Amz-Expires=120');
      expect(raw.headers.authorization).toBeUndefined();
      const now = Date.now();
      expect(verifySigV4(raw, makeSettings(), now).signatureVerified).toBe(true);
      expectKmsError(() => verifySigV4(raw, makeSettings(), now + 121_000), 'InvalidSignatureException', 'Request has expired');
    });
  },
);

(HAS_AWS_CLI ? describe : describe.skip)(
  `accepts the real aws CLI end to end${HAS_AWS_CLI ? '' : ' — SKIPPED: aws CLI not found'}`,
  () => {
    test('aws kms list-keys', async () => {
      const before = capture.requests.length;
      const { stdout } = await run(
        'aws',
        ['kms', 'list-keys', '--endpoint-url', `http://127.0.0.1:${capture.port}`, '--region', 'eu-west-1', '--output', 'json'],
        clientEnv(),
      );
      // The CLI's paginator drops `Truncated` from its output.
      expect(JSON.parse(stdout)).toEqual({ Keys: [] });
      expect(capture.requests.length).toBe(before + 1);
      const raw = capture.requests[before] as RawRequest;
      expect(raw.headers['x-amz-target']).toBe('TrentService.ListKeys');
      expect(raw.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-target,');
      expect(verifySigV4(raw, makeSettings(), Date.now())).toEqual({
        accessKeyId: 'test',
        accountId: '111122223333',
        region: 'eu-west-1',
        signatureVerified: true,
      });
      // Strict mode without the key in the table: AWS's answer to an unknown key.
      expectKmsError(
        () => verifySigV4(raw, makeSettings({ credentials: new Map() }), Date.now()),
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    });
  },
);

(HAS_BOTO3 ? describe : describe.skip)(
  `accepts boto3 end to end${HAS_BOTO3 ? '' : ' — SKIPPED: python3 with boto3 not found'}`,
  () => {
    test('boto3 kms list_keys', async () => {
      const before = capture.requests.length;
      const code =
        'import boto3, json, sys\n' +
        "c = boto3.client('kms', endpoint_url=sys.argv[1], region_name='sa-east-1', " +
        "aws_access_key_id='test', aws_secret_access_key='test')\n" +
        "r = c.list_keys(); print(json.dumps({'Keys': r['Keys'], 'Truncated': r['Truncated']}))";
      const { stdout } = await run('python3', ['-c', code, `http://127.0.0.1:${capture.port}`], clientEnv());
      expect(JSON.parse(stdout)).toEqual({ Keys: [], Truncated: false });
      const raw = capture.requests[before] as RawRequest;
      expect(verifySigV4(raw, makeSettings(), Date.now())).toMatchObject({ region: 'sa-east-1', signatureVerified: true });
    });
  },
);

// ------------------------------------------------------------------------------------------------------------
// Error paths, in check order
// ------------------------------------------------------------------------------------------------------------

describe('1–2. presence of authentication', () => {
  test('Authorization header and X-Amz-Algorithm query parameter together', () => {
    const raw = aws4Request();
    raw.url = '/?X-Amz-Algorithm=AWS4-HMAC-SHA256';
    expectKmsError(
      () => verifySigV4(raw, makeSettings(), T0),
      'InvalidSignatureException',
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });

  test('neither', () => {
    expectKmsError(
      () => verifySigV4(rawRequest(undefined), makeSettings(), T0),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
    // An empty Authorization header is no Authorization header.
    expectKmsError(
      () => verifySigV4(rawRequest(''), makeSettings(), T0),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
    // Query parameters that are not X-Amz-Algorithm do not count as query authentication.
    expectKmsError(
      () => verifySigV4(rawRequest(undefined, {}, '/?X-Amz-Credential=x'), makeSettings(), T0),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
  });
});

describe('3. header form', () => {
  const CRED = 'Credential=test/20240820/eu-west-1/kms/aws4_request';
  const SH = 'SignedHeaders=content-type;host;x-amz-date;x-amz-target';
  const SIG = 'Signature=' + '0'.repeat(64);

  test.each([
    ['AWS4-HMAC-SHA512 ' + [CRED, SH, SIG].join(', '), "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."],
    ['AWS test:c2lnbmF0dXJl', "Unsupported AWS 'algorithm': 'AWS'."],
    ['AWS4-ECDSA-P256-SHA256 ' + [CRED, SH, SIG].join(', '), "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."],
    ['Bearer', "Unsupported AWS 'algorithm': 'Bearer'."],
  ])('unsupported algorithm: %s', (authorization, message) => {
    expectKmsError(() => verifySigV4(rawRequest(authorization), makeSettings(), T0), 'IncompleteSignatureException', message);
  });

  test('component without an equal sign', () => {
    const header = `AWS4-HMAC-SHA256 ${CRED}, ${SH}, ${SIG}, Garbage`;
    expectKmsError(
      () => verifySigV4(rawRequest(header), makeSettings(), T0),
      'IncompleteSignatureException',
      `'Garbage' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
    );
    // A space inside the credential splits it (AWS-recorded from STS via hadoop).
    const spaced = 'AWS4-HMAC-SHA256 Credential=not valid/20180109/us-east-1/kms/aws4_request, ' + SH + ', ' + SIG;
    expectKmsError(
      () => verifySigV4(rawRequest(spaced), makeSettings(), T0),
      'IncompleteSignatureException',
      `'valid/20180109/us-east-1/kms/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${spaced}'.`,
    );
  });

  test('commas only, spaces only, or both separate components', () => {
    const ok = aws4Request();
    const auth = ok.headers.authorization as string;
    for (const variant of [auth.replace(/, /g, ','), auth.replace(/, /g, ' '), auth.replace(/, /g, ' ,  ')]) {
      const raw = { ...ok, headers: { ...ok.headers, authorization: variant } };
      expect(verifySigV4(raw, makeSettings(), T0).signatureVerified).toBe(true);
    }
  });

  test.each([
    [`AWS4-HMAC-SHA256 ${SH}, ${SIG}`, "Authorization header requires 'Credential' parameter. "],
    [`AWS4-HMAC-SHA256 ${CRED}, ${SH}`, "Authorization header requires 'Signature' parameter. "],
    [`AWS4-HMAC-SHA256 ${CRED}, ${SIG}`, "Authorization header requires 'SignedHeaders' parameter. "],
    [
      `AWS4-HMAC-SHA256 ${CRED}`,
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. ",
    ],
    [
      'AWS4-HMAC-SHA256',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. ",
    ],
    [
      `AWS4-HMAC-SHA256 Credential=, ${SH}, Signature=`,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ",
    ],
  ])('missing parts: %s', (header, sentences) => {
    expectKmsError(
      () => verifySigV4(rawRequest(header), makeSettings(), T0),
      'IncompleteSignatureException',
      sentences + 'Authorization=' + header,
    );
  });

  test('missing parts and no date header', () => {
    const header = `AWS4-HMAC-SHA256 ${CRED}, ${SH}`;
    const raw = rawRequest(header);
    delete raw.headers['x-amz-date'];
    expectKmsError(
      () => verifySigV4(raw, makeSettings(), T0),
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=' + header,
    );
    const complete = `AWS4-HMAC-SHA256 ${CRED}, ${SH}, ${SIG}`;
    const noDate = rawRequest(complete);
    delete noDate.headers['x-amz-date'];
    expectKmsError(
      () => verifySigV4(noDate, makeSettings(), T0),
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + complete,
    );
  });

  test('host not among the signed headers', () => {
    const header = `AWS4-HMAC-SHA256 ${CRED}, SignedHeaders=content-type;x-amz-date;x-amz-target, ${SIG}`;
    expectKmsError(
      () => verifySigV4(rawRequest(header), makeSettings(), T0),
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  test('X-Amz-Date not in ISO basic format; Date header not RFC 1123', () => {
    const header = `AWS4-HMAC-SHA256 ${CRED}, ${SH}, ${SIG}`;
    for (const bad of ['2024-08-20T23:01:43Z', '20240820T230143', '20241320T230143Z', '20240230T000000Z', '20240820T236143Z']) {
      expectKmsError(
        () => verifySigV4(rawRequest(header, { 'x-amz-date': bad }), makeSettings(), T0),
        'IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    const raw = rawRequest(header, { date: '2024-08-20 23:01:43' });
    delete raw.headers['x-amz-date'];
    expectKmsError(
      () => verifySigV4(raw, makeSettings(), T0),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '2024-08-20 23:01:43'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });
});

describe('3. query (presigned) form', () => {
  test('missing parameters, one sentence each', () => {
    expectKmsError(
      () => verifySigV4(rawRequest(undefined, {}, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256'), makeSettings(), T0),
      'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Credential'. " +
        "AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
    expectKmsError(
      () =>
        verifySigV4(
          rawRequest(undefined, {}, '/?X-Amz-Algorithm=&X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=host'),
          makeSettings(),
          T0,
        ),
      'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Algorithm'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
  });

  function presigned(expires?: number): RawRequest {
    return aws4Request({
      signQuery: true,
      path: `/?X-Amz-Date=${T0_ISO}` + (expires === undefined ? '' : `&X-Amz-Expires=${expires}`),
    });
  }

  test('X-Amz-Expires honoured; without it the ±5 minute window applies', () => {
    const withExpiry = presigned(60);
    expect(withExpiry.url).toContain(`X-Amz-Date=${T0_ISO}`);
    expect(verifySigV4(withExpiry, makeSettings(), T0 + 60_000).signatureVerified).toBe(true);
    expectKmsError(() => verifySigV4(withExpiry, makeSettings(), T0 + 61_000), 'InvalidSignatureException', 'Request has expired');
    const long = presigned(3600);
    expect(verifySigV4(long, makeSettings(), T0 + 3_600_000).signatureVerified).toBe(true);
    const noExpiry = presigned();
    expect(verifySigV4(noExpiry, makeSettings(), T0 + 300_000).signatureVerified).toBe(true);
    expectKmsError(
      () => verifySigV4(noExpiry, makeSettings(), T0 + 301_000),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230144Z (20240820T230644Z - 5 min.)',
    );
    // Dated in the future: the skew window, whatever X-Amz-Expires says.
    expectKmsError(
      () => verifySigV4(long, makeSettings(), T0 - 301_000),
      'InvalidSignatureException',
      'Signature not yet current: 20240820T230143Z is still later than 20240820T230142Z (20240820T225642Z + 5 min.)',
    );
  });

  test('a presigned signature is compared character by character: one above U+00FF whose low byte matches is refused', () => {
    const request = presigned(60);
    expect(verifySigV4(request, makeSettings(), T0).signatureVerified).toBe(true);
    const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(request.url)![1]!;
    // U+0100 + the first character's code: the same low byte, so a latin1 copy of it would read as the signature.
    const lookalike = String.fromCharCode(0x100 + signature.charCodeAt(0)) + signature.slice(1);
    const forged = { ...request, url: request.url.replace(`X-Amz-Signature=${signature}`, `X-Amz-Signature=${encodeURIComponent(lookalike)}`) };
    expectKmsError(() => verifySigV4(forged, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
  });

  test('bad X-Amz-Expires and algorithm', () => {
    const base = presigned(60);
    const withExpires = (v: string) => ({ ...base, url: base.url.replace('X-Amz-Expires=60', `X-Amz-Expires=${v}`) });
    expectKmsError(() => verifySigV4(withExpires('abc'), makeSettings(), T0), 'IncompleteSignatureException', 'X-Amz-Expires should be a number');
    expectKmsError(() => verifySigV4(withExpires('-1'), makeSettings(), T0), 'IncompleteSignatureException', 'X-Amz-Expires should be a number');
    expectKmsError(
      () => verifySigV4(withExpires('604801'), makeSettings(), T0),
      'IncompleteSignatureException',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
    const sha512 = { ...base, url: base.url.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA512') };
    expectKmsError(() => verifySigV4(sha512, makeSettings(), T0), 'IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.");
  });
});

describe('4. credential scope', () => {
  const SH = 'SignedHeaders=content-type;host;x-amz-date;x-amz-target';
  const SIG = 'Signature=' + '0'.repeat(64);
  const withCredential = (credential: string) => rawRequest(`AWS4-HMAC-SHA256 Credential=${credential}, ${SH}, ${SIG}`);

  test.each(['test', 'test/20240820/eu-west-1/kms', 'test/20240820/eu-west-1/kms/aws4_request/extra'])(
    'not five elements: %s',
    (credential) => {
      expectKmsError(
        () => verifySigV4(withCredential(credential), makeSettings(), T0),
        'IncompleteSignatureException',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      );
    },
  );

  test('wrong service (validly signed by aws4 for another service)', () => {
    expectKmsError(
      () => verifySigV4(aws4Request({ service: 'dynamodb' }), makeSettings(), T0),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'kms'. ",
    );
  });

  test('wrong terminator', () => {
    expectKmsError(
      () => verifySigV4(withCredential('test/20240820/eu-west-1/kms/aws5_request'), makeSettings(), T0),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
    );
  });

  test.each(['garbage', 'EU-WEST-1', 'eu-west', 'eu_west_1', ''])('garbage region %j', (region) => {
    expectKmsError(
      () => verifySigV4(withCredential(`test/20240820/${region}/kms/aws4_request`), makeSettings(), T0),
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${region}'. `,
    );
  });

  test.each(['us-east-1', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'us-isob-east-1', 'local'])(
    'valid region %s',
    (region) => {
      expect(verifySigV4(aws4Request({ region }), makeSettings(), T0)).toMatchObject({ region, signatureVerified: true });
    },
  );

  test('scope date differs from the request date', () => {
    expectKmsError(
      () => verifySigV4(withCredential('test/20240819/eu-west-1/kms/aws4_request'), makeSettings(), T0),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240819' != '20240820', from '20240820T230143Z'.",
    );
    // With a Date header, the ISO date is derived from it and the raw header is quoted.
    const raw = withCredential('test/20240819/eu-west-1/kms/aws4_request');
    delete raw.headers['x-amz-date'];
    raw.headers.date = 'Tue, 20 Aug 2024 23:01:43 GMT';
    expectKmsError(
      () => verifySigV4(raw, makeSettings(), T0),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240819' != '20240820', from 'Tue, 20 Aug 2024 23:01:43 GMT'.",
    );
  });

  test('several scope problems are reported together, in AWS order', () => {
    expectKmsError(
      () => verifySigV4(withCredential('test/foobar/wrong_region/s3/aws5_request'), makeSettings(), T0),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'wrong_region'. " +
        "Credential should be scoped to correct service: 'kms'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'foobar' != '20240820', from '20240820T230143Z'.",
    );
  });
});

describe('5. access keys and accounts', () => {
  test('unknown key, strict: UnrecognizedClientException', () => {
    expectKmsError(
      () => verifySigV4(aws4Request({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }), makeSettings(), T0),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  test('unknown key, permissive: accepted unverified, callback called, other checks still applied', () => {
    const seen: string[] = [];
    const settings = makeSettings({ acceptUnknownAccessKeys: true, onUnverifiableAccessKey: (id) => seen.push(id) });
    const raw = aws4Request({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'anything' });
    expect(verifySigV4(raw, settings, T0)).toEqual({
      accessKeyId: 'AKIAUNKNOWN',
      accountId: '111122223333',
      region: 'eu-west-1',
      signatureVerified: false,
    });
    expect(seen).toEqual(['AKIAUNKNOWN']);
    // Still checked without the secret: date window…
    expectKmsError(
      () => verifySigV4(raw, settings, T0 + 301_000),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230144Z (20240820T230644Z - 5 min.)',
    );
    // …scope…
    expectKmsError(
      () => verifySigV4(aws4Request({ accessKeyId: 'AKIAUNKNOWN', service: 'sqs' }), settings, T0),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'kms'. ",
    );
    // …and the body hash.
    const tampered = aws4Request({
      accessKeyId: 'AKIAUNKNOWN',
      headers: { 'X-Amz-Content-Sha256': createHash('sha256').update(BODY).digest('hex') },
    });
    tampered.body = Buffer.from('{"KeyId":"alias/other"}');
    expectKmsError(() => verifySigV4(tampered, settings, T0), 'InvalidSignatureException', MISMATCH);
    expect(seen).toEqual(['AKIAUNKNOWN']);
  });

  test('12-digit access key id is the account (known or unknown key)', () => {
    const known = aws4Request({ accessKeyId: '123456789012', secretAccessKey: 'twelve-secret' });
    expect(verifySigV4(known, makeSettings(), T0)).toMatchObject({ accountId: '123456789012', signatureVerified: true });
    const unknown = aws4Request({ accessKeyId: '000000000042', secretAccessKey: 'x' });
    expect(verifySigV4(unknown, makeSettings({ acceptUnknownAccessKeys: true }), T0)).toMatchObject({
      accountId: '000000000042',
      signatureVerified: false,
    });
    // 11 or 13 digits: not an account id.
    const thirteen = aws4Request({ accessKeyId: '1234567890123', secretAccessKey: 'x' });
    expect(verifySigV4(thirteen, makeSettings({ acceptUnknownAccessKeys: true }), T0).accountId).toBe('111122223333');
  });

  test('credentials-table account wins; otherwise the default account', () => {
    const raw = aws4Request({ accessKeyId: 'AKIAWITHACCOUNT', secretAccessKey: 'acct-secret' });
    expect(verifySigV4(raw, makeSettings(), T0)).toMatchObject({ accountId: '444455556666', signatureVerified: true });
    const other = aws4Request({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
    expect(verifySigV4(other, makeSettings({ defaultAccountId: '999988887777' }), T0).accountId).toBe('999988887777');
  });
});

describe('6. clock skew (±5 minutes, inclusive)', () => {
  const raw = () => aws4Request();

  test('exactly 5 minutes either way is accepted', () => {
    expect(verifySigV4(raw(), makeSettings(), T0 + 300_000).signatureVerified).toBe(true);
    expect(verifySigV4(raw(), makeSettings(), T0 - 300_000).signatureVerified).toBe(true);
  });

  test('AWS-recorded example (aws-kms-wire.md §3.4): now 20240820T230802Z', () => {
    expectKmsError(
      () => verifySigV4(raw(), makeSettings(), Date.UTC(2024, 7, 20, 23, 8, 2)),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230302Z (20240820T230802Z - 5 min.)',
    );
  });

  test('one second past either boundary is rejected', () => {
    expectKmsError(
      () => verifySigV4(raw(), makeSettings(), T0 + 301_000),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230144Z (20240820T230644Z - 5 min.)',
    );
    expectKmsError(
      () => verifySigV4(raw(), makeSettings(), T0 - 301_000),
      'InvalidSignatureException',
      'Signature not yet current: 20240820T230143Z is still later than 20240820T230142Z (20240820T225642Z + 5 min.)',
    );
  });

  test('maxClockSkewMs is honoured', () => {
    expect(verifySigV4(raw(), makeSettings({ maxClockSkewMs: 900_000 }), T0 + 900_000).signatureVerified).toBe(true);
    expectKmsError(
      () => verifySigV4(raw(), makeSettings({ maxClockSkewMs: 900_000 }), T0 + 901_000),
      'InvalidSignatureException',
      'Signature expired: 20240820T230143Z is now earlier than 20240820T230144Z (20240820T231644Z - 15 min.)',
    );
  });
});

describe('7–8. body integrity and signature', () => {
  test('body changed after signing (no x-amz-content-sha256)', () => {
    const raw = aws4Request();
    expect(verifySigV4(raw, makeSettings(), T0).signatureVerified).toBe(true);
    raw.body = Buffer.from(BODY.replace('aGVsbG8=', 'Z29vZGJ5ZQ=='));
    expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
  });

  test('spoofed x-amz-content-sha256: aws4 signs the header value, the verifier hashes the body', () => {
    const original = createHash('sha256').update(BODY).digest('hex');
    const evil = '{"KeyId":"alias/attacker","Plaintext":"ZXZpbA=="}';
    // aws4 trusts x-amz-content-sha256: this signature is "valid" for the original body's hash…
    const raw = aws4Request({ body: evil, headers: { 'X-Amz-Content-Sha256': original } });
    expect(raw.headers.authorization).toContain('x-amz-content-sha256');
    // …but the body that arrived is different.
    expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
    // The honest version passes.
    const honest = aws4Request({ headers: { 'X-Amz-Content-Sha256': original } });
    expect(verifySigV4(honest, makeSettings(), T0).signatureVerified).toBe(true);
  });

  test('UNSIGNED-PAYLOAD is refused (KMS payloads are always signed)', () => {
    const raw = aws4Request({ headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
    expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
  });

  test('wrong secret', () => {
    const raw = aws4Request({ secretAccessKey: 'not-the-secret' });
    expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
  });

  test('signature altered, truncated, upper-cased', () => {
    const ok = aws4Request();
    const auth = ok.headers.authorization as string;
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)?.[1] as string;
    const flip = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    for (const bad of [flip, sig.slice(0, 63), sig.toUpperCase(), sig + '0']) {
      const raw = { ...ok, headers: { ...ok.headers, authorization: auth.replace(sig, bad) } };
      expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
    }
  });

  test('request changed after signing: method, path, query, signed header, signed-headers list', () => {
    const ok = aws4Request();
    const auth = ok.headers.authorization as string;
    const cases: RawRequest[] = [
      { ...ok, method: 'PUT' },
      { ...ok, url: '/other' },
      { ...ok, url: '/?a=b' },
      { ...ok, headers: { ...ok.headers, 'x-amz-target': 'TrentService.Decrypt' } },
      { ...ok, headers: { ...ok.headers, host: 'localhost:4567' } },
      {
        ...ok,
        headers: { ...ok.headers, authorization: auth.replace('content-type;host', 'host') },
      },
    ];
    for (const raw of cases) expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
  });

  test('hostile SignedHeaders names (prototype properties) fail as a mismatch, not a crash', () => {
    const ok = aws4Request();
    const auth = ok.headers.authorization as string;
    for (const name of ['constructor', '__proto__', 'tostring']) {
      const raw = { ...ok, headers: { ...ok.headers, authorization: auth.replace('SignedHeaders=', `SignedHeaders=${name};`) } };
      expectKmsError(() => verifySigV4(raw, makeSettings(), T0), 'InvalidSignatureException', MISMATCH);
    }
  });

  test('the signing-key cache is keyed by secret (a second secret for the same date/region is not confused)', () => {
    const a = aws4Request({ accessKeyId: 'test', secretAccessKey: 'test' });
    const b = aws4Request({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
    for (let i = 0; i < 3; i++) {
      expect(verifySigV4(a, makeSettings(), T0).signatureVerified).toBe(true);
      expect(verifySigV4(b, makeSettings(), T0).signatureVerified).toBe(true);
    }
    const swapped = new Map<string, CredentialEntry>([['test', { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }]]);
    expectKmsError(() => verifySigV4(a, makeSettings({ credentials: swapped }), T0), 'InvalidSignatureException', MISMATCH);
    // Many regions: the bounded cache keeps working after eviction.
    for (let i = 0; i < 100; i++) {
      const region = `xx-test-${i}`;
      expect(verifySigV4(aws4Request({ region }), makeSettings(), T0).signatureVerified).toBe(true);
    }
    expect(verifySigV4(a, makeSettings(), T0).signatureVerified).toBe(true);
  });

  test('errors never carry the expected signature or the secret', () => {
    const raw = aws4Request({ secretAccessKey: 'not-the-secret' });
    try {
      verifySigV4(raw, makeSettings(), T0);
      throw new Error('expected a failure');
    } catch (e) {
      const text = JSON.stringify({ message: (e as Error).message, stack: (e as Error).stack });
      const correct = aws4Request();
      const expectedSig = /Signature=([0-9a-f]{64})/.exec(correct.headers.authorization as string)?.[1] as string;
      expect(text).not.toContain(expectedSig);
      expect(text).not.toContain('"test"');
    }
  });
});
