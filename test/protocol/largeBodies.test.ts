/**
 * Large request bodies (over 64 KiB) go through one reused buffer when it is free (src/server/kmslite.ts,
 * largeBody): requests in flight together must each be read from their own bytes, and a large refused value
 * still gets AWS's message.
 */
import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { RunningKmslite } from '../../src/index.js';
import { kmsClient, rawRequest, startTestKmslite } from '../helpers/kmslite.js';

let running: RunningKmslite;
let kms: KMSClient;

beforeAll(async () => {
  running = await startTestKmslite();
  kms = kmsClient(running);
});

afterAll(async () => {
  await running.stop();
});

/** A valid Encrypt body padded with JSON whitespace to `bytes`. */
function paddedEncrypt(keyId: string, plaintext: Buffer, bytes: number): string {
  const json = JSON.stringify({ KeyId: keyId, Plaintext: plaintext.toString('base64') });
  return json.slice(0, -1) + ' '.repeat(bytes - json.length) + '}';
}

test('large bodies in flight together are each read from their own bytes', async () => {
  const created = await rawRequest(running, 'CreateKey', {});
  const keyId = created.json.KeyMetadata.KeyId as string;
  const plaintexts = Array.from({ length: 12 }, (_, i) => Buffer.alloc(64, i + 1));
  const answers = await Promise.all(plaintexts.map((plaintext, i) => rawRequest(running, 'Encrypt', paddedEncrypt(keyId, plaintext, 100_000 + i * 50_000))));
  for (const [i, answer] of answers.entries()) {
    expect(answer.status).toBe(200);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(answer.json.CiphertextBlob, 'base64') }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintexts[i]);
  }
});

test('a long value that is not base64 is refused with the invalid character, as a short one', async () => {
  for (const length of [400, 400_000]) {
    const value = 'A'.repeat(length - 4) + 'AA!A';
    const answer = await rawRequest(running, 'Encrypt', { KeyId: 'alias/none', Plaintext: value });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ __type: 'SerializationException', Message: `'${value}' can not be converted to a Blob: Invalid Base64 character: '!'` });
  }
});

test('long values anywhere in a large body are read as JSON.parse reads them (src/protocol/largeBody.ts)', async () => {
  const created = await rawRequest(running, 'CreateKey', {});
  const keyId = created.json.KeyMetadata.KeyId as string;
  const plain = 'v'.repeat(100_000);
  const escaped = 'é"\\\n漢'.repeat(20_000);
  // Unknown members are ignored, wherever their long values sit: the known members around them still count.
  const body = `{"Extra":["${plain}",{"${plain}":"${plain}"}],"KeyId":"${keyId}","Other":${JSON.stringify(escaped)},"Plaintext":"${Buffer.from('kept').toString('base64')}"}`;
  const encrypted = await rawRequest(running, 'Encrypt', body);
  expect(encrypted.status).toBe(200);
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(encrypted.json.CiphertextBlob, 'base64') }));
  expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('kept');
  // A long Description is quoted whole, escapes decoded, as from a short body.
  for (const description of [plain, escaped]) {
    const refused = await rawRequest(running, 'CreateKey', JSON.stringify({ Description: description }));
    expect(refused.json).toEqual({
      __type: 'ValidationException',
      message: `1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    });
  }
  // A raw control character inside a long value is not JSON.
  const refused = await rawRequest(running, 'CreateKey', `{"Description":"${plain}\u0001"}`);
  expect(refused.json).toEqual({ __type: 'SerializationException' });
});
