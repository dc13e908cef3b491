import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type AliasListEntry,
} from '@aws-sdk/client-kms';
import type { KeyState } from '../../src/model/generated/enums.js';
import type { KeyRecord } from '../../src/store/records.js';
import { DAY_MS } from '../../src/util/clock.js';
import { PREDEFINED_AWS_ALIAS_NAMES } from '../../src/kms/awsManagedKeys.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, rawRequest, useKmslite, keyArnOf, expectError, createKey, kms, running } from '../helpers/fixture.js';

let aliasCounter = 0;

useKmslite();

const ALIAS_PREFIX_TEXT =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';
const aliasArn = (name: string, region = REGION) => `arn:aws:kms:${region}:${ACCOUNT_ID}:${name}`;
const UNKNOWN_KEY_ID = '0b7e2a52-6c8e-4a39-9e1c-7d5b5f4c1a11';

function uniqueAlias(label = 'test'): string {
  aliasCounter += 1;
  return `alias/${label}-${aliasCounter}`;
}

function record(keyId: string, region = REGION): KeyRecord {
  return running.kmslite.stores.get(ACCOUNT_ID, region).keys.get(keyId)!;
}

/** Puts a key in a state directly (ScheduleKeyDeletion/DisableKey are other helpers' work and may be placeholders). */
function setState(keyId: string, state: KeyState, deletionDate?: Date): void {
  const metadata = record(keyId).metadata;
  metadata.KeyState = state;
  metadata.Enabled = state === 'Enabled';
  if (state === 'PendingDeletion') metadata.DeletionDate = deletionDate ?? new Date(running.kmslite.clock.now() + 7 * DAY_MS);
  else delete metadata.DeletionDate;
}

/**
 * A key of another type, placed in the store directly: CreateKey only makes symmetric keys so far. Enough for
 * UpdateAlias's type/usage comparison, which reads nothing but KeySpec and KeyUsage.
 */
async function fabricateKey(keySpec: 'HMAC_256' | 'RSA_2048', keyUsage: 'GENERATE_VERIFY_MAC' | 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT'): Promise<string> {
  const template = record((await createKey(kms)).KeyId!);
  const keyId = (await createKey(kms)).KeyId!;
  const store = running.kmslite.stores.get(ACCOUNT_ID, REGION);
  store.putKey({
    ...template,
    metadata: { ...template.metadata, KeyId: keyId, Arn: keyArnOf(keyId), KeySpec: keySpec, CustomerMasterKeySpec: keySpec, KeyUsage: keyUsage },
    tags: new Map(),
    aliasNames: new Set(),
  });
  return keyId;
}

async function listAll(keyId?: string): Promise<AliasListEntry[]> {
  const all: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ KeyId: keyId, Marker: marker, Limit: 100 }));
    all.push(...page.Aliases!);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

async function aliasNamesOf(keyId: string): Promise<string[]> {
  return (await listAll(keyId)).map((alias) => alias.AliasName!);
}


describe('CreateAlias', () => {
  describe('validation', () => {
    test('a name without the alias/ prefix answers the recorded ValidationException and creates nothing', async () => {
      const key = await createKey(kms);
      const before = await listAll();
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: key.KeyId })));
      expectError(error, 'ValidationException', ALIAS_PREFIX_TEXT);
      expect(await listAll()).toEqual(before);
    });

    test('a colon in the name answers ValidationException naming the alias', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/Service:Test', TargetKeyId: key.KeyId })));
      expectError(error, 'ValidationException', 'alias/Service:Test contains invalid characters for an alias');
      expect(await aliasNamesOf(key.KeyId!)).toEqual([]);
    });

    test('a name outside the model pattern answers the Coral validation text', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/a b', TargetKeyId: key.KeyId })));
      expectError(
        error,
        'ValidationException',
        "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
      );
    });

    test('alias/aws/ names are reserved: NotAuthorizedException without a message', async () => {
      const key = await createKey(kms);
      const response = await rawRequest(running, 'CreateAlias', { AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ __type: 'NotAuthorizedException' });
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: key.KeyId })));
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(await aliasNamesOf(key.KeyId!)).toEqual([]);
    });

    test('a name that only starts with alias/aws (no slash) is an ordinary name', async () => {
      const key = await createKey(kms);
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/awsome', TargetKeyId: key.KeyId }));
      expect(await aliasNamesOf(key.KeyId!)).toEqual(['alias/awsome']);
    });

    test('an unknown target key answers NotFoundException with the key ARN', async () => {
      const name = uniqueAlias();
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: UNKNOWN_KEY_ID })));
      expectError(error, 'NotFoundException', `Key '${keyArnOf(UNKNOWN_KEY_ID)}' does not exist`);
      expect((await listAll()).some((alias) => alias.AliasName === name)).toBe(false);
    });

    test('a malformed target key id answers Invalid keyId', async () => {
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: 'not-a-key' })));
      expectError(error, 'NotFoundException', "Invalid keyId 'not-a-key'");
    });

    test('an alias cannot be the target (key id or key ARN only)', async () => {
      const key = await createKey(kms);
      const first = uniqueAlias();
      await kms.send(new CreateAliasCommand({ AliasName: first, TargetKeyId: key.KeyId }));
      const byName = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: first })));
      expectError(byName, 'NotFoundException', `Invalid keyId '${first}'`);
      const byArn = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: aliasArn(first) })));
      expectError(byArn, 'NotFoundException', `Invalid arn ${aliasArn(first)}`);
      expect(await aliasNamesOf(key.KeyId!)).toEqual([first]);
    });

    test('a key ARN of another Region answers Invalid arn <region>', async () => {
      const other = await createKey(kmsClient(running, 'us-east-1'));
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: other.Arn })));
      expectError(error, 'NotFoundException', 'Invalid arn us-east-1');
    });

    test('a taken name answers AlreadyExistsException with the alias ARN and leaves the alias alone', async () => {
      const first = await createKey(kms);
      const second = await createKey(kms);
      const name = uniqueAlias('taken');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: first.KeyId }));
      const before = await listAll();
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: second.KeyId })));
      expectError(error, 'AlreadyExistsException', `An alias with the name ${aliasArn(name)} already exists`);
      expect(await listAll()).toEqual(before);
      expect(await aliasNamesOf(second.KeyId!)).toEqual([]);
    });

    test('a key pending deletion takes no new alias (KMSInvalidStateException)', async () => {
      const key = await createKey(kms);
      setState(key.KeyId!, 'PendingDeletion');
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: key.KeyId })));
      expectError(error, 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      expect(await aliasNamesOf(key.KeyId!)).toEqual([]);
    });

    test('a key scheduled for deletion through ScheduleKeyDeletion is refused as target by CreateAlias and UpdateAlias', async () => {
      const scheduled = await createKey(kms);
      const other = await createKey(kms);
      const name = uniqueAlias('sched');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: other.KeyId }));
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: scheduled.KeyId, PendingWindowInDays: 7 }));
      const before = await listAll();
      expectError(
        await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: scheduled.KeyId }))),
        'KMSInvalidStateException',
        `${scheduled.Arn} is pending deletion.`,
      );
      expectError(
        await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: scheduled.Arn }))),
        'KMSInvalidStateException',
        `${scheduled.Arn} is pending deletion.`,
      );
      expect(await listAll()).toEqual(before);
    });

    test('the 51st alias of a key answers LimitExceededException', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 50; i++) await kms.send(new CreateAliasCommand({ AliasName: `alias/quota-${i}`, TargetKeyId: key.KeyId }));
      const before = await listAll();
      const error = await errorOf(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/quota-50', TargetKeyId: key.KeyId })));
      expectError(error, 'LimitExceededException', 'Aliases per key quota for this account in this region is 50, current usage is 50.');
      expect(await listAll()).toEqual(before);
      expect(await aliasNamesOf(key.KeyId!)).toHaveLength(50);
    });
  });

  describe('functionality', () => {
    test('creates an alias that ListAliases shows with the bare key id, and that resolves the key', async () => {
      const key = await createKey(kms);
      const name = uniqueAlias('created');
      const response = await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      expect(response.$metadata.httpStatusCode).toBe(200);
      const [entry] = await listAll(key.KeyId);
      expect(entry).toEqual({
        AliasName: name,
        AliasArn: aliasArn(name),
        TargetKeyId: key.KeyId,
        CreationDate: expect.any(Date),
        LastUpdatedDate: expect.any(Date),
      });
      expect(entry!.LastUpdatedDate).toEqual(entry!.CreationDate);
      expect((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata!.KeyId).toBe(key.KeyId);
      expect((await kms.send(new EncryptCommand({ KeyId: aliasArn(name), Plaintext: Buffer.from('x') }))).KeyId).toBe(key.Arn);
    });

    test('takes a key ARN as the target and stores the bare key id', async () => {
      const key = await createKey(kms);
      const name = uniqueAlias('by-arn');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.Arn }));
      expect((await listAll(key.KeyId)).map((alias) => alias.TargetKeyId)).toEqual([key.KeyId]);
    });

    test('a disabled key and a key pending import take aliases (key-state table)', async () => {
      const disabled = await createKey(kms);
      setState(disabled.KeyId!, 'Disabled');
      await kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: disabled.KeyId }));
      const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
      expect(external.KeyState).toBe('PendingImport');
      await kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: external.KeyId }));
      expect(await aliasNamesOf(disabled.KeyId!)).toHaveLength(1);
      expect(await aliasNamesOf(external.KeyId!)).toHaveLength(1);
    });

    test('names are case-sensitive and per Region', async () => {
      const key = await createKey(kms);
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/CaseName', TargetKeyId: key.KeyId }));
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/casename', TargetKeyId: key.KeyId }));
      const east = kmsClient(running, 'us-east-1');
      const eastKey = await createKey(east);
      await east.send(new CreateAliasCommand({ AliasName: 'alias/CaseName', TargetKeyId: eastKey.KeyId }));
      expect((await aliasNamesOf(key.KeyId!)).sort()).toEqual(['alias/CaseName', 'alias/casename']);
      const eastAliases = (await east.send(new ListAliasesCommand({}))).Aliases!;
      expect(eastAliases.find((alias) => alias.AliasName === 'alias/CaseName')!.AliasArn).toBe(aliasArn('alias/CaseName', 'us-east-1'));
    });

    test('the name of an alias whose key was deleted is free again', async () => {
      const doomed = await createKey(kms);
      const name = uniqueAlias('reborn');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: doomed.KeyId }));
      setState(doomed.KeyId!, 'PendingDeletion', new Date(running.kmslite.clock.now() - 1000));
      const next = await createKey(kms);
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: next.KeyId }));
      expect(await aliasNamesOf(next.KeyId!)).toEqual([name]);
    });
  });
});

describe('UpdateAlias', () => {
  describe('validation', () => {
    test('alias name checks: prefix, colon, reserved alias/aws/', async () => {
      const key = await createKey(kms);
      expectError(await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: 'x', TargetKeyId: key.KeyId }))), 'ValidationException', ALIAS_PREFIX_TEXT);
      expectError(
        await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/a:b', TargetKeyId: key.KeyId }))),
        'ValidationException',
        'alias/a:b contains invalid characters for an alias',
      );
      const reserved = await rawRequest(running, 'UpdateAlias', { AliasName: 'alias/aws/ebs', TargetKeyId: key.KeyId });
      expect(reserved.status).toBe(400);
      expect(reserved.json).toEqual({ __type: 'NotAuthorizedException' });
    });

    test('a missing alias answers NotFoundException with the alias ARN', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: 'alias/missing', TargetKeyId: key.KeyId })));
      expectError(error, 'NotFoundException', `Alias ${aliasArn('alias/missing')} is not found.`);
    });

    test('target key lookup failures leave the alias where it was', async () => {
      const key = await createKey(kms);
      const name = uniqueAlias('stay');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      const before = await listAll();
      expectError(
        await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: UNKNOWN_KEY_ID }))),
        'NotFoundException',
        `Key '${keyArnOf(UNKNOWN_KEY_ID)}' does not exist`,
      );
      expectError(await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: 'bad' }))), 'NotFoundException', "Invalid keyId 'bad'");
      expectError(await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: name }))), 'NotFoundException', `Invalid keyId '${name}'`);
      const other = await createKey(kmsClient(running, 'eu-central-1'));
      expectError(await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: other.Arn }))), 'NotFoundException', 'Invalid arn eu-central-1');
      expect(await listAll()).toEqual(before);
    });

    test('a destination key pending deletion is refused', async () => {
      const key = await createKey(kms);
      const destination = await createKey(kms);
      const name = uniqueAlias();
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      setState(destination.KeyId!, 'PendingDeletion');
      const error = await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: destination.KeyId })));
      expectError(error, 'KMSInvalidStateException', `${destination.Arn} is pending deletion.`);
      expect(await aliasNamesOf(key.KeyId!)).toEqual([name]);
      expect(await aliasNamesOf(destination.KeyId!)).toEqual([]);
    });

    test('a key of another type or key usage is refused with ValidationException', async () => {
      const key = await createKey(kms);
      const name = uniqueAlias('typed');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      const hmac = await fabricateKey('HMAC_256', 'GENERATE_VERIFY_MAC');
      const rsaEncrypt = await fabricateKey('RSA_2048', 'ENCRYPT_DECRYPT');
      const before = await listAll();
      for (const target of [hmac, rsaEncrypt]) {
        const error = await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: target })));
        expectError(
          error,
          'ValidationException',
          `${keyArnOf(target)} is not the same key type (symmetric, asymmetric or HMAC) and key usage as ${key.Arn}, the current target of ${aliasArn(name)}.`,
        );
      }
      expect(await listAll()).toEqual(before);
    });

    test('a destination with 50 aliases answers LimitExceededException', async () => {
      const full = await createKey(kms);
      for (let i = 0; i < 50; i++) await kms.send(new CreateAliasCommand({ AliasName: `alias/full-${i}`, TargetKeyId: full.KeyId }));
      const key = await createKey(kms);
      const name = uniqueAlias();
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      const error = await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: full.KeyId })));
      expectError(error, 'LimitExceededException', 'Aliases per key quota for this account in this region is 50, current usage is 50.');
      expect(await aliasNamesOf(key.KeyId!)).toEqual([name]);
      // Re-pointing an alias at the key it already targets needs no room.
      await kms.send(new UpdateAliasCommand({ AliasName: 'alias/full-0', TargetKeyId: full.KeyId }));
    });
  });

  describe('functionality', () => {
    test('moves the alias to the new key and updates LastUpdatedDate only', async () => {
      const first = await createKey(kms);
      const second = await createKey(kms);
      const name = uniqueAlias('moving');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: first.KeyId }));
      const [created] = await listAll(first.KeyId);
      running.kmslite.clock.advance(60_000);
      await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: second.Arn }));
      expect(await aliasNamesOf(first.KeyId!)).toEqual([]);
      const [updated] = await listAll(second.KeyId);
      expect(updated).toEqual({ ...created, TargetKeyId: second.KeyId, LastUpdatedDate: expect.any(Date) });
      expect(updated!.LastUpdatedDate!.getTime() - created!.LastUpdatedDate!.getTime()).toBeGreaterThanOrEqual(60_000);
      expect((await kms.send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata!.KeyId).toBe(second.KeyId);
    });

    test('the current key may be pending deletion or disabled; the destination may be disabled', async () => {
      const current = await createKey(kms);
      const destination = await createKey(kms);
      const name = uniqueAlias('rescue');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: current.KeyId }));
      setState(current.KeyId!, 'PendingDeletion');
      setState(destination.KeyId!, 'Disabled');
      await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: destination.KeyId }));
      expect(await aliasNamesOf(destination.KeyId!)).toEqual([name]);
      expect(await aliasNamesOf(current.KeyId!)).toEqual([]);
    });

    test('keys of the same type and usage are compatible', async () => {
      const rsaSign = await fabricateKey('RSA_2048', 'SIGN_VERIFY');
      const rsaSign2 = await fabricateKey('RSA_2048', 'SIGN_VERIFY');
      const name = uniqueAlias('signer');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: rsaSign }));
      await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: rsaSign2 }));
      expect(await aliasNamesOf(rsaSign2)).toEqual([name]);
    });

    test('the alias of a deleted key is gone: UpdateAlias answers NotFound', async () => {
      const doomed = await createKey(kms);
      const name = uniqueAlias('gone');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: doomed.KeyId }));
      // The deletion date has passed (set directly: moving the clock by days would expire the SDK's signatures).
      setState(doomed.KeyId!, 'PendingDeletion', new Date(running.kmslite.clock.now() - DAY_MS));
      const other = await createKey(kms);
      const error = await errorOf(() => kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: other.KeyId })));
      expectError(error, 'NotFoundException', `Alias ${aliasArn(name)} is not found.`);
    });
  });
});

describe('DeleteAlias', () => {
  describe('validation', () => {
    test('alias name checks: prefix, colon, reserved alias/aws/', async () => {
      expectError(await errorOf(() => kms.send(new DeleteAliasCommand({ AliasName: 'nope' }))), 'ValidationException', ALIAS_PREFIX_TEXT);
      expectError(
        await errorOf(() => kms.send(new DeleteAliasCommand({ AliasName: 'alias/x:y' }))),
        'ValidationException',
        'alias/x:y contains invalid characters for an alias',
      );
      const reserved = await rawRequest(running, 'DeleteAlias', { AliasName: 'alias/aws/rds' });
      expect(reserved.status).toBe(400);
      expect(reserved.json).toEqual({ __type: 'NotAuthorizedException' });
    });

    test('a missing alias answers NotFoundException and changes nothing', async () => {
      const before = await listAll();
      const error = await errorOf(() => kms.send(new DeleteAliasCommand({ AliasName: 'alias/never-was' })));
      expectError(error, 'NotFoundException', `Alias ${aliasArn('alias/never-was')} is not found.`);
      expect(await listAll()).toEqual(before);
    });
  });

  describe('functionality', () => {
    test('removes the alias from ListAliases, from the key, and frees the name', async () => {
      const key = await createKey(kms);
      const name = uniqueAlias('deleted');
      const kept = uniqueAlias('kept');
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      await kms.send(new CreateAliasCommand({ AliasName: kept, TargetKeyId: key.KeyId }));
      const response = await kms.send(new DeleteAliasCommand({ AliasName: name }));
      expect(response.$metadata.httpStatusCode).toBe(200);
      expect(await aliasNamesOf(key.KeyId!)).toEqual([kept]);
      expect((await listAll()).some((alias) => alias.AliasName === name)).toBe(false);
      expectError(
        await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: name }))),
        'NotFoundException',
        `Alias ${aliasArn(name)} is not found.`,
      );
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      expect((await aliasNamesOf(key.KeyId!)).sort()).toEqual([name, kept].sort());
    });

    test('works whatever the state of the key', async () => {
      for (const state of ['Disabled', 'PendingDeletion', 'PendingImport'] as const) {
        const key = await createKey(kms);
        const name = uniqueAlias(state);
        await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
        setState(key.KeyId!, state);
        await kms.send(new DeleteAliasCommand({ AliasName: name }));
        expect(await aliasNamesOf(key.KeyId!)).toEqual([]);
      }
    });

    test('deleting frees room under the per-key quota', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 50; i++) await kms.send(new CreateAliasCommand({ AliasName: `alias/room-${i}`, TargetKeyId: key.KeyId }));
      await kms.send(new DeleteAliasCommand({ AliasName: 'alias/room-7' }));
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/room-50', TargetKeyId: key.KeyId }));
      expect(await aliasNamesOf(key.KeyId!)).toHaveLength(50);
    });
  });
});

describe('ListAliases', () => {
  describe('validation', () => {
    test('KeyId lookup failures answer resolveKey texts', async () => {
      expectError(
        await errorOf(() => kms.send(new ListAliasesCommand({ KeyId: UNKNOWN_KEY_ID }))),
        'NotFoundException',
        `Key '${keyArnOf(UNKNOWN_KEY_ID)}' does not exist`,
      );
      expectError(await errorOf(() => kms.send(new ListAliasesCommand({ KeyId: 'zzz' }))), 'NotFoundException', "Invalid keyId 'zzz'");
      const other = await createKey(kmsClient(running, 'ap-southeast-2'));
      expectError(await errorOf(() => kms.send(new ListAliasesCommand({ KeyId: other.Arn }))), 'NotFoundException', 'Invalid arn ap-southeast-2');
    });

    test('a marker that is not ours answers InvalidMarkerException', async () => {
      expectError(await errorOf(() => kms.send(new ListAliasesCommand({ Marker: 'garbage' }))), 'InvalidMarkerException', 'Invalid marker');
      const key = await createKey(kms);
      expectError(
        await errorOf(() => kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Marker: 'garbage' }))),
        'InvalidMarkerException',
        'Invalid marker',
      );
    });

    test('markers of the per-key and the unfiltered listing are not interchangeable', async () => {
      const key = await createKey(kms);
      for (let i = 0; i < 3; i++) await kms.send(new CreateAliasCommand({ AliasName: uniqueAlias('mk'), TargetKeyId: key.KeyId }));
      const keyPage = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Limit: 1 }));
      expect(keyPage.Truncated).toBe(true);
      expectError(await errorOf(() => kms.send(new ListAliasesCommand({ Marker: keyPage.NextMarker }))), 'InvalidMarkerException', 'Invalid marker');
      const allPage = await kms.send(new ListAliasesCommand({ Limit: 1 }));
      expect(allPage.Truncated).toBe(true);
      expectError(
        await errorOf(() => kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Marker: allPage.NextMarker }))),
        'InvalidMarkerException',
        'Invalid marker',
      );
    });

    test('Limit above 100 is a validation error', async () => {
      const error = await errorOf(() => kms.send(new ListAliasesCommand({ Limit: 101 })));
      expectError(
        error,
        'ValidationException',
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
    });
  });

  describe('functionality', () => {
    // Exact whole-listing assertions use Regions this file fills nowhere else (one server, separate stores).
    const LISTING_REGION = 'ca-central-1';
    const listing = {
      get kms() {
        return kmsClient(running, LISTING_REGION);
      },
      get store() {
        return running.kmslite.stores.get(ACCOUNT_ID, LISTING_REGION);
      },
    };

    // AWS lists its predefined alias/aws/* aliases in every account and Region, without a TargetKeyId until their
    // AWS managed key exists (ListAliases API reference; test/operations/awsManagedKeys.test.ts).
    const predefined = PREDEFINED_AWS_ALIAS_NAMES.map((name) => ({ AliasName: name, AliasArn: aliasArn(name, LISTING_REGION) }));

    test('an empty Region lists only the predefined AWS aliases, not truncated, without NextMarker', async () => {
      const response = await listing.kms.send(new ListAliasesCommand({}));
      expect(response.Aliases).toEqual(predefined);
      expect(response.Truncated).toBe(false);
      expect(response.NextMarker).toBeUndefined();
      const raw = await rawRequest(running, 'ListAliases', {}, { region: LISTING_REGION });
      expect(raw.json).toEqual({ Aliases: predefined, Truncated: false });
    });

    test('pages through all aliases in creation order; KeyId filters to one key (sorted by name)', async () => {
      const a = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const b = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const plan: [string, string][] = [
        ['alias/zeta', a.KeyId!],
        ['alias/alpha', b.KeyId!],
        ['alias/mid', a.KeyId!],
        ['alias/beta', a.KeyId!],
        ['alias/omega', b.KeyId!],
      ];
      for (const [AliasName, TargetKeyId] of plan) await listing.kms.send(new CreateAliasCommand({ AliasName, TargetKeyId }));

      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await listing.kms.send(new ListAliasesCommand({ Limit: 2, Marker: marker }));
        pages++;
        expect(page.Aliases!.length).toBeLessThanOrEqual(2);
        expect(page.Truncated).toBe(page.NextMarker !== undefined);
        seen.push(...page.Aliases!.map((alias) => alias.AliasName!));
        marker = page.NextMarker;
      } while (marker);
      expect(pages).toBe(10); // 14 predefined aliases, then the 5 made here
      expect(seen).toEqual([...PREDEFINED_AWS_ALIAS_NAMES, ...plan.map(([name]) => name)]);

      const forA = await listing.kms.send(new ListAliasesCommand({ KeyId: a.Arn }));
      expect(forA.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/beta', 'alias/mid', 'alias/zeta']);
      expect(forA.Aliases!.every((alias) => alias.TargetKeyId === a.KeyId)).toBe(true);
      expect(forA.Truncated).toBe(false);

      const first = await listing.kms.send(new ListAliasesCommand({ KeyId: a.KeyId, Limit: 2 }));
      expect(first.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/beta', 'alias/mid']);
      expect(first.Truncated).toBe(true);
      const second = await listing.kms.send(new ListAliasesCommand({ KeyId: a.KeyId, Limit: 2, Marker: first.NextMarker }));
      expect(second.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/zeta']);
      expect(second.Truncated).toBe(false);
      expect(second.NextMarker).toBeUndefined();
    });

    test('a key with no aliases lists none; a key in any state may be named', async () => {
      const key = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const metadata = listing.store.keys.get(key.KeyId!)!.metadata;
      metadata.KeyState = 'PendingDeletion';
      metadata.DeletionDate = new Date(running.kmslite.clock.now() + 7 * DAY_MS);
      const response = await listing.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
      expect(response.Aliases).toEqual([]);
      expect(response.Truncated).toBe(false);
    });

    test('a page survives the deletion of the alias its marker names', async () => {
      const key = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      for (const name of ['alias/p1', 'alias/p2', 'alias/p3']) await listing.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId }));
      const first = await listing.kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Limit: 1 }));
      expect(first.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/p1']);
      await listing.kms.send(new DeleteAliasCommand({ AliasName: 'alias/p2' }));
      const rest = await listing.kms.send(new ListAliasesCommand({ KeyId: key.KeyId, Marker: first.NextMarker }));
      expect(rest.Aliases!.map((alias) => alias.AliasName)).toEqual(['alias/p3']);
    });

    test('the default page holds 50 aliases', async () => {
      const client = kmsClient(running, 'eu-north-1'); // a Region no other test fills
      const a = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      const b = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      for (let i = 0; i < 30; i++) await client.send(new CreateAliasCommand({ AliasName: `alias/a-${i}`, TargetKeyId: a.KeyId }));
      for (let i = 0; i < 25; i++) await client.send(new CreateAliasCommand({ AliasName: `alias/b-${i}`, TargetKeyId: b.KeyId }));
      const first = await client.send(new ListAliasesCommand({}));
      expect(first.Aliases).toHaveLength(50); // the 14 predefined AWS aliases, a-0..a-29, b-0..b-5
      expect(first.Truncated).toBe(true);
      const second = await client.send(new ListAliasesCommand({ Marker: first.NextMarker }));
      expect(second.Aliases!.map((alias) => alias.AliasName)).toEqual(Array.from({ length: 19 }, (_, i) => `alias/b-${i + 6}`));
      expect(second.Truncated).toBe(false);
    });

    test('aliases of a key whose deletion date passed disappear from the listing', async () => {
      const doomed = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const kept = (await listing.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await listing.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed-1', TargetKeyId: doomed.KeyId }));
      await listing.kms.send(new CreateAliasCommand({ AliasName: 'alias/kept-1', TargetKeyId: kept.KeyId }));
      await listing.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed-2', TargetKeyId: doomed.KeyId }));
      const metadata = listing.store.keys.get(doomed.KeyId!)!.metadata;
      metadata.KeyState = 'PendingDeletion';
      metadata.Enabled = false;
      metadata.DeletionDate = new Date(running.kmslite.clock.now() + 7 * DAY_MS);
      const pending = (await listing.kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases!.map((alias) => alias.AliasName);
      expect(pending).toEqual(expect.arrayContaining(['alias/doomed-1', 'alias/doomed-2', 'alias/kept-1']));
      // The deletion date passes (set directly: moving the clock by days would expire the SDK's signatures).
      metadata.DeletionDate = new Date(running.kmslite.clock.now() - 1000);
      const after = (await listing.kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases!.map((alias) => alias.AliasName);
      expect(after).toContain('alias/kept-1');
      expect(after).not.toContain('alias/doomed-1');
      expect(after).not.toContain('alias/doomed-2');
      expect(after).toHaveLength(pending.length - 2);
    });
  });
});
