/**
 * parseLargeJson (src/protocol/largeBody.ts) cuts long string values out of a large body before JSON.parse and
 * decodes them from the body's bytes. It must give exactly JSON.parse's result, and throw exactly when JSON.parse
 * throws, for any body: valid JSON of every shape, and the same texts damaged. Short cut-out lengths make every
 * string a candidate, so the campaign reaches member names, arrays, nesting, escapes and control characters.
 */
import fc from 'fast-check';
import { parseLargeJson } from '../../src/protocol/largeBody.js';

/** JSON.parse's outcome: the value, or that it threw. */
function outcome(parse: () => unknown): { value?: unknown; threw?: true } {
  try {
    return { value: parse() };
  } catch {
    return { threw: true };
  }
}

function expectSameAsJsonParse(text: string, minValueBytes: number): void {
  const body = Buffer.from(text, 'utf8');
  const expected = outcome(() => JSON.parse(body.toString('utf8')));
  const actual = outcome(() => parseLargeJson(body, minValueBytes));
  expect(actual).toStrictEqual(expected);
}

/** A JSON text with optional whitespace around its tokens. */
const jsonText = fc.oneof(fc.json(), fc.json().map((text) => text.replace(/([,:[\]{}])/g, (token) => ` ${token}\n\t`)));
const damage = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('"', '\\', ',', ':', '[', ']', '{', '}', '\u0001', ' ', 'x', '', '\\u00', 'é'));

test('valid JSON of any shape parses to what JSON.parse gives', () => {
  fc.assert(
    fc.property(jsonText, fc.integer({ min: 0, max: 8 }), (text, minValueBytes) => expectSameAsJsonParse(text, minValueBytes)),
    { numRuns: 3000 },
  );
});

test('damaged JSON is refused exactly when JSON.parse refuses it, and parses alike otherwise', () => {
  fc.assert(
    fc.property(jsonText, damage, fc.integer({ min: 0, max: 8 }), (text, [at, cut, insert], minValueBytes) => {
      const position = at % (text.length + 1);
      const damaged = text.slice(0, position) + insert + text.slice(position + (cut % 3));
      expectSameAsJsonParse(damaged, minValueBytes);
    }),
    { numRuns: 5000 },
  );
});

test.each([
  ['a long value with a raw control character is refused', '{"Description":"abc\u0001def"}'],
  ['a long value with escapes keeps them', '{"Description":"a\\"b\\\\c\\u00e9\\n"}'],
  ['a long member name stays a member name', '{"abcdefgh":"abcdefgh","x":["abcdefgh",{"abcdefgh":"abcdefgh"}]}'],
  ['__proto__ stays an own member', '{"__proto__":{"abcdefgh":"abcdefgh"},"a":"abcdefgh"}'],
  ['an unterminated string is refused', '{"Description":"abcdefgh'],
  ['a string where a member name belongs is refused', '{"abcdefgh"}'],
  ['a value without a member name is refused', '{:"abcdefgh"}'],
  ['a text after the value is refused', '{"a":"abcdefgh"}"abcdefgh"'],
  ['non-ASCII values decode as UTF-8', '{"a":"ééééé漢字😀","b":["ééééé漢字😀"]}'],
  ['a top-level string', '"abcdefgh"'],
  ['a value the size of a cut-out marker', `{"a":"${'\\u0000'.repeat(3)}kmslite-long-value-0"}`],
])('%s', (_name, text) => {
  expectSameAsJsonParse(text, 2);
});
