/** Assertions and store set-up shared by the operation test files. */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import type { KeyState } from '../../src/model/generated/enums.js';
import type { RunningKmslite } from '../../src/index.js';
import { DAY_MS } from '../../src/util/clock.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient } from './kmslite.js';

/** An AWS error as the SDK surfaces it: name, exact message, HTTP 400. */
export function expectError(error: any, name: string, message: string): void {
  expect(error.name).toBe(name);
  expect(error.message).toBe(message);
  expect(error.$metadata.httpStatusCode).toBe(400);
}

/**
 * Puts a key straight into a state (the lifecycle operations have their own tests); PendingDeletion gets a
 * deletion date a week ahead.
 */
export function setKeyState(running: RunningKmslite, keyId: string, state: KeyState): void {
  const metadata = running.kmslite.stores.get(ACCOUNT_ID, REGION).keys.get(keyId)!.metadata;
  metadata.KeyState = state;
  metadata.Enabled = state === 'Enabled';
  if (state === 'PendingDeletion') metadata.DeletionDate = new Date(running.kmslite.clock.now() + 7 * DAY_MS);
  else delete metadata.DeletionDate;
}

/**
 * The KeyId lookup failures of operations that take a key id or key ARN only (resolveKey's AWS texts): unknown
 * id and ARN, malformed id, a key ARN of `otherRegion`, an alias name.
 */
export async function expectKeyLookupFailures(
  running: RunningKmslite,
  send: (keyId: string) => Promise<unknown>,
  otherRegion = 'eu-west-1',
): Promise<void> {
  const unknownId = '9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c';
  const unknownArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${unknownId}`;
  expectError(await errorOf(() => send(unknownId)), 'NotFoundException', `Key '${unknownArn}' does not exist`);
  expectError(await errorOf(() => send(unknownArn)), 'NotFoundException', `Key '${unknownArn}' does not exist`);
  expectError(await errorOf(() => send('fake-key-id')), 'NotFoundException', "Invalid keyId 'fake-key-id'");
  const other = (await kmsClient(running, otherRegion).send(new CreateKeyCommand({}))).KeyMetadata!;
  expectError(await errorOf(() => send(other.Arn!)), 'NotFoundException', `Invalid arn ${otherRegion}`);
  expectError(await errorOf(() => send('alias/some-alias')), 'NotFoundException', "Invalid keyId 'alias/some-alias'");
}
