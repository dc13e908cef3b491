/**
 * Test helpers: an in-process kmslite on port 0, official SDK clients for any Region and credentials,
 * and raw aws4-signed requests for what the SDK will not send.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import aws4 from 'aws4';
import { request as httpRequest } from 'node:http';
import { startKmslite, type RunningKmslite, type StartOptions } from '../../src/index.js';

export const ACCOUNT_ID = '111122223333';
export const REGION = 'eu-west-2';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * `KMSLITE_TEST_ACCESS_CONTROL=audit|enforce` runs a suite with access control on and no principals declared
 * (test/access/zeroConfig*.test.ts): zero-configuration users must see no difference.
 */
const TEST_ACCESS_CONTROL = process.env.KMSLITE_TEST_ACCESS_CONTROL as StartOptions['accessControl'];

/** Starts kmslite with no seed (tests create what they need) unless options say otherwise. */
export async function startTestKmslite(options: StartOptions = {}): Promise<RunningKmslite> {
  const accessControl = TEST_ACCESS_CONTROL ? { accessControl: TEST_ACCESS_CONTROL } : {};
  return startKmslite({ port: 0, host: '127.0.0.1', seedPath: false, logLevel: 'silent', env: {}, ...accessControl, ...options });
}

export function kmsClient(
  running: RunningKmslite,
  region: string = REGION,
  credentials: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS,
): KMSClient {
  return new KMSClient({ endpoint: running.endpoint, region, credentials, maxAttempts: 1 });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export interface RawOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** false: send unsigned. */
  sign?: boolean;
  headers?: Record<string, string>;
  contentType?: string;
  /** Target header value; defaults to TrentService.<operation>. */
  target?: string | null;
  method?: string;
  path?: string;
}

/** Sends `body` (a string is sent as-is, an object JSON-encoded) as the KMS operation, signed with aws4. */
export function rawRequest(running: RunningKmslite, operation: string, body: unknown, options: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(running.endpoint);
  const payload = typeof body === 'string' ? body : body instanceof Buffer ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/x-amz-json-1.1',
    ...(options.target === null ? {} : { 'X-Amz-Target': options.target ?? `TrentService.${operation}` }),
    ...options.headers,
  };
  const requestOptions: aws4.Request & { headers: Record<string, string> } = {
    host: url.host,
    method: options.method ?? 'POST',
    path: options.path ?? '/',
    service: 'kms',
    region: options.region ?? REGION,
    headers,
    body: payload,
  };
  if (options.sign !== false) aws4.sign(requestOptions, options.credentials ?? TEST_CREDENTIALS);
  return sendHttp(running.endpoint, requestOptions.method!, requestOptions.path!, requestOptions.headers, payload);
}

/** One HTTP/1.1 request with exactly these headers (a `host` header given here is sent as is); the answer, JSON-parsed when it is JSON. */
export function sendHttp(endpoint: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
  const url = new URL(endpoint);
  const setHost = !Object.keys(headers).some((name) => name.toLowerCase() === 'host');
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: url.hostname, port: url.port, method, path, headers, setHost }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `action` and returns the error it throws (failing the test if it does not throw). */
export async function errorOf(action: () => Promise<unknown>): Promise<any> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Moves kmslite's clock forward through the operator API (POST /_kmslite/clock/advance), as a user's test would:
 * background work (an on-demand rotation, a replica being created) completes at the next look-up after that.
 */
export async function advanceClock(running: RunningKmslite, milliseconds: number): Promise<void> {
  const response = await fetch(`${running.endpoint}/_kmslite/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ milliseconds }),
  });
  if (response.status !== 200) throw new Error(`clock/advance answered ${response.status}: ${await response.text()}`);
}

/** How long kmslite keeps an on-demand rotation in progress (src/kms/keyLifecycle.ts), as a user reads it in the docs. */
export const ON_DEMAND_ROTATION_MS = 60_000;
