/**
 * The two ways a protocol request is read (src/server/plainRequests.ts): plain requests on the socket, everything
 * else by node:http, on the same connection when a connection mixes them. Raw sockets, signed with aws4.
 */
import aws4 from 'aws4';
import { connect } from 'node:net';
import { TEST_CREDENTIALS, REGION, createKeyId, kms, running, startTestKmslite, useKmslite } from '../helpers/fixture.js';

useKmslite();

/** A signed request as HTTP/1.1 text; `extraHeaders` are sent (and signed) too. */
function signedText(operation: string, input: object, extraHeaders: Record<string, string> = {}): { head: string; body: string } {
  const body = JSON.stringify(input);
  const options = {
    host: `127.0.0.1:${running.port}`,
    method: 'POST',
    path: '/',
    service: 'kms',
    region: REGION,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}`, ...extraHeaders } as Record<string, string>,
    body,
  };
  aws4.sign(options, TEST_CREDENTIALS);
  let head = 'POST / HTTP/1.1\r\n';
  for (const [name, value] of Object.entries(options.headers)) head += `${name}: ${value}\r\n`;
  return { head: `${head}\r\n`, body };
}

const plain = (operation: string, input: object) => {
  const { head, body } = signedText(operation, input);
  return head + body;
};

/** The answers on one connection: status and parsed JSON body of each, in order. */
interface Answer {
  status: number;
  head: string;
  json: any;
}

/** The complete answers at the start of `text` (bytes as latin1 characters); 100 Continue lines are skipped. */
function parseAnswers(text: string): Answer[] {
  const out: Answer[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) return out;
    const head = text.slice(at, end);
    const status = Number(head.split(' ')[1]);
    if (status === 100) {
      at = end + 4;
      continue;
    }
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
    if (text.length < end + 4 + length) return out;
    out.push({ status, head, json: JSON.parse(Buffer.from(text.slice(end + 4, end + 4 + length), 'latin1').toString('utf8')) });
    at = end + 4 + length;
  }
}

/** Writes each piece (waiting `gapMs` between), reads until `count` answers are complete. */
function converse(pieces: (string | Buffer)[], count: number, { gapMs = 0, pauseMs = 0 } = {}): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(running.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${parseAnswers(received).length} complete answers of ${count}; last bytes ${JSON.stringify(received.slice(-200))}`));
    }, 15_000);
    socket.on('connect', async () => {
      if (pauseMs) socket.pause();
      for (const piece of pieces) {
        socket.write(piece);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (pauseMs) setTimeout(() => socket.resume(), pauseMs);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // Counted cheaply as bytes arrive; parsed once they may all be there.
      if (received.split('HTTP/1.1 ').length - 1 < count) return;
      const answers = parseAnswers(received);
      if (answers.length >= count) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answers);
      }
    });
    socket.on('error', reject);
  });
}

let keyId: string;
beforeAll(async () => {
  keyId = await createKeyId(kms, { Description: 'plain requests' });
});

test('a request sent in two parts is read by node:http and answered the same as one sent whole', async () => {
  const text = plain('DescribeKey', { KeyId: keyId });
  const [whole] = await converse([text], 1);
  const [cut] = await converse([text.slice(0, 40), text.slice(40)], 1, { gapMs: 50 });
  expect(whole!.status).toBe(200);
  expect(cut!.json).toEqual(whole!.json);
  const headerNames = (head: string) => head.split('\r\n').map((line) => line.split(':')[0]);
  expect(headerNames(cut!.head)).toEqual(headerNames(whole!.head));
});

test('plain requests, an operator API request and plain requests again on one connection: each answered, in order', async () => {
  const health = `GET /_kmslite/health HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\n\r\n`;
  const answers = await converse([plain('DescribeKey', { KeyId: keyId }) + health + plain('GenerateRandom', { NumberOfBytes: 7 })], 3);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  expect(answers[0]!.json.KeyMetadata.KeyId).toBe(keyId);
  expect(answers[1]!.json.status).toBe('ok');
  expect(Buffer.from(answers[2]!.json.Plaintext, 'base64')).toHaveLength(7);
});

test('pipelined requests whose answers wait (RSA Sign) and those that do not come back in request order', async () => {
  const signingKey = await createKeyId(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  const pieces: string[] = [];
  for (let i = 1; i <= 6; i++) {
    pieces.push(plain('Sign', { KeyId: signingKey, Message: Buffer.from(`m${i}`).toString('base64'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
    pieces.push(plain('GenerateRandom', { NumberOfBytes: i }));
  }
  const answers = await converse([pieces.join('')], 12);
  answers.forEach((answer, index) => {
    expect(answer.status).toBe(200);
    if (index % 2 === 0) expect(answer.json.SigningAlgorithm).toBe('RSASSA_PSS_SHA_256');
    else expect(Buffer.from(answer.json.Plaintext, 'base64')).toHaveLength((index + 1) / 2);
  });
});

test('thousands of pipelined requests from a client that reads late are all answered, in order', async () => {
  const count = 3_000;
  const pieces = Array.from({ length: count }, (_, i) => plain('GenerateRandom', { NumberOfBytes: (i % 32) + 1 }));
  const answers = await converse([pieces.join('')], count, { pauseMs: 300 });
  expect(answers).toHaveLength(count);
  answers.forEach((answer, i) => expect(Buffer.from(answer.json.Plaintext, 'base64')).toHaveLength((i % 32) + 1));
});

describe('what is not plain is answered by node:http as before', () => {
  test('a chunked body is read whole (its JSON decides the answer)', async () => {
    const head = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunked = (json: string) => `${head}${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`;
    const [malformed, whole] = await converse([chunked('{"Limit": '), chunked('{}')], 2);
    expect(malformed!.json).toEqual({ __type: 'SerializationException' });
    expect(whole!.json.__type).toBe('MissingAuthenticationTokenException');
  });

  test('Expect: 100-continue', async () => {
    const { head, body } = signedText('DescribeKey', { KeyId: keyId }, { Expect: '100-continue' });
    expect(head).toMatch(/\r\nContent-Length: \d+\r\n/);
    const [answer] = await converse([head, body], 1, { gapMs: 50 });
    expect(answer!.status).toBe(200);
    expect(answer!.json.KeyMetadata.KeyId).toBe(keyId);
  });

  test("a repeated X-Amz-Target is joined by node:http's rule and is no known operation", async () => {
    const text = plain('DescribeKey', { KeyId: keyId }).replace('\r\n\r\n', '\r\nX-Amz-Target: TrentService.DescribeKey\r\n\r\n');
    const [answer] = await converse([text], 1);
    expect(answer!.status).toBe(400);
    expect(answer!.json).toEqual({ __type: 'UnknownOperationException' });
  });

  test('HTTP/1.0 is answered and the connection closed', async () => {
    const text = plain('DescribeKey', { KeyId: keyId }).replace('HTTP/1.1', 'HTTP/1.0');
    const [answer] = await converse([text], 1);
    expect(answer!.status).toBe(200);
    expect(answer!.head).not.toMatch(/Connection: keep-alive/i);
  });
});

test('stopping kmslite closes connections the plain path holds open', async () => {
  const other = await startTestKmslite();
  const socket = connect(other.port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const answered = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
  socket.on('connect', () => socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}`));
  expect(await answered).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*Keep-Alive: timeout=65\r\n/);
  const started = Date.now();
  await other.stop();
  await closed;
  expect(Date.now() - started).toBeLessThan(5_000);
});
