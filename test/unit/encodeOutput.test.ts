/**
 * encodeOutput (src/protocol/json.ts) writes the usual answer shapes as JSON text directly instead of copying
 * them with toWire and calling JSON.stringify. Its text must be exactly the generic one, for every value: answers'
 * shapes (nested objects, arrays, Buffers, Dates, undefined members), every kind of string (quotes, backslashes,
 * controls, non-ASCII, lone surrogates) and number, and the values only the generic path knows (Maps, class
 * instances, functions), which it hands over.
 */
import fc from 'fast-check';
import { encodeOutput, genericOutputText } from '../../src/protocol/json.js';

class Shape {
  constructor(readonly name: string) {}
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000\u001f', '\ud800', '\udc00x', '😀', 'é', '\u2028'));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, Number.NaN, Infinity, -Infinity, 0.1));
const leaf = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN)).map((ms) => new Date(ms)),
);
const unusual = fc.oneof(
  fc.dictionary(text, fc.oneof(text, number)).map((entries) => new Map(Object.entries(entries))),
  text.map((name) => new Shape(name)),
  fc.constant(() => 1),
  fc.uint8Array({ maxLength: 4 }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 6 }),
    fc.dictionary(text, tie('value'), { maxKeys: 3, noNullPrototype: false }),
    unusual,
  ),
}));

test('the text is JSON.stringify(toWire(output)) for any output', () => {
  fc.assert(
    fc.property(fc.dictionary(text, value, { maxKeys: 8 }), (output) => {
      expect(encodeOutput(output)).toBe(genericOutputText(output));
    }),
    { numRuns: 2000 },
  );
});

test('answer shapes: blobs as base64, dates as epoch seconds, undefined members left out', () => {
  const output = {
    CiphertextBlob: Buffer.from([0, 1, 2, 250, 255]),
    KeyId: 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    Missing: undefined,
    KeyMetadata: { CreationDate: new Date(1700000000123), Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], Description: 'say "hi"\n' },
  };
  expect(encodeOutput(output)).toBe(
    '{"CiphertextBlob":"AAEC+v8=","KeyId":"arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",' +
      '"KeyMetadata":{"CreationDate":1700000000.123,"Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],"Description":"say \\"hi\\"\\n"}}',
  );
  expect(encodeOutput(output)).toBe(genericOutputText(output));
});

test('an own __proto__ member is left out, as the generic path leaves it out', () => {
  for (const member of [new Date(Number.NaN), 'text', { a: 1 }, null]) {
    const output = JSON.parse(`{"a":1,"__proto__":${JSON.stringify(member)},"b":{"__proto__":2}}`) as object;
    if (member instanceof Date) Object.defineProperty(output, '__proto__', { value: member, enumerable: true });
    expect(encodeOutput(output)).toBe(genericOutputText(output));
    expect(encodeOutput(output)).toBe('{"a":1,"b":{}}');
  }
});
