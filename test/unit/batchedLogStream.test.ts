/**
 * The default log destination (src/server/batchedLogStream.ts): lines leave in order and none is lost; a line
 * after a quiet moment leaves at the end of its event-loop turn; lines that come close together leave in one write.
 */
import { BatchedLogStream } from '../../src/server/batchedLogStream.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function sink() {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => writes.push(chunk) };
}

/** Resolves once `done()` holds, checking every millisecond (the batch interval is 10 ms). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(done()).toBe(true);
}

test('after a quiet moment, the lines of one turn are written together, in order, when the turn ends', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target);
  stream.write('{"n":1}\n');
  stream.write('{"n":2}\n');
  stream.write('{"n":3}\n');
  expect(target.writes).toEqual([]);
  await nextTurn();
  expect(target.writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
});

test('lines that follow a write within the interval wait, and then leave together in one write, in order', async () => {
  const target = sink();
  // A long interval, so the batching does not depend on how fast this machine runs the test.
  const stream = new BatchedLogStream(target, 60_000);
  stream.write('a\n');
  await nextTurn();
  expect(target.writes).toEqual(['a\n']);
  stream.write('b\n');
  await nextTurn();
  stream.write('c\n');
  await nextTurn();
  expect(target.writes).toEqual(['a\n']);
  stream.flushSync();
  expect(target.writes).toEqual(['a\n', 'b\nc\n']);
});

test('with the default interval, lines that come close together all arrive, in order', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target);
  for (let i = 0; i < 20; i++) {
    stream.write(`${i}\n`);
    await nextTurn();
  }
  const expected = Array.from({ length: 20 }, (_, i) => `${i}\n`).join('');
  await until(() => target.writes.join('') === expected);
});

test('flush (pino logger.flush) writes what is pending at once, and an empty flush writes nothing', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target);
  stream.write('a\n');
  let flushed = false;
  stream.flush(() => (flushed = true));
  expect(flushed).toBe(true);
  expect(target.writes).toEqual(['a\n']);
  stream.flushSync();
  await nextTurn();
  expect(target.writes).toEqual(['a\n']);
});

test('a burst of lines is written before the batch ends, without losing or reordering lines', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target);
  const line = JSON.stringify({ pad: 'x'.repeat(1000) }) + '\n';
  for (let i = 0; i < 200; i++) stream.write(line);
  expect(target.writes.length).toBeGreaterThan(0);
  await until(() => target.writes.join('') === line.repeat(200));
});

test('lines reach the destination as the same text: non-ASCII, emoji and lone surrogates as UTF-8 writes them', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target);
  const lines = ['{"k":"é 日本 🙂"}\n', '{"k":"lone \ud800 high"}\n', '{"k":"lone \udc00 low"}\n', '{"k":"\u0000\u001f\u2028"}\n'];
  for (const line of lines) stream.write(line);
  stream.flushSync();
  // What the destination writes is the UTF-8 encoding of the text it gets: the same bytes as the lines' own encoding.
  expect(Buffer.from(target.writes.join(''), 'utf8')).toEqual(Buffer.concat(lines.map((line) => Buffer.from(line, 'utf8'))));
  expect(target.writes.join('')).toBe(lines.join('').replace('\ud800', '\ufffd').replace('\udc00', '\ufffd'));
});

test('a line longer than the batch leaves on its own, after what was pending and before what follows', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target, 60_000);
  const long = JSON.stringify({ pad: 'é'.repeat(40_000) }) + '\n';
  stream.write('a\n');
  stream.write(long);
  stream.write('b\n');
  stream.flushSync();
  expect(target.writes).toEqual(['a\n', long, 'b\n']);
});

test('lines that fill the batch leave in order, each whole, with multi-byte characters at the edges', async () => {
  const target = sink();
  const stream = new BatchedLogStream(target, 60_000);
  const lines = Array.from({ length: 300 }, (_, i) => `${i} ${'🙂'.repeat(i % 97)}${'x'.repeat(i * 7)}\n`);
  for (const line of lines) stream.write(line);
  stream.flushSync();
  expect(target.writes.length).toBeGreaterThan(1);
  expect(target.writes.join('')).toBe(lines.join(''));
  for (const write of target.writes) expect(write.endsWith('\n')).toBe(true);
});
