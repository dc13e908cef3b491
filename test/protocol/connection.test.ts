/**
 * The protocol envelope: what happens before an operation runs, and in which order (pipeline.ts).
 * Raw requests, because the SDK will not send most of these.
 */
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { request as httpRequest } from 'node:http';
import { OPERATION_NAMES } from '../../src/model/generated/operations.js';
import { errorOf, kmsClient, rawRequest, useKmslite, withKmslite, running } from '../helpers/fixture.js';

useKmslite();

function send(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; headers: any; body: string }> {
  const url = new URL(running.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('framing', () => {
  test('malformed JSON answers SerializationException without a message, before authentication', async () => {
    for (const sign of [true, false]) {
      const response = await rawRequest(running, 'ListKeys', '{"Limit": ', { sign });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ __type: 'SerializationException' });
      expect(response.headers['x-amzn-requestid']).toBeDefined();
      expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    }
  });

  test('a JSON value that is not an object answers SerializationException', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const response = await rawRequest(running, 'ListKeys', body);
      expect(response.json.__type).toBe('SerializationException');
    }
  });

  test('an empty body: SerializationException for a known operation, UnknownOperationException otherwise', async () => {
    expect((await rawRequest(running, 'ListKeys', '')).json).toEqual({ __type: 'SerializationException' });
    expect((await rawRequest(running, 'NoSuchOperation', '')).json).toEqual({ __type: 'UnknownOperationException' });
  });

  test('an unknown target answers UnknownOperationException without a message, before authentication', async () => {
    for (const target of ['TrentService.NoSuchOperation', 'Kinesis_20131202.ListStreams', 'ListKeys', 'TrentService.']) {
      for (const sign of [true, false]) {
        const response = await rawRequest(running, 'ListKeys', '{}', { target, sign });
        expect(response.status).toBe(400);
        expect(response.json).toEqual({ __type: 'UnknownOperationException' });
      }
    }
  });

  test('a content type other than AWS JSON answers UnknownOperationException', async () => {
    const response = await rawRequest(running, 'ListKeys', '{}', { contentType: 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('UnknownOperationException');
  });

  test('wrong JSON types answer SerializationException, constraint violations ValidationException', async () => {
    const wrongType = await rawRequest(running, 'ListKeys', { Limit: 'ten' });
    expect(wrongType.json.__type).toBe('SerializationException');
    const constraint = await rawRequest(running, 'ListKeys', { Limit: 0 });
    expect(constraint.json.__type).toBe('ValidationException');
  });

  test('a body over the size limit is refused without reading it into memory, and the server keeps serving', async () => {
    const response = await rawRequest(running, 'Encrypt', 'x'.repeat(1024 * 1024 + 10), { sign: false });
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('SerializationException');
    const after = await kmsClient(running).send(new ListKeysCommand({}));
    expect(after.Keys).toBeDefined();
  });

  test('every one of the 54 operations is registered: a signed {} never answers UnknownOperation or 5xx', async () => {
    expect(OPERATION_NAMES.length).toBe(54);
    for (const operation of OPERATION_NAMES) {
      const response = await rawRequest(running, operation, {});
      expect(response.status).toBeLessThan(500);
      expect(response.json?.__type).not.toBe('UnknownOperationException');
      expect(response.json?.__type).not.toBe('KMSInternalException');
    }
  });

  test('every operation is implemented: none answers a kmslite "not supported" error', async () => {
    for (const operation of OPERATION_NAMES) {
      const response = await rawRequest(running, operation, {});
      expect(response.body).not.toMatch(/not supported by kmslite/);
    }
  });
});

describe('authentication through the server', () => {
  test('no signature: MissingAuthenticationTokenException', async () => {
    const response = await rawRequest(running, 'ListKeys', {}, { sign: false });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });

  test('a wrong secret for a known access key: InvalidSignatureException', async () => {
    const error = await errorOf(() => kmsClient(running, 'eu-west-2', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new ListKeysCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('a body changed after signing is refused', async () => {
    const url = new URL(running.endpoint);
    const { default: aws4 } = await import('aws4');
    const signed = aws4.sign(
      { host: url.host, path: '/', method: 'POST', service: 'kms', region: 'eu-west-2', body: '{"Limit":5}', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys' } },
      { accessKeyId: 'test', secretAccessKey: 'test' },
    );
    const response = await send('POST', '/', signed.headers as Record<string, string>, '{"Limit":6}');
    expect(JSON.parse(response.body).__type).toBe('InvalidSignatureException');
  });

  test('a request dated 10 minutes ago: InvalidSignatureException "Signature expired"', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
    const response = await rawRequest(running, 'ListKeys', {}, { headers: { 'X-Amz-Date': tenMinutesAgo } });
    expect(response.json.__type).toBe('InvalidSignatureException');
    expect(response.json.message).toMatch(new RegExp(`^Signature expired: ${tenMinutesAgo} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$`));
  });

  test("moving kmslite's clock does not break signatures (the window is real time)", async () => {
    running.kmslite.clock.advance(30 * 86_400_000);
    try {
      expect((await rawRequest(running, 'ListKeys', {})).status).toBe(200);
    } finally {
      running.kmslite.clock.reset();
    }
  });

  test('strict mode rejects unknown access keys; permissive mode (default) accepts them', async () => {
    await withKmslite({ strictCredentials: true, credentials: 'AKIDEXAMPLE:secret:999988887777' }, async (strict) => {
      const unknown = await errorOf(() => kmsClient(strict, 'eu-west-2', { accessKeyId: 'dummy', secretAccessKey: 'dummy' }).send(new ListKeysCommand({})));
      expect([unknown.name, unknown.message]).toEqual(['UnrecognizedClientException', 'The security token included in the request is invalid.']);
      const known = await kmsClient(strict, 'eu-west-2', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }).send(new ListKeysCommand({}));
      expect(known.Keys).toEqual([]);
      const wrong = await errorOf(() => kmsClient(strict, 'eu-west-2', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'nope' }).send(new ListKeysCommand({})));
      expect(wrong.name).toBe('InvalidSignatureException');
    });
    const permissive = await kmsClient(running, 'eu-west-2', { accessKeyId: 'dummy', secretAccessKey: 'dummy' }).send(new ListKeysCommand({}));
    expect(permissive.Keys).toBeDefined();
  });
});

describe('everything that is not the KMS protocol', () => {
  test('GET / and unknown paths answer AWS-shaped JSON, never HTML', async () => {
    for (const [method, path] of [['GET', '/'], ['GET', '/favicon.ico'], ['PUT', '/x'], ['DELETE', '/']]) {
      const response = await send(method!, path!);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/x-amz-json-1.1');
      expect(JSON.parse(response.body).__type).toBe('UnknownOperationException');
      expect(response.body).not.toMatch(/<html|<!DOCTYPE/i);
    }
  });

  test('unknown admin endpoints answer 404 JSON', async () => {
    const response = await send('GET', '/_kmslite/nope');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).__type).toBe('NotFoundException');
  });
});
