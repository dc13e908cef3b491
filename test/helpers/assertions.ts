/** Assertions and store set-up shared by the operation test files. */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import type { KeyState } from '../../src/model/generated/enums.js';
import type { RunningKmslite } from '../../src/index.js';
import { DAY_MS } from '../../src/util/clock.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, rawRequest, type RawOptions } from './kmslite.js';

/** An AWS error as the SDK surfaces it: name, exact message (when given), HTTP 400. */
export function expectError(error: any, name: string, message?: string): void {
  expect(error.name).toBe(name);
  if (message !== undefined) expect(error.message).toBe(message);
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

/** Runs `action`, which must fail with the AWS error `name`, HTTP 400, and (when given) exactly `message`; the error. */
export async function expectRejected(action: () => Promise<unknown>, name: string, message?: string): Promise<any> {
  const error = await errorOf(action);
  expect(error.name).toBe(name);
  if (message !== undefined) expect(error.message).toBe(message);
  expect(error.$metadata.httpStatusCode).toBe(400);
  return error;
}

/** An error AWS sends without a message member, checked on the wire: HTTP 400 and exactly `{"__type": name}`. */
export async function expectBareError(running: RunningKmslite, operation: string, body: unknown, name: string, options: RawOptions = {}): Promise<void> {
  const response = await rawRequest(running, operation, body, options);
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ __type: name });
}

/** An error checked on the wire (for a request the SDK will not send): HTTP 400 and exactly `{"__type": name, "message": message}`. */
export async function expectWireError(running: RunningKmslite, operation: string, body: unknown, name: string, message: string): Promise<void> {
  const response = await rawRequest(running, operation, body);
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ __type: name, message });
}

/** The key ARN of `keyId` (the default Region and account unless given). */
export const keyArnOf = (keyId: string, region: string = REGION, account: string = ACCOUNT_ID): string => `arn:aws:kms:${region}:${account}:key/${keyId}`;

/**
 * Tests for the key look-up failures of an operation (resolveKey; AWS-recorded texts): a malformed id, an unknown
 * id and, given `createKey`, the ARN of a key moved to `otherRegion`.
 */
export function keyLookupCases(
  send: (keyId: string) => Promise<unknown>,
  options: { createKey?: () => Promise<{ Arn?: string }>; otherRegion?: string } = {},
): void {
  test('a malformed key id answers NotFoundException Invalid keyId', async () => {
    await expectRejected(() => send('not-a-key'), 'NotFoundException', "Invalid keyId 'not-a-key'");
  });

  test('an unknown key id answers NotFoundException with the key ARN', async () => {
    const keyId = '00000000-1111-2222-3333-444444444444';
    await expectRejected(() => send(keyId), 'NotFoundException', `Key '${keyArnOf(keyId)}' does not exist`);
  });

  const { createKey, otherRegion = 'us-west-1' } = options;
  if (createKey) {
    test('a key ARN of another Region answers Invalid arn <region>', async () => {
      const key = await createKey();
      await expectRejected(() => send(key.Arn!.replace(REGION, otherRegion)), 'NotFoundException', `Invalid arn ${otherRegion}`);
    });
  }
}
