/**
 * A data directory written by format version 1 (test/fixtures/persistence-v1, made by the code of that version,
 * as a crash left it: a state file, a journal with changes after it, an audit log) is migrated at the first
 * start: everything comes back, and the files are rewritten in version 2 (MIGRATIONS in src/store/stateCodec.ts,
 * docs/persistence.md "Versions and migration").
 */
import { DecryptCommand, VerifyCommand, VerifyMacCommand } from '@aws-sdk/client-kms';
import { afterEach, expect, test } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningKmslite } from '../../src/index.js';
import { encodeState } from '../../src/store/stateCodec.js';
import { AUDIT, JOURNAL, STATE, filesOf, newDataDirectory } from '../helpers/dataDirectory.js';
import { OTHER_ACCOUNT_CREDENTIALS } from '../helpers/persistenceScenario.js';
import { kmsClient, startTestKmslite } from '../helpers/fixture.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/persistence-v1', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected-state.json'), 'utf8'));
const expectedAudit = JSON.parse(readFileSync(join(FIXTURE, 'expected-audit.json'), 'utf8'));
const facts = JSON.parse(readFileSync(join(FIXTURE, 'facts.json'), 'utf8'), (_key, value) => (value && typeof value.$base64 === 'string' ? Buffer.from(value.$base64, 'base64') : value));

const running: RunningKmslite[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) await instance.stop();
});

async function start(directory: string): Promise<RunningKmslite> {
  const instance = await startTestKmslite({ dataPath: directory });
  running.push(instance);
  return instance;
}

async function stop(instance: RunningKmslite): Promise<void> {
  running.splice(running.indexOf(instance), 1);
  await instance.stop();
}

function copyOfFixture(): string {
  const directory = newDataDirectory();
  for (const name of [STATE, JOURNAL, AUDIT]) cpSync(join(FIXTURE, name), join(directory, name));
  return directory;
}

const stateOf = (instance: RunningKmslite) => {
  const { clockOffsetMs, stores } = encodeState(instance.kmslite.stores, instance.kmslite.clock.offset, 0, new Date(0));
  return JSON.parse(JSON.stringify({ clockOffsetMs, stores }));
};

test('the fixture is version 1, as that version wrote it', () => {
  expect(JSON.parse(readFileSync(join(FIXTURE, STATE), 'utf8'))).toMatchObject({ format: 'kmslite-state', version: 1 });
  const journal = readFileSync(join(FIXTURE, JOURNAL), 'utf8').split('\n');
  expect(JSON.parse(journal[0]!)).toMatchObject({ format: 'kmslite-journal', version: 1 });
  expect(journal.length).toBeGreaterThan(3);
  expect(JSON.parse(readFileSync(join(FIXTURE, AUDIT), 'utf8').split('\n')[0]!)).toEqual({ format: 'kmslite-audit', version: 1 });
});

test('a version 1 directory left by a crash: its state file, journal and audit log come back exactly, and the files are rewritten in version 2', async () => {
  const directory = copyOfFixture();
  const instance = await start(directory);
  expect(stateOf(instance)).toEqual(expected);
  expect(instance.kmslite.audit.snapshot()).toEqual(expectedAudit);

  // Rewritten at this start: a sealed version 2 state file, journal and audit log.
  expect(readFileSync(join(directory, STATE), 'utf8')).toMatch(/^\{"checksum":"[0-9a-f]{64}","format":"kmslite-state","version":2,/);
  for (const name of [JOURNAL, AUDIT]) expect(JSON.parse(readFileSync(join(directory, name), 'utf8').split('\n')[0]!.slice(17))).toMatchObject({ version: 2, firstSequence: 1 });

  // What was made before the migration still works: ciphertexts, the signature, the MAC.
  for (const { ciphertext, context, region, plaintext } of facts.ciphertexts) {
    const kms = region === 'other-account' ? kmsClient(instance, 'eu-west-2', OTHER_ACCOUNT_CREDENTIALS) : kmsClient(instance, region);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: context }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe(plaintext);
    kms.destroy();
  }
  const kms = kmsClient(instance);
  expect((await kms.send(new VerifyCommand({ KeyId: facts.signingKeyId, Message: Buffer.from('signed'), Signature: facts.signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid).toBe(true);
  expect((await kms.send(new VerifyMacCommand({ KeyId: facts.macKeyId, Message: Buffer.from('mac'), Mac: facts.mac, MacAlgorithm: 'HMAC_SHA_256' }))).MacValid).toBe(true);
  kms.destroy();
  const afterUse = stateOf(instance);
  const auditAfterUse = instance.kmslite.audit.snapshot();
  await stop(instance);

  // The migrated directory is an ordinary version 2 directory from now on.
  const again = await start(directory);
  expect(stateOf(again)).toEqual(afterUse);
  expect(again.kmslite.audit.snapshot()).toEqual(auditAfterUse);
});

test('a crash during the migration (the version 2 state file written, the version 1 journal not yet replaced) loses nothing', async () => {
  const directory = copyOfFixture();
  const instance = await start(directory);
  // As the crash leaves it: the new state file and audit log, and the old journal the state file folded in.
  const files = filesOf(directory);
  await stop(instance);
  writeFileSync(join(directory, STATE), files[STATE]!.bytes);
  writeFileSync(join(directory, AUDIT), files[AUDIT]!.bytes);
  cpSync(join(FIXTURE, JOURNAL), join(directory, JOURNAL));
  const again = await start(directory);
  expect(stateOf(again)).toEqual(expected);
});

test('a version 1 directory stopped cleanly (a state file and an empty journal) is migrated too', async () => {
  const directory = copyOfFixture();
  // Version 1's clean stop: everything in the state file, a journal with only its header.
  const migrated = await start(directory);
  const state = stateOf(migrated);
  await stop(migrated);
  const document = { format: 'kmslite-state', version: 1, generation: 4, savedAt: new Date().toISOString(), ...state };
  writeFileSync(join(directory, STATE), JSON.stringify(document));
  writeFileSync(join(directory, JOURNAL), `${JSON.stringify({ format: 'kmslite-journal', version: 1, generation: 4 })}\n`);
  const again = await start(directory);
  expect(stateOf(again)).toEqual(state);
});
