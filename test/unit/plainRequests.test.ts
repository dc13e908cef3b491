/**
 * src/server/plainRequests.ts on its own: which requests it reads itself (and what it reads from them), and that
 * its answers are byte for byte what node:http writes for the same response.
 */
import { createServer as createHttpServer, maxHeaderSize, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { MAX_PLAIN_BODY_BYTES, readPlainRequest, servePlainConnection, type PlainAnswer, type PlainRequestHost } from '../../src/server/plainRequests.js';

const HEAD = 'POST / HTTP/1.1\r\nHost: localhost:4566\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n';

function plainText(extraHeaders = '', body = '{}', head = HEAD): string {
  return `${head}${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('readPlainRequest', () => {
  test('reads a plain request: lower-cased names, values without the spaces after the colon, the body, its length', () => {
    const text = plainText('X-Amz-Date:   20261205T000000Z\r\nUser-Agent: aws-sdk-js/3 (a; b)\r\n', '{"Limit":5}');
    const read = readPlainRequest(Buffer.from(text + 'POST / HTTP/1.1\r\n'));
    expect(read).toBeDefined();
    expect(read!.length).toBe(Buffer.byteLength(text));
    expect(read!.request.body.toString()).toBe('{"Limit":5}');
    expect({ ...read!.request.headers }).toEqual({
      host: 'localhost:4566',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.ListKeys',
      'x-amz-date': '20261205T000000Z',
      'user-agent': 'aws-sdk-js/3 (a; b)',
      'content-length': '11',
    });
  });

  test('a request with only an AWS JSON content type (no X-Amz-Target) is still a protocol request', () => {
    const head = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n';
    expect(readPlainRequest(Buffer.from(plainText('', '{}', head)))).toBeDefined();
    expect(readPlainRequest(Buffer.from(plainText('', '{}', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n')))).toBeUndefined();
  });

  const notPlain: [string, string][] = [
    ['another method', plainText('', '{}', HEAD.replace('POST', 'PUT'))],
    ['another path', plainText('', '{}', HEAD.replace('POST / ', 'POST /?Action=x '))],
    ['HTTP/1.0', plainText('', '{}', HEAD.replace('HTTP/1.1', 'HTTP/1.0'))],
    ['a lower-case method', plainText('', '{}', HEAD.replace('POST', 'post'))],
    ['no Host', plainText('', '{}', HEAD.replace('Host: localhost:4566\r\n', ''))],
    ['no Content-Length', `${HEAD}\r\n{}`],
    ['Content-Length with a sign', `${HEAD}Content-Length: +2\r\n\r\n{}`],
    ['Content-Length with a leading zero', `${HEAD}Content-Length: 02\r\n\r\n{}`],
    ['a body still arriving', `${HEAD}Content-Length: 10\r\n\r\n{}`],
    ['headers still arriving', `${HEAD}Content-Length: 2\r\n`],
    ['a body over the plain limit', `${HEAD}Content-Length: ${MAX_PLAIN_BODY_BYTES + 1}\r\n\r\n${'x'.repeat(MAX_PLAIN_BODY_BYTES + 1)}`],
    ['Transfer-Encoding', plainText('Transfer-Encoding: chunked\r\n')],
    ['Expect', plainText('Expect: 100-continue\r\n')],
    ['Upgrade', plainText('Upgrade: h2c\r\n')],
    ['Connection: close', plainText('Connection: close\r\n')],
    ['a repeated header', plainText('X-Amz-Target: TrentService.ListKeys\r\n')],
    ['a repeated header in another case', plainText('x-amz-target: TrentService.ListKeys\r\n')],
    ['a value ending in a space', plainText('X-Extra: a \r\n')],
    ['an empty value', plainText('X-Extra:\r\n')],
    ['a tab after the colon', plainText('X-Extra:\ta\r\n')],
    ['a control character in a value', plainText('X-Extra: a\u0001b\r\n')],
    ['a byte over 0x7e in a value', plainText('X-Extra: caf\u00e9\r\n')],
    ['a space in a name', plainText('X Extra: a\r\n')],
    ['a space before the colon', plainText('X-Extra : a\r\n')],
    ['a line without a colon', plainText('X-Extra\r\n')],
    ['a folded header line', plainText('X-Extra: a\r\n b\r\n')],
    ['a bare LF', plainText('X-Extra: a\nX-Other: b\r\n')],
    ['no protocol headers', plainText('', '{}', 'POST / HTTP/1.1\r\nHost: x\r\n')],
    ['too many headers', plainText(Array.from({ length: 70 }, (_, i) => `X-H${i}: v\r\n`).join(''))],
    ['headers over node:http’s maxHeaderSize', plainText(`X-Big: ${'a'.repeat(maxHeaderSize)}\r\n`)],
    ['a header block over 8 KiB (half node:http’s limit)', plainText(`X-Big: ${'a'.repeat(8 * 1024)}\r\n`)],
  ];
  test.each(notPlain)('not plain, left to node:http: %s', (_name, text) => {
    expect(readPlainRequest(Buffer.from(text, 'latin1'))).toBeUndefined();
  });

  test("a body over kmslite's own limit (--max-body-bytes) is left to node:http, where it is refused", () => {
    expect(readPlainRequest(Buffer.from(plainText('', '{"Limit":10}')), 12)).toBeDefined();
    expect(readPlainRequest(Buffer.from(plainText('', '{"Limit":100}')), 12)).toBeUndefined();
  });

  test('the same texts without the difference are plain (each case above fails for its own reason)', () => {
    expect(readPlainRequest(Buffer.from(plainText('X-Extra: a b\r\n')))).toBeDefined();
    expect(readPlainRequest(Buffer.from(plainText('Connection: Keep-Alive\r\n')))).toBeDefined();
    expect(readPlainRequest(Buffer.from(`${HEAD}Content-Length: 0\r\n\r\n`))).toBeDefined();
    expect(readPlainRequest(Buffer.from(plainText(Array.from({ length: 50 }, (_, i) => `X-H${i}: v\r\n`).join(''))))).toBeDefined();
    expect(readPlainRequest(Buffer.from(plainText(`X-Big: ${'a'.repeat(7 * 1024)}\r\n`)))).toBeDefined();
  });
});

/** Everything a server writes on one connection for `text`, until it has written `until` bytes' worth of answers or closed. */
function exchange(port: number, writes: (string | Buffer)[], done: (received: string) => boolean, gapMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer; received ${JSON.stringify(received)}`));
    }, 5_000);
    socket.on('connect', async () => {
      for (const write of writes) {
        socket.write(write);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (done(received)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function close(server: Server | HttpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function stubHost(answer: (index: number) => PlainAnswer | Promise<PlainAnswer>, keepAliveTimeoutMs = 65_000): PlainRequestHost & { handedOff: Socket[]; served: string[] } {
  let index = 0;
  const host = {
    handedOff: [] as Socket[],
    served: [] as string[],
    serve: (request: { body: Buffer }) => {
      host.served.push(request.body.toString());
      return answer(index++);
    },
    answered: () => {},
    handOff: (socket: Socket) => {
      host.handedOff.push(socket);
      socket.destroy();
    },
    keepAliveTimeoutMs,
    maxBodyBytes: MAX_PLAIN_BODY_BYTES,
  };
  return host;
}

const withDate = (text: string) => text.replace(/Date: [^\r]+\r\n/g, 'Date: <date>\r\n');
const answers = (count: number) => (text: string) => text.split('HTTP/1.1 ').length - 1 >= count && text.endsWith('}');

describe('servePlainConnection', () => {
  const cases: [string, PlainAnswer][] = [
    ['a 200 with a string body', { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-1', 'content-length': '11' }, body: '{"Keys":[]}' }],
    ['a 400 with non-ASCII text', { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-2', 'content-length': String(Buffer.byteLength('{"message":"é ✓"}')) }, body: '{"message":"é ✓"}' }],
    ['a 500 with a Buffer body', { status: 500, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r-3', 'content-length': '2' }, body: Buffer.from('{}') }],
  ];
  test.each(cases)("%s: the same bytes as node:http's answer", async (_name, answer) => {
    const reference = createHttpServer({ keepAliveTimeout: 65_000 }, (request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      });
    });
    const plain = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => servePlainConnection(socket, stubHost(() => answer)));
    const [referencePort, plainPort] = [await listen(reference), await listen(plain)];
    try {
      const [expected, actual] = await Promise.all([exchange(referencePort, [plainText()], answers(1)), exchange(plainPort, [plainText()], answers(1))]);
      expect(withDate(actual)).toBe(withDate(expected));
      expect(actual).toMatch(/\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
    } finally {
      await close(reference);
      await close(plain);
    }
  });

  test('pipelined requests are answered in order, also when an earlier answer waits', async () => {
    const host = stubHost((index) => {
      const body = `{"n":${index}}`;
      const answer = { status: 200, headers: { 'content-length': String(body.length) }, body };
      return index % 2 === 0 ? new Promise<PlainAnswer>((resolve) => setTimeout(() => resolve(answer), 20)) : answer;
    });
    const server = createServer({ allowHalfOpen: true }, (socket) => servePlainConnection(socket, host));
    const port = await listen(server);
    try {
      const requests = Array.from({ length: 6 }, (_, i) => plainText('', `{"i":${i}}`)).join('');
      const received = await exchange(port, [requests], answers(6));
      expect([...received.matchAll(/\{"n":(\d)\}/g)].map((match) => Number(match[1]))).toEqual([0, 1, 2, 3, 4, 5]);
      expect(host.served).toEqual([0, 1, 2, 3, 4, 5].map((i) => `{"i":${i}}`));
      expect(host.handedOff).toHaveLength(0);
    } finally {
      await close(server);
    }
  });

  test('a request that is not plain, or not complete yet, hands the connection over with the bytes not read', async () => {
    let handedBytes = '';
    const host = stubHost(() => ({ status: 200, headers: { 'content-length': '2' }, body: '{}' }));
    host.handOff = (socket: Socket) => {
      host.handedOff.push(socket);
      socket.on('data', (chunk: Buffer) => {
        handedBytes += chunk.toString('latin1');
        if (handedBytes.endsWith('{"b":1}')) socket.end('handed');
      });
    };
    const server = createServer({ allowHalfOpen: true }, (socket) => servePlainConnection(socket, host));
    const port = await listen(server);
    try {
      const notPlain = plainText('Expect: 100-continue\r\n', '{"b":1}');
      const received = await exchange(port, [plainText('', '{"a":1}') + notPlain], (text) => text.endsWith('handed'));
      expect(received.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
      expect(host.served).toEqual(['{"a":1}']);
      expect(handedBytes).toBe(notPlain);

      // A request cut in two: handed over at its first part (node:http reads the rest).
      handedBytes = '';
      const cut = plainText('', '{"b":1}');
      await exchange(port, [cut.slice(0, 30), cut.slice(30)], (text) => text.endsWith('handed'), 50);
      expect(host.handedOff).toHaveLength(2);
      expect(handedBytes).toBe(cut);
    } finally {
      await close(server);
    }
  });

  test('an idle connection is closed after the keep-alive timeout', async () => {
    const host = stubHost(() => ({ status: 200, headers: { 'content-length': '2' }, body: '{}' }), 200);
    const server = createServer({ allowHalfOpen: true }, (socket) => servePlainConnection(socket, host));
    const port = await listen(server);
    try {
      const closedAfter = await new Promise<number>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(plainText()));
        let answeredAt = 0;
        socket.on('data', () => (answeredAt = Date.now()));
        socket.on('close', () => resolve(Date.now() - answeredAt));
      });
      expect(closedAfter).toBeGreaterThanOrEqual(150);
      expect(closedAfter).toBeLessThan(3_000);
    } finally {
      await close(server);
    }
  });

  test('a client that half-closes after its request gets the answer, then the connection ends', async () => {
    const server = createServer({ allowHalfOpen: true }, (socket) => servePlainConnection(socket, stubHost(() => ({ status: 200, headers: { 'content-length': '2' }, body: '{}' }))));
    const port = await listen(server);
    try {
      const received = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect(port, '127.0.0.1', () => socket.end(plainText()));
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
      });
      expect(received.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
      expect(received.endsWith('\r\n\r\n{}')).toBe(true);
    } finally {
      await close(server);
    }
  });
});
