/**
 * The request mixes the wrk benchmark sends. Each scenario is a list of { operation, body } that wrk sends
 * round-robin; the bodies are made once against a running kmslite (a key, ciphertexts to decrypt).
 *
 * The envelope mix is the AWS Encryption SDK's pattern as a mix: GenerateDataKey and Decrypt of a data key's
 * CiphertextBlob, alternating. wrk cannot sign a request that depends on the previous answer, so the Decrypt
 * bodies are data keys made beforehand (the older node:http bench, bench/run.mjs, chains them live).
 */
import { randomBytes } from 'node:crypto';
import { kms, send, signKms } from '../lib/common.mjs';

const VARIANTS = 16;

/** Creates the key and material on `port` (a kmslite); returns [{ name, requests, answerBytes }]. */
export async function prepareScenarios(port) {
  const { KeyMetadata } = await kms(port, 'CreateKey', { Description: 'bench' });
  const keyId = KeyMetadata.KeyId;
  const plaintexts = Array.from({ length: VARIANTS }, () => randomBytes(32).toString('base64'));
  const ciphertexts = [];
  for (const Plaintext of plaintexts) ciphertexts.push((await kms(port, 'Encrypt', { KeyId: keyId, Plaintext })).CiphertextBlob);
  const dataKeys = [];
  for (let i = 0; i < VARIANTS; i++) dataKeys.push((await kms(port, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' })).CiphertextBlob);

  const scenarios = [
    { name: 'Encrypt', requests: plaintexts.map((Plaintext) => ({ operation: 'Encrypt', body: { KeyId: keyId, Plaintext } })) },
    { name: 'Decrypt', requests: ciphertexts.map((CiphertextBlob) => ({ operation: 'Decrypt', body: { CiphertextBlob } })) },
    { name: 'GenerateDataKey', requests: [{ operation: 'GenerateDataKey', body: { KeyId: keyId, KeySpec: 'AES_256' } }] },
    { name: 'DescribeKey', requests: [{ operation: 'DescribeKey', body: { KeyId: keyId } }] },
    {
      name: 'Envelope mix',
      requests: dataKeys.flatMap((CiphertextBlob) => [
        { operation: 'GenerateDataKey', body: { KeyId: keyId, KeySpec: 'AES_256' } },
        { operation: 'Decrypt', body: { CiphertextBlob } },
      ]),
    },
  ];
  // The bare server pads its answer to the size of kmslite's (same bytes on the wire).
  for (const scenario of scenarios) {
    let total = 0;
    for (const request of scenario.requests.slice(0, 2)) {
      const answer = await send(port, signKms(port, request.operation, request.body));
      if (answer.status !== 200) throw new Error(`${request.operation} answered ${answer.status}: ${answer.body}`);
      total += answer.bytes;
    }
    scenario.answerBytes = Math.round(total / Math.min(2, scenario.requests.length));
  }
  return { keyId, scenarios };
}

/** Every scenario's requests, mixed: a JIT warm-up that reaches every path the scenarios take. */
export function warmupMix(scenarios) {
  return scenarios.flatMap((scenario) => scenario.requests.slice(0, 2));
}
