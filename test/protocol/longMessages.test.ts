/**
 * Error messages that quote a long request value (64 KiB or more, up to the 1 MiB body) are kept as pieces and
 * written to the wire piece by piece (src/protocol/errors.ts, errorWireBody): the bytes must be exactly what
 * JSON.stringify of the joined text gives, and the audit trail and log line get the first 512 characters.
 */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { KmsError, LONG_MESSAGE_CHARS, cutPieces, errorBody, errorWireBody, messageText } from '../../src/protocol/errors.js';
import { errorOf, kmsClient, rawRequest, withKmslite, logCapture } from '../helpers/fixture.js';
import { eventOf } from '../audit/helpers.js';

/** A long value holding every kind of character JSON escapes or passes through. */
function longValue(extra: string): string {
  return 'x'.repeat(LONG_MESSAGE_CHARS) + extra;
}

const TRICKY = [
  '',
  'plain',
  'quote " and backslash \\',
  'controls \u0000\u0001\b\f\n\r\t\u001f',
  'non-ASCII é ü 漢字 €',
  'pair 😀 and lone high \ud800 and lone low \udc00 end',
  '\u2028\u2029 and \u007f',
];

describe('errorWireBody', () => {
  for (const member of ['message', 'Message'] as const) {
    test.each(TRICKY)(`long pieces with %j are written as JSON.stringify writes them (${member})`, (extra) => {
      const pieces = [`Value '`, longValue(extra), `' at 'description' failed: ${extra}`];
      const text = messageText(pieces);
      expect(Array.isArray(text)).toBe(true);
      const error = new KmsError('ValidationException', text, { messageMember: member });
      const expected = Buffer.from(JSON.stringify({ __type: 'ValidationException', [member]: pieces.join('') }));
      const wire = errorWireBody(error);
      expect(Buffer.isBuffer(wire)).toBe(true);
      expect(Buffer.compare(wire as Buffer, expected)).toBe(0);
      expect(errorBody(error)).toBe(expected.toString());
      expect(error.awsMessage).toBe(pieces.join(''));
      expect(error.message).toBe(pieces.join('').slice(0, 512));
    });
  }

  test('short pieces are one string, and the body is the same string as before', () => {
    const text = messageText(['a "', 'b', '" c']);
    expect(text).toBe('a "b" c');
    const error = new KmsError('ValidationException', text);
    expect(errorWireBody(error)).toBe('{"__type":"ValidationException","message":"a \\"b\\" c"}');
  });

  test('cutPieces takes the first characters across pieces', () => {
    expect(cutPieces(['ab', 'cdef', 'g'], 3)).toBe('abc');
    expect(cutPieces(['ab', 'cd'], 4)).toBe('abcd');
    expect(cutPieces(['ab', 'cd'], 10)).toBe('abcd');
  });
});

describe('long quoted values through the server', () => {
  test('a long Description and a long non-base64 Plaintext: AWS text on the wire, 512 characters in the audit event and the log line', async () => {
    const { lines, logStream } = logCapture();
    await withKmslite({ logLevel: 'info', logStream }, async (running) => {
      const kms = kmsClient(running);
      const description = longValue('é "quoted" \\ \u0001 😀');
      const refused = await errorOf(() => kms.send(new CreateKeyCommand({ Description: description })));
      const expected = `1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`;
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toBe(expected);
      const event = await eventOf(running, refused.$metadata.requestId);
      expect(event.errorMessage).toBe(expected.slice(0, 512));

      const plaintext = 'p'.repeat(LONG_MESSAGE_CHARS) + '!!!!';
      const raw = await rawRequest(running, 'Encrypt', { KeyId: 'alias/none', Plaintext: plaintext });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({ __type: 'SerializationException', Message: `'${plaintext}' can not be converted to a Blob: Invalid Base64 character: '!'` });
      const blobEvent = await eventOf(running, raw.headers['x-amzn-requestid'] as string);
      expect(blobEvent.errorMessage).toBe(`'***' can not be converted to a Blob: Invalid Base64 character: '***'`);

      const logged = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request' && entry.status === 400);
      expect(logged.map((entry) => entry.errorMessage)).toEqual([expected.slice(0, 512), blobEvent.errorMessage]);
      expect(lines.join('\n')).not.toContain(plaintext.slice(0, 1000));
    });
  });

  test('a quoted value under 64 KiB keeps the one-string path: the whole text on the wire', async () => {
    await withKmslite({}, async (running) => {
      const kms = kmsClient(running);
      const description = 'd'.repeat(8193);
      const tooLong = await errorOf(() => kms.send(new CreateKeyCommand({ Description: description })));
      expect(tooLong.message).toBe(`1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`);
      const event = await eventOf(running, tooLong.$metadata.requestId);
      expect(event.errorMessage).toBe(tooLong.message.slice(0, 512));
    });
  });
});
