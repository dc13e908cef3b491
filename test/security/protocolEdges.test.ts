/**
 * The protocol at its edges: malformed HTTP, invalid UTF-8, Java's `\s`, paths other than `/`, unknown Regions,
 * strict SigV4 gaps; and a refused request never creates an account or Region store.
 */
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { connect } from 'node:net';
import { decodeAndValidate } from '../../src/protocol/validation.js';
import type { RunningKmslite } from '../../src/index.js';
import { errorOf, kmsClient, rawRequest, startTestKmslite, useKmslite, running } from '../helpers/fixture.js';
import { send } from './http.js';

useKmslite();

/** Writes `text` on a fresh connection, half-closes it, and collects everything the server answers. */
function rawSocket(text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(running.port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
  });
}

function jsonBodyOf(response: string): any {
  const [head, body] = response.split('\r\n\r\n');
  expect(head).toMatch(/content-type: application\/x-amz-json-1\.1/i);
  return JSON.parse(body!);
}

async function storesOf(server: RunningKmslite): Promise<{ accountId: string; region: string }[]> {
  return (await send(server.endpoint, 'GET', '/_kmslite/state')).json.stores.map((store: any) => ({ accountId: store.accountId, region: store.region }));
}

describe('malformed HTTP gets an AWS-shaped JSON answer while the connection allows one', () => {
  const TARGET = 'Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n';
  test.each([
    ['an invalid header name', `POST / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n`, 400, 'invalid header name'],
    ['a bare CR line ending', `POST / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n`, 400, 'line ending'],
    ['bare LF line endings', `POST / HTTP/1.1\nHost: x\nContent-Length: 0\n\n`, 400, 'not valid HTTP'],
    ['conflicting Content-Length headers', `POST / HTTP/1.1\r\nHost: x\r\n${TARGET}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, 'conflicting'],
    ['Content-Length with Transfer-Encoding', `POST / HTTP/1.1\r\nHost: x\r\n${TARGET}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'not valid HTTP'],
    ['oversize headers', `POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'too large'],
    ['a truncated body', `POST / HTTP/1.1\r\nHost: x\r\n${TARGET}Content-Length: 100\r\n\r\n{"Limit":`, 400, 'ended before its body'],
  ])('%s', async (_name, text, status, message) => {
    const response = await rawSocket(text);
    expect(response.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    const body = jsonBodyOf(response);
    expect(body.__type).toBe('SerializationException');
    expect(body.Message).toContain(message);
    // The server is still serving.
    expect((await send(running.endpoint, 'GET', '/_kmslite/health')).status).toBe(200);
  });

  test('nothing of the request is echoed', async () => {
    const response = await rawSocket(`POST / HTTP/1.1\r\nHost: x\r\nSecret Header: hunter2-secret\r\n\r\n`);
    expect(response).not.toContain('hunter2');
  });
});

test('invalid UTF-8 inside a JSON string is a SerializationException, not a silent U+FFFD, and creates nothing', async () => {
  const before = (await kmsClient(running).send(new ListKeysCommand({}))).Keys!.length;
  const body = Buffer.concat([Buffer.from('{"Description":"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const response = await rawRequest(running, 'CreateKey', body);
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ __type: 'SerializationException' });
  // An overlong encoding and a lone surrogate encoded in UTF-8 are invalid too.
  for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
    const other = Buffer.concat([Buffer.from('{"Description":"'), Buffer.from(bad), Buffer.from('"}')]);
    expect((await rawRequest(running, 'CreateKey', other)).json).toEqual({ __type: 'SerializationException' });
  }
  expect((await kmsClient(running).send(new ListKeysCommand({}))).Keys!.length).toBe(before);
  // Valid multi-byte UTF-8 is still accepted.
  const ok = await rawRequest(running, 'CreateKey', Buffer.from('{"Description":"é ✓ 🔑"}'));
  expect(ok.status).toBe(200);
  expect(ok.json.KeyMetadata.Description).toBe('é ✓ 🔑');
});

test("the model's \\s matches Java's \\s (ASCII whitespace) only", () => {
  const input = (description: string) => ({ KeyId: 'k', ImportToken: 'AAAA', EncryptedKeyMaterial: 'AAAA', KeyMaterialDescription: description });
  for (const ascii of ['a b', 'a\tb', 'a\nb', 'a\u000bb', 'a\fb', 'a\rb']) expect(() => decodeAndValidate('ImportKeyMaterial', input(ascii))).not.toThrow();
  for (const unicode of ['a\u00a0b', 'a\u2003b', 'a\u3000b', 'a\u2028b', 'a\ufeffb']) {
    expect(() => decodeAndValidate('ImportKeyMaterial', input(unicode))).toThrow(/at 'keyMaterialDescription' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[a-zA-Z0-9:\/_\\s.-\]\+\$/);
  }
});

test('POST to a path other than / is not the KMS API: UnknownOperationException, and nothing is created', async () => {
  const before = (await kmsClient(running).send(new ListKeysCommand({}))).Keys!.length;
  for (const path of ['/foo', '/kms', '//', '/?x=1/../']) {
    const response = await rawRequest(running, 'CreateKey', {}, { path });
    if (path.startsWith('/?')) continue; // `/` with a query string is the API (presigned requests)
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ __type: 'UnknownOperationException' });
  }
  expect((await kmsClient(running).send(new ListKeysCommand({}))).Keys!.length).toBe(before + 1);
});

describe('Regions', () => {
  test("a scope Region that is not AWS's is refused with AWS's answer, and creates no store", async () => {
    const storesBefore = await storesOf(running);
    const kms = new KMSClient({ endpoint: running.endpoint, region: 'xx-fake-1', credentials: { accessKeyId: '444455556666', secretAccessKey: 'x' }, maxAttempts: 1 });
    const error = await errorOf(() => kms.send(new CreateKeyCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'xx-fake-1'. ");
    expect(await storesOf(running)).toEqual(storesBefore);
    expect(JSON.stringify(await storesOf(running))).not.toMatch(/xx-fake-1|444455556666/);
    kms.destroy();
  });

  test('a refused request in a known Region for a new account creates no store either', async () => {
    const kms = new KMSClient({ endpoint: running.endpoint, region: 'ap-southeast-5', credentials: { accessKeyId: '777788889999', secretAccessKey: 'x' }, maxAttempts: 1 });
    const error = await errorOf(() => kms.send(new CreateKeyCommand({ Description: 'x'.repeat(9000) })));
    expect(error.name).toBe('ValidationException');
    expect(JSON.stringify(await storesOf(running))).not.toMatch(/777788889999/);
    kms.destroy();
  });

  test('--allow-custom-regions accepts any Region-shaped name; the configured --region is always accepted', async () => {
    const server = await startTestKmslite({ allowCustomRegions: true });
    const custom = await startTestKmslite({ region: 'xx-local-1' });
    try {
      expect((await kmsClient(server, 'xx-fake-1').send(new CreateKeyCommand({}))).KeyMetadata!.Arn).toContain(':xx-fake-1:');
      expect((await kmsClient(custom, 'xx-local-1').send(new CreateKeyCommand({}))).KeyMetadata!.Arn).toContain(':xx-local-1:');
      expect((await errorOf(() => kmsClient(custom, 'xx-other-1').send(new CreateKeyCommand({})))).name).toBe('InvalidSignatureException');
    } finally {
      await server.stop();
      await custom.stop();
    }
  });
});

describe('strict SigV4 gaps', () => {
  let strict: RunningKmslite;
  useKmslite((server) => ({ running: strict } = server), { strictCredentials: true });

  test('X-Amz-Security-Token with a long-term key: UnrecognizedClientException (strict only)', async () => {
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE' };
    const refused = await errorOf(() => new KMSClient({ endpoint: strict.endpoint, region: 'eu-west-2', credentials, maxAttempts: 1 }).send(new ListKeysCommand({})));
    expect(refused.name).toBe('UnrecognizedClientException');
    expect(refused.message).toBe('The security token included in the request is invalid.');
    const permissive = new KMSClient({ endpoint: running.endpoint, region: 'eu-west-2', credentials, maxAttempts: 1 });
    expect((await permissive.send(new ListKeysCommand({}))).Keys).toBeDefined();
    expect((await new KMSClient({ endpoint: strict.endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }).send(new ListKeysCommand({}))).Keys).toBeDefined();
  });

  test('a presigned query without X-Amz-Expires: IncompleteSignatureException (strict only)', async () => {
    const now = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
    const query = (accessKeyId: string) =>
      `/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${accessKeyId}%2F${now.slice(0, 8)}%2Feu-west-2%2Fkms%2Faws4_request&X-Amz-Date=${now}&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' };
    const refused = await send(strict.endpoint, 'POST', query('test'), headers, '{}');
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ __type: 'IncompleteSignatureException', message: "AWS query-string parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters." });
    // Permissive mode: an unverifiable key's presigned request without X-Amz-Expires is still served (5-minute window).
    expect((await send(running.endpoint, 'POST', query('AKIDUNKNOWN'), headers, '{}')).status).toBe(200);
  });
});
