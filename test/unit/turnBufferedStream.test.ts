/**
 * The default log destination (src/server/turnBufferedStream.ts): the lines of one event-loop turn leave in one
 * write, in order, by the end of that turn; nothing is left behind on flush.
 */
import { TurnBufferedStream } from '../../src/server/turnBufferedStream.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function sink() {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => writes.push(chunk) };
}

test('the lines of one turn are written together, in order, when the turn ends', async () => {
  const target = sink();
  const stream = new TurnBufferedStream(target);
  stream.write('{"n":1}\n');
  stream.write('{"n":2}\n');
  stream.write('{"n":3}\n');
  expect(target.writes).toEqual([]);
  await nextTurn();
  expect(target.writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);

  stream.write('{"n":4}\n');
  await nextTurn();
  expect(target.writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
});

test('flush (pino logger.flush) writes what is pending at once, and an empty flush writes nothing', async () => {
  const target = sink();
  const stream = new TurnBufferedStream(target);
  stream.write('a\n');
  let flushed = false;
  stream.flush(() => (flushed = true));
  expect(flushed).toBe(true);
  expect(target.writes).toEqual(['a\n']);
  await nextTurn();
  stream.flushSync();
  expect(target.writes).toEqual(['a\n']);
});

test('a turn that logs a lot writes before the turn ends, without losing or reordering lines', async () => {
  const target = sink();
  const stream = new TurnBufferedStream(target);
  const line = JSON.stringify({ pad: 'x'.repeat(1000) }) + '\n';
  for (let i = 0; i < 200; i++) stream.write(line);
  expect(target.writes.length).toBeGreaterThan(0);
  await nextTurn();
  expect(target.writes.join('')).toBe(line.repeat(200));
});
