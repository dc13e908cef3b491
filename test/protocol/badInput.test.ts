/**
 * Bad input of any kind, across every operation: never a 5xx, never a non-AWS-shaped answer, never a hang,
 * and never a changed store after a rejected request. Requests are generated from the model's input shapes
 * with fast-check (wrong types, out-of-range and malformed values, unknown members, garbage blobs) and sent
 * signed through the protocol pipeline, plus a smaller sample over real sockets.
 */
import fc from 'fast-check';
import aws4 from 'aws4';
import { CreateKeyCommand, EncryptCommand, TagResourceCommand } from '@aws-sdk/client-kms';
import { INPUT_SHAPES, type ShapeDesc } from '../../src/model/generated/shapes.js';
import { OPERATION_NAMES } from '../../src/model/generated/operations.js';
import { MODELED_ERROR_NAMES } from '../../src/model/generated/errors.js';
import { encodeState } from '../../src/store/stateCodec.js';
import { kmsClient, rawRequest, TEST_CREDENTIALS, useKmslite, createKeyWithAlias, running } from '../helpers/fixture.js';

const FRAMEWORK_ERRORS = [
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'AccessDeniedException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
];
const AWS_ERRORS = new Set<string>([...MODELED_ERROR_NAMES, ...FRAMEWORK_ERRORS]);

let keyId: string;
let ciphertext: string;

useKmslite();

beforeAll(async () => {
  const kms = kmsClient(running);
  keyId = (await createKeyWithAlias(kms, 'alias/target', { Description: 'target' })).KeyId!;
  await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
  ciphertext = Buffer.from((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).CiphertextBlob!).toString('base64');
});

/** Every record of every store, as the data directory would hold it (src/store/stateCodec.ts), clock included. */
function snapshot(): string {
  return JSON.stringify(encodeState(running.kmslite.stores, running.kmslite.clock.offset, 0, new Date(0)));
}

/** A value for a member: sometimes plausible, mostly wrong in some way. */
function valueFor(shape: ShapeDesc, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.constant([]),
    fc.constant({}),
    fc.constant('x'.repeat(9000)),
    fc.constant('\u0000\ud800'),
  );
  if (depth > 2) return wrong;
  const plausible: fc.Arbitrary<unknown> = (() => {
    switch (shape.kind) {
      case 'string':
        return fc.oneof(
          fc.constant(keyId),
          fc.constant('alias/target'),
          fc.constant(''),
          fc.string({ maxLength: 300 }),
          fc.constantFrom(...(shape.enumText ? shape.enumText.slice(1, -1).split(', ') : ['default'])),
        );
      case 'integer':
      case 'long':
        return fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.constant(2 ** 31), fc.constant(-1));
      case 'boolean':
        return fc.boolean();
      case 'blob':
        return fc.oneof(
          fc.constant(ciphertext),
          fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
          fc.constant('not base64!'),
          fc.constant('QQ='),
          fc.constant(''),
          fc.constant(Buffer.alloc(7000).toString('base64')),
        );
      case 'timestamp':
        return fc.oneof(fc.integer(), fc.string({ maxLength: 10 }));
      case 'list':
        return fc.array(valueFor(shape.member!, depth + 1), { maxLength: 12 });
      case 'map':
        return fc.dictionary(fc.string({ maxLength: 8 }), valueFor(shape.value!, depth + 1), { maxKeys: 4 });
      case 'structure':
        return structureFor(shape, depth + 1);
    }
  })();
  return fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: wrong, weight: 1 });
}

function structureFor(shape: ShapeDesc, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const members = shape.members ?? [];
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const member of members) record[member.name] = valueFor(member.shape, depth);
  record.UnknownMember = fc.anything();
  return fc.record(record, { requiredKeys: [] });
}

function signed(operation: string, body: string) {
  const request = aws4.sign(
    {
      host: '127.0.0.1',
      method: 'POST',
      path: '/',
      service: 'kms',
      region: 'eu-west-2',
      body,
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}` },
    },
    TEST_CREDENTIALS,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) };
}

let tried = 0;

/** Generated requests per operation (thousands in CI; KMSLITE_BAD_INPUT_RUNS=50 for a quick local run). */
const RUNS_PER_OPERATION = Number(process.env.KMSLITE_BAD_INPUT_RUNS ?? 1000);

function assertAwsShaped(status: number, body: string): string | undefined {
  expect(status).toBeLessThan(500);
  if (status === 200) return undefined;
  expect(status).toBe(400);
  const parsed = JSON.parse(body);
  expect(typeof parsed.__type).toBe('string');
  expect(AWS_ERRORS.has(parsed.__type)).toBe(true);
  return parsed.__type;
}

describe.each(OPERATION_NAMES)('%s', (operation) => {
  test('generated bad input: AWS-shaped 400s, no 5xx, rejected requests change nothing', async () => {
    const shape = INPUT_SHAPES[operation];
    await fc.assert(
      fc.asyncProperty(structureFor(shape), async (input) => {
        const before = snapshot();
        const response = await running.kmslite.handle(signed(operation, JSON.stringify(input)));
        tried++;
        const error = assertAwsShaped(response.status, response.body.toString());
        if (error !== undefined) expect(snapshot()).toBe(before);
      }),
      { numRuns: RUNS_PER_OPERATION },
    );
  });

  test('malformed bodies and bad signatures', async () => {
    const before = snapshot();
    for (const body of ['', '{', '{"KeyId":', '[1,2]', '"s"', '\u00ff\u00fe', '{"a":'.repeat(5000)]) {
      const response = await running.kmslite.handle(signed(operation, body));
      tried++;
      expect(assertAwsShaped(response.status, response.body.toString())).toBeDefined();
    }
    const tampered = signed(operation, '{}');
    tampered.headers.authorization = tampered.headers.authorization!.replace(/Signature=[0-9a-f]{4}/, 'Signature=0000');
    const badSignature = await running.kmslite.handle(tampered);
    tried++;
    expect(JSON.parse(badSignature.body.toString()).__type).toBe('InvalidSignatureException');
    expect(snapshot()).toBe(before);
  });
});

test('garbage, truncated and bit-flipped ciphertexts: InvalidCiphertextException, nothing changed', async () => {
  // A key of its own: the generated requests above may have disabled or scheduled the shared one.
  const kms = kmsClient(running);
  const ownKeyId = (await kms.send(new CreateKeyCommand({ Description: 'ciphertexts' }))).KeyMetadata!.KeyId!;
  const original = Buffer.from((await kms.send(new EncryptCommand({ KeyId: ownKeyId, Plaintext: Buffer.from('garbage test') }))).CiphertextBlob!);
  kms.destroy();
  const before = snapshot();
  const damaged = fc.oneof(
    fc.integer({ min: 1, max: original.length - 1 }).map((length) => original.subarray(0, length)),
    fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 0, max: 7 })).map(([index, bit]) => {
      const copy = Buffer.from(original);
      copy[index]! ^= 1 << bit;
      return copy;
    }),
    fc.uint8Array({ minLength: 1, maxLength: 6144 }).map((bytes) => Buffer.from(bytes)),
  );
  await fc.assert(
    fc.asyncProperty(damaged, fc.constantFrom('Decrypt', 'ReEncrypt'), async (blob, operation) => {
      const body = operation === 'Decrypt' ? { CiphertextBlob: blob.toString('base64') } : { CiphertextBlob: blob.toString('base64'), DestinationKeyId: ownKeyId };
      const response = await running.kmslite.handle(signed(operation, JSON.stringify(body)));
      tried++;
      expect([response.status, JSON.parse(response.body.toString()).__type]).toEqual([400, 'InvalidCiphertextException']);
    }),
    { numRuns: RUNS_PER_OPERATION },
  );
  expect(snapshot()).toBe(before);
});

test('unknown and malformed targets: UnknownOperationException', async () => {
  const before = snapshot();
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }).map((name) => `TrentService.${name}`)), async (target) => {
      fc.pre(!OPERATION_NAMES.some((operation) => target === `TrentService.${operation}`));
      const request = signed('Encrypt', '{}');
      request.headers['x-amz-target'] = target;
      const response = await running.kmslite.handle(request);
      tried++;
      expect([response.status, JSON.parse(response.body.toString()).__type]).toEqual([400, 'UnknownOperationException']);
    }),
    { numRuns: RUNS_PER_OPERATION },
  );
  expect(snapshot()).toBe(before);
});

test('a sample over real sockets: invalid UTF-8, huge and nested bodies, garbage headers', async () => {
  const before = snapshot();
  const bodies: (string | Buffer)[] = [Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), '['.repeat(100_000), JSON.stringify({ KeyId: keyId, Plaintext: 'A'.repeat(600_000) })];
  for (const body of bodies) {
    for (const operation of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'TagResource']) {
      const response = await rawRequest(running, operation, body);
      tried++;
      expect(assertAwsShaped(response.status, response.body)).toBeDefined();
    }
  }
  const noTarget = await rawRequest(running, 'Encrypt', '{}', { target: null });
  expect(noTarget.json.__type).toBe('UnknownOperationException');
  const garbageAuth = await rawRequest(running, 'Encrypt', '{}', { sign: false, headers: { Authorization: 'garbage' } });
  expect(garbageAuth.status).toBe(400);
  expect(snapshot()).toBe(before);
});

afterAll(() => {
  // The campaign's size, for the CI log.
  console.log(`bad-input campaign: ${tried} requests tried`);
});
