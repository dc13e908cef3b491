/**
 * No secret echoed: an error whose AWS text quotes a request value that may be secret keeps AWS's text on the wire
 * (the caller sent it) but the audit API, the audit file and the log lines get it with the value replaced.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RunningKmslite } from '../../src/index.js';
import { rawRequest, useKmslite } from '../helpers/fixture.js';
import { auditEvents } from '../audit/helpers.js';

let running: RunningKmslite;
let logs = '';
let auditFile: string;
useKmslite(
  (server) => ({ running } = server),
  () => {
    auditFile = join(mkdtempSync(join(tmpdir(), 'kmslite-secrets-')), 'audit.jsonl');
    const logStream = new Writable({ write: (chunk, _encoding, done) => ((logs += chunk.toString()), done()) });
    return { logLevel: 'trace', auditPath: auditFile, logStream };
  },
);

/** Everything kmslite kept about the requests: the audit API, the audit file, the log lines. */
async function everythingKept(): Promise<string> {
  await running.kmslite.commit();
  await running.kmslite.audit.flush();
  return JSON.stringify(await auditEvents(running)) + readFileSync(auditFile, 'utf8') + logs;
}

test.each([
  ['Encrypt', 'Plaintext', 'my bank password is Tr0ub4dor&3', 'Base64 encoded length is expected a multiple of 4 bytes'],
  ['Encrypt', 'Plaintext', 'correct horse battery staple!!!!', "Invalid Base64 character: '***'"],
  ['Decrypt', 'CiphertextBlob', 'secret-ciphertext-text', 'Base64 encoded length'],
  ['VerifyMac', 'Mac', 'mac-value-in-clear-text', 'Base64 encoded length'],
  ['ImportKeyMaterial', 'EncryptedKeyMaterial', 'key material sent as text', 'Base64 encoded length'],
  ['ImportKeyMaterial', 'ImportToken', 'import-token-as-text-abc', "Invalid Base64 character: '***'"],
])('%s with %s sent as text: AWS text on the wire, redacted in the audit trail, file and logs', async (operation, member, secret, auditText) => {
  const body = { KeyId: 'alias/none', [member]: secret, ...(member === 'Mac' ? { Message: 'AAAA', MacAlgorithm: 'HMAC_SHA_256' } : {}) };
  const response = await rawRequest(running, operation, body);
  expect(response.status).toBe(400);
  expect(response.json.__type).toBe('SerializationException');
  expect(response.json.Message).toContain(`'${secret}' can not be converted to a Blob`);
  const event = (await auditEvents(running)).find((candidate) => candidate.requestID === response.headers['x-amzn-requestid']);
  expect(event.errorMessage).toContain(`'***' can not be converted to a Blob: ${auditText}`);
  expect(await everythingKept()).not.toContain(secret);
});

test('a grant token in a validation message is redacted in the audit trail, kept on the wire', async () => {
  const token = 'grant-token-' + 'z'.repeat(8200);
  const response = await rawRequest(running, 'Encrypt', { KeyId: 'alias/none', Plaintext: 'AAAA', GrantTokens: [token] });
  expect(response.status).toBe(400);
  expect(response.json.__type).toBe('ValidationException');
  expect(response.json.message).toContain(`Value '${token}' at 'grantTokens.1.member'`);
  const event = (await auditEvents(running)).find((candidate) => candidate.requestID === response.headers['x-amzn-requestid']);
  expect(event.errorMessage).toBe("1 validation error detected: Value '***' at 'grantTokens.1.member' failed to satisfy constraint: Member must have length less than or equal to 8192");
  expect(await everythingKept()).not.toContain('grant-token-zzzz');
});
