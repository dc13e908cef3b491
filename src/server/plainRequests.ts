/**
 * The KMS protocol's usual request, read and answered straight on the socket; every other request, and the rest
 * of its connection, goes to node:http.
 *
 * Why: node:http's server spends about 13 µs of CPU per request on this machine before a handler runs and after
 * it answers (a request and a response object, a headers object, timers, event listeners, a write queue), as much
 * as all of kmslite's KMS work on an Encrypt (docs/contributing/benchmarks.md, "Sixth pass"). What an SDK, the
 * aws CLI, the Encryption SDK and Terraform send is always the same plain shape: `POST / HTTP/1.1`, a few
 * headers, a Content-Length body, keep-alive. That shape, and only that, is read here. No library does this part:
 * node's own parser (llhttp) is not public API, and the servers on npm sit on node:http (Express, Fastify, Koa)
 * or on a native addon that is not on the npm registry (uWebSockets.js).
 *
 * What counts as plain (anything else is handed to node:http, which then answers exactly as before: its own
 * parser's errors, 100-continue, chunked bodies, large bodies, the admin app and console, timeouts):
 * - the request line is exactly `POST / HTTP/1.1`;
 * - the whole header block (at most 8 KiB, half node:http's maxHeaderSize) and the whole body are already received;
 * - every header line is `name:` a token, optional spaces, then a value of printable ASCII that neither starts nor
 *   ends with a space; no name appears twice (node:http's rules for repeated headers are not copied here);
 * - Host is present (node:http requires it); Content-Length is plain digits, at most MAX_PLAIN_BODY_BYTES and
 *   kmslite's body limit (a larger body is refused on node:http's path, as before); no Transfer-Encoding, Expect or
 *   Upgrade, and no Connection other than keep-alive;
 * - it is a protocol request by kmslite's rule (an X-Amz-Target, or an AWS JSON content type).
 *
 * Answers leave at the end of the event-loop turn (the socket is corked at the first answer of a turn and
 * uncorked by one setImmediate): under load libuv hands several connections' requests to one turn, and their
 * answers then reach the client in one burst instead of one wake-up of the client per answer. On this machine a
 * wake-up of the client's CPU costs the server about 8 µs of kernel time (wrk A/B: Encrypt 52.3 → 44.3 µs per
 * request, throughput 20,000 → 23,000 req/s, p50 latency unchanged); a lone request still leaves at once.
 *
 * One difference is left: a connection that stays idle before or between plain requests is closed after
 * keepAliveTimeoutMs without an answer (node:http also closes an idle connection between requests after it, and
 * one that has sent nothing at all after headersTimeout, 60 s, with a 408).
 *
 * The answer's bytes are node:http's for the same response (status line, the given headers in order, then Date,
 * `Connection: keep-alive` and `Keep-Alive: timeout=N`): test/unit/plainRequests.test.ts compares them with a
 * node:http server's, and test/protocol/plainRequests.test.ts mixes both paths on one connection.
 *
 * Just over 300 lines: the reader and the connection are one unit (the connection decides, request by request,
 * with the reader, when node:http takes over), and a third of the file is this comment.
 */
import type { Socket } from 'node:net';
import { monotonicMs } from '../util/clock.js';
import { STATUS_CODES, maxHeaderSize } from 'node:http';

/** Bodies larger than this go through node:http (and kmslite's large-body handling there). */
export const MAX_PLAIN_BODY_BYTES = 64 * 1024;
/** More header lines than this go through node:http (which caps what it keeps at 2,000). */
const MAX_PLAIN_HEADERS = 64;
/**
 * Larger header blocks go through node:http, well below its maxHeaderSize (16 KiB by default), so that a request
 * node:http would refuse with a 431 is never one read here, however node:http counts the bytes at its limit.
 */
const MAX_PLAIN_HEAD_BYTES = Math.min(8 * 1024, maxHeaderSize >> 1);

export interface PlainRequest {
  /** Lower-cased names, as node:http's `request.headers` has them for headers that appear once. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface PlainRequestHost<Answer extends PlainAnswer = PlainAnswer> {
  /** Answers one plain request; a promise when it waits. Never throws or rejects. */
  serve(request: PlainRequest, socket: Socket): Answer | Promise<Answer>;
  /** After the answer is written (the request log line): `started` is monotonicMs() when the request was read. */
  answered(request: PlainRequest, answer: Answer, started: number): void;
  /** The connection from here on is node:http's (its bytes not yet read are back in the socket). */
  handOff(socket: Socket): void;
  /** node:http's keepAliveTimeout: an idle connection closes after it, and the answers announce it. */
  keepAliveTimeoutMs: number;
  /** Larger bodies go to node:http (kmslite's limit on bodies is applied there): at most MAX_PLAIN_BODY_BYTES. */
  maxBodyBytes: number;
}

const REQUEST_LINE = 'POST / HTTP/1.1\r\n';
const HEADER_END = Buffer.from('\r\n\r\n');
const DIGITS = /^(?:0|[1-9][0-9]{0,5})$/;
const AWS_JSON = 'application/x-amz-json';

/**
 * What each byte may be in a plain header line: TOKEN_BYTE in a name (RFC 9110's tchar), VALUE_BYTE in a value
 * (printable ASCII and space). Checked byte by byte on the Buffer: cheaper than two regular expressions per line.
 */
const TOKEN_BYTE = 1;
const VALUE_BYTE = 2;
const BYTE_KIND = new Uint8Array(256);
for (let code = 0x20; code <= 0x7e; code++) BYTE_KIND[code] = VALUE_BYTE;
for (const char of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") BYTE_KIND[char.charCodeAt(0)]! |= TOKEN_BYTE;
const COLON = 0x3a;
const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;

/** Header names as clients spell them, lower-cased once (they repeat on every request). */
const lowerCased = new Map<string, string>();

function lowerCase(name: string): string {
  let lower = lowerCased.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCased.size < 256) lowerCased.set(name, lower);
  }
  return lower;
}

/** One plain request at the start of `bytes` and how many bytes it takes, or undefined for anything else. */
export function readPlainRequest(bytes: Buffer, maxBodyBytes = MAX_PLAIN_BODY_BYTES): { request: PlainRequest; length: number } | undefined {
  const headerEnd = bytes.indexOf(HEADER_END);
  if (headerEnd < 0 || headerEnd + 4 > MAX_PLAIN_HEAD_BYTES) return undefined;
  const head = bytes.toString('latin1', 0, headerEnd + 2);
  if (!head.startsWith(REQUEST_LINE)) return undefined;
  // A plain object, as node:http's request.headers is (a prototype name, repeated or not, goes to node:http).
  const headers: Record<string, string> = {};
  const end = headerEnd + 2;
  let count = 0;
  let at = REQUEST_LINE.length;
  while (at < end) {
    // name ":" spaces value CRLF, the value not empty and not ending in a space.
    const nameStart = at;
    while (BYTE_KIND[bytes[at]!]! & TOKEN_BYTE) at++;
    if (at === nameStart || bytes[at] !== COLON || ++count > MAX_PLAIN_HEADERS) return undefined;
    const nameEnd = at++;
    while (bytes[at] === SPACE) at++;
    const valueStart = at;
    while (BYTE_KIND[bytes[at]!]! & VALUE_BYTE) at++;
    if (at === valueStart || bytes[at] !== CR || bytes[at + 1] !== LF || bytes[at - 1] === SPACE) return undefined;
    const lower = lowerCase(head.slice(nameStart, nameEnd));
    if (headers[lower] !== undefined) return undefined;
    headers[lower] = head.slice(valueStart, at);
    at += 2;
  }
  const contentLength = headers['content-length'];
  if (contentLength === undefined || !DIGITS.test(contentLength) || headers.host === undefined) return undefined;
  if (headers['transfer-encoding'] !== undefined || headers.expect !== undefined || headers.upgrade !== undefined) return undefined;
  const connection = headers.connection;
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return undefined;
  if (headers['x-amz-target'] === undefined && !(headers['content-type'] ?? '').startsWith(AWS_JSON)) return undefined;
  const bodyLength = Number(contentLength);
  if (bodyLength > maxBodyBytes || bodyLength > MAX_PLAIN_BODY_BYTES) return undefined;
  const length = headerEnd + 4 + bodyLength;
  if (bytes.length < length) return undefined;
  return { request: { headers, body: bytes.subarray(headerEnd + 4, length) }, length };
}

/** Serves one accepted connection: its plain requests here, in order, until one is not plain. */
export function servePlainConnection<Answer extends PlainAnswer>(socket: Socket, host: PlainRequestHost<Answer>): void {
  new PlainConnection(socket, host);
}

class PlainConnection<Answer extends PlainAnswer> {
  /** Received bytes not yet read as a request. */
  private pending: Buffer | undefined;
  /** An answer is not written yet (the pipeline waits), or the socket's buffer is full: read nothing more now. */
  private waiting = false;
  private handedOff = false;
  /** Its answers wait in the socket until the end of this event-loop turn (uncorkAll). */
  corked = false;
  /** What ends every answer's header block after its Date (the same for the connection's life). */
  private readonly headTail: string;

  constructor(
    private readonly socket: Socket,
    private readonly host: PlainRequestHost<Answer>,
  ) {
    this.headTail = `\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(host.keepAliveTimeoutMs / 1000)}\r\n\r\n`;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('timeout', this.onTimeout);
    socket.setTimeout(host.keepAliveTimeoutMs);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.waiting) this.readRequestsSafely();
  };

  /** A fault here (a kmslite bug) closes this connection; it never reaches the process as an uncaught exception. */
  private readRequestsSafely(): void {
    try {
      this.readRequests();
    } catch {
      this.socket.destroy();
    }
  }

  /** The client sent its last byte: node:http (without httpAllowHalfOpen) ends its side too. */
  private readonly onEnd = (): void => {
    this.pending = undefined;
    if (this.socket.writable) this.socket.end();
  };

  private readonly onError = (): void => {
    this.socket.destroy();
  };

  private readonly onTimeout = (): void => {
    this.socket.destroy();
  };

  private readRequests(): void {
    while (this.pending !== undefined && !this.waiting) {
      const read = readPlainRequest(this.pending, this.host.maxBodyBytes);
      if (read === undefined) {
        this.handOff();
        return;
      }
      this.pending = read.length === this.pending.length ? undefined : this.pending.subarray(read.length);
      const started = monotonicMs();
      const answer = this.host.serve(read.request, this.socket);
      if (answer instanceof Promise) {
        this.wait();
        answer
          .then((done) => {
            this.write(done);
            this.host.answered(read.request, done, started);
            this.resume();
          })
          .catch(() => this.socket.destroy());
        return;
      }
      this.write(answer);
      this.host.answered(read.request, answer, started);
      if (this.socket.writableNeedDrain) {
        this.wait();
        this.socket.once('drain', () => this.resume());
        return;
      }
    }
  }

  private wait(): void {
    this.waiting = true;
    this.socket.pause();
  }

  private resume(): void {
    this.waiting = false;
    if (this.socket.destroyed) return;
    this.socket.resume();
    this.readRequestsSafely();
  }

  private write(answer: PlainAnswer): void {
    if (!this.socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      if (corkedConnections.length === 0) setImmediate(uncorkAll);
      corkedConnections.push(this);
    }
    let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'unknown'}\r\n`;
    for (const name in answer.headers) head += `${name}: ${answer.headers[name]}\r\n`;
    head += `Date: ${utcDate(Date.now())}${this.headTail}`;
    if (typeof answer.body === 'string') {
      this.socket.write(head + answer.body);
    } else {
      // Both leave in one writev with the turn's other answers (the socket is corked).
      this.socket.write(head, 'latin1');
      this.socket.write(answer.body);
    }
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** node:http takes the connection with the bytes not read yet, as if it had accepted it. */
  private handOff(): void {
    if (this.handedOff) return;
    this.handedOff = true;
    const socket = this.socket;
    socket.removeListener('data', this.onData);
    socket.removeListener('end', this.onEnd);
    socket.removeListener('error', this.onError);
    socket.removeListener('timeout', this.onTimeout);
    socket.setTimeout(0);
    const rest = this.pending;
    this.pending = undefined;
    if (rest !== undefined) socket.unshift(rest);
    this.host.handOff(socket);
  }
}

/**
 * Connections that answered during this event-loop turn: their answers leave together after every request read
 * in the turn has been answered (setImmediate runs after the poll phase).
 */
const corkedConnections: { corked: boolean; uncork(): void }[] = [];

function uncorkAll(): void {
  for (const connection of corkedConnections) {
    connection.corked = false;
    connection.uncork();
  }
  corkedConnections.length = 0;
}

let dateSecond = -1;
let dateText = '';

/** node:http's Date header text, made once a second. */
function utcDate(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}
