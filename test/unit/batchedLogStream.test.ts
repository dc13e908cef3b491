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
