import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  type CreateGrantCommandInput,
  type GrantListEntry,
} from '@aws-sdk/client-kms';
import { DAY_MS } from '../../src/util/clock.js';
import { checkGrantTokens, decodeGrantToken, encodeGrantToken } from '../../src/kms/grants.js';
import { ACCOUNT_ID, REGION, errorOf, kmsClient, rawRequest, useKmslite, expectError, keyArnOf, createKeyId, withKmslite, kms, running } from '../helpers/fixture.js';

useKmslite();

const UNKNOWN_KEY_ID = '5d1c3a8e-2b7f-4e90-8a6d-3c2b1a0f9e87';
const UNKNOWN_GRANT_ID = 'a'.repeat(64);
const GRANTEE = `arn:aws:iam::${ACCOUNT_ID}:role/grantee`;
const RETIREE = `arn:aws:iam::${ACCOUNT_ID}:role/retiree`;

function grant(keyId: string, extra: Partial<CreateGrantCommandInput> = {}) {
  return kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt', 'Decrypt'], ...extra }));
}

async function listAll(keyId: string, extra: { GranteePrincipal?: string; GrantId?: string } = {}): Promise<GrantListEntry[]> {
  const all: GrantListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: marker, ...extra }));
    all.push(...page.Grants!);
    marker = page.NextMarker;
  } while (marker);
  return all;
}

describe('CreateGrant', () => {
  describe('validation', () => {
    test('an unknown or malformed KeyId is NotFoundException (recorded: code)', async () => {
      expectError(await errorOf(() => grant('invalid')), 'NotFoundException', "Invalid keyId 'invalid'");
      expectError(await errorOf(() => grant(UNKNOWN_KEY_ID)), 'NotFoundException', `Key '${keyArnOf(UNKNOWN_KEY_ID)}' does not exist`);
    });

    test('an alias name or alias ARN is InvalidArnException', async () => {
      const keyId = await createKeyId(kms);
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/grant-test', TargetKeyId: keyId }));
      for (const id of ['alias/grant-test', `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/grant-test`]) {
        expectError(await errorOf(() => grant(id)), 'InvalidArnException', 'Key Aliases are not supported for this operation.');
      }
      expect(await listAll(keyId)).toHaveLength(0);
    });

    test('a grant of CreateGrant alone is refused', async () => {
      const keyId = await createKeyId(kms);
      expectError(await errorOf(() => grant(keyId, { Operations: ['CreateGrant'] })), 'ValidationException', 'Grants must not contain only the CreateGrant operation.');
    });

    test('operations the key type does not support are refused', async () => {
      const symmetric = await createKeyId(kms);
      expectError(
        await errorOf(() => grant(symmetric, { Operations: ['Encrypt', 'Sign', 'GenerateMac'] })),
        'ValidationException',
        'Grant operations Sign, GenerateMac are not valid for a KMS key with key spec SYMMETRIC_DEFAULT and key usage ENCRYPT_DECRYPT.',
      );
      const signing = await createKeyId(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      expectError(
        await errorOf(() => grant(signing, { Operations: ['Sign', 'Decrypt'] })),
        'ValidationException',
        'Grant operations Decrypt are not valid for a KMS key with key spec ECC_NIST_P256 and key usage SIGN_VERIFY.',
      );
      const hmac = await createKeyId(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      await expect(grant(hmac, { Operations: ['GenerateMac', 'VerifyMac', 'DescribeKey'] })).resolves.toHaveProperty('GrantId');
      await expect(grant(signing, { Operations: ['Sign', 'Verify', 'GetPublicKey', 'RetireGrant'] })).resolves.toHaveProperty('GrantId');
    });

    test('constraints: one kind only, symmetric encryption keys only, at most 8 pairs', async () => {
      const symmetric = await createKeyId(kms);
      expectError(
        await errorOf(() => grant(symmetric, { Constraints: { EncryptionContextEquals: { a: '1' }, EncryptionContextSubset: { b: '2' } } })),
        'ValidationException',
        'More than one constraint supplied',
      );
      const pairs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
      expectError(
        await errorOf(() => grant(symmetric, { Constraints: { EncryptionContextSubset: pairs } })),
        'ValidationException',
        'A grant constraint can include at most 8 encryption context pairs.',
      );
      const rsa = await createKeyId(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      expectError(
        await errorOf(() => grant(rsa, { Constraints: { EncryptionContextSubset: { a: '1' } } })),
        'ValidationException',
        'Encryption context grant constraints are not valid for a KMS key with key spec RSA_2048; they apply only to symmetric encryption KMS keys.',
      );
      expect(await listAll(symmetric)).toHaveLength(0);
      expect(await listAll(rsa)).toHaveLength(0);
    });

    test('invalid GrantTokens are InvalidGrantTokenException', async () => {
      const keyId = await createKeyId(kms);
      expectError(await errorOf(() => grant(keyId, { GrantTokens: ['not-a-token'] })), 'InvalidGrantTokenException', 'Invalid grant token');
      const { GrantToken } = await grant(keyId);
      await expect(grant(keyId, { GrantTokens: [GrantToken!] })).resolves.toHaveProperty('GrantId');
    });

    test('disabled and pending-deletion keys', async () => {
      const disabled = await createKeyId(kms);
      await kms.send(new DisableKeyCommand({ KeyId: disabled }));
      expectError(await errorOf(() => grant(disabled)), 'DisabledException', `${keyArnOf(disabled)} is disabled.`);
      const pending = await createKeyId(kms);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending, PendingWindowInDays: 7 }));
      expectError(await errorOf(() => grant(pending)), 'KMSInvalidStateException', `${keyArnOf(pending)} is pending deletion.`);
    });

    test('DryRun answers DryRunOperationException and creates nothing; a failing DryRun gives the real error', async () => {
      const keyId = await createKeyId(kms);
      expectError(await errorOf(() => grant(keyId, { DryRun: true })), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
      expect(await listAll(keyId)).toHaveLength(0);
      expectError(await errorOf(() => grant(keyId, { DryRun: true, Operations: ['Sign'] })), 'ValidationException');
    });
  });

  describe('functionality', () => {
    test('returns a 64-hex GrantId and a base64url token; ListGrants grows by one (recorded)', async () => {
      const keyId = await createKeyId(kms);
      const created = await grant(keyId, { RetiringPrincipal: RETIREE, Name: 'first' });
      expect(created.GrantId).toMatch(/^[a-f0-9]{64}$/);
      expect(created.GrantToken).toMatch(/^[A-Za-z0-9_-]+$/);
      const grants = await listAll(keyId);
      expect(grants).toHaveLength(1);
      expect(grants[0]).toEqual({
        KeyId: keyArnOf(keyId),
        GrantId: created.GrantId,
        Name: 'first',
        CreationDate: expect.any(Date),
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: RETIREE,
        IssuingAccount: `arn:aws:iam::${ACCOUNT_ID}:root`,
        Operations: ['Encrypt', 'Decrypt'],
      });
    });

    test('the key ARN works as KeyId', async () => {
      const keyId = await createKeyId(kms);
      const created = await grant(keyArnOf(keyId));
      expect((await listAll(keyArnOf(keyId))).map((g) => g.GrantId)).toEqual([created.GrantId]);
    });

    test('constraints are stored and listed', async () => {
      const keyId = await createKeyId(kms);
      await grant(keyId, { Constraints: { EncryptionContextSubset: { Department: 'IT' } } });
      await grant(keyId, { Constraints: { EncryptionContextEquals: { a: '1', b: '2' } } });
      const grants = await listAll(keyId);
      expect(grants.map((g) => g.Constraints)).toEqual([{ EncryptionContextSubset: { Department: 'IT' } }, { EncryptionContextEquals: { a: '1', b: '2' } }]);
    });

    test('Name idempotency: same Name and parameters give the same GrantId and a new token', async () => {
      const keyId = await createKeyId(kms);
      const first = await grant(keyId, { Name: 'retry-me', Operations: ['Decrypt', 'Encrypt'] });
      const second = await grant(keyId, { Name: 'retry-me', Operations: ['Encrypt', 'Decrypt'] });
      expect(second.GrantId).toBe(first.GrantId);
      expect(second.GrantToken).not.toBe(first.GrantToken);
      expect(await listAll(keyId)).toHaveLength(1);
      const different = await grant(keyId, { Name: 'retry-me', Operations: ['Encrypt'] });
      expect(different.GrantId).not.toBe(first.GrantId);
      expect(await listAll(keyId)).toHaveLength(2);
      const unnamed1 = await grant(keyId);
      const unnamed2 = await grant(keyId);
      expect(unnamed1.GrantId).not.toBe(unnamed2.GrantId);
    });

    test('the same Name on two keys gives two independent grants (recorded)', async () => {
      const key1 = await createKeyId(kms);
      const key2 = await createKeyId(kms);
      const g1 = await grant(key1, { Name: 'shared' });
      const g2 = await grant(key2, { Name: 'shared' });
      expect(g1.GrantId).not.toBe(g2.GrantId);
      expect((await listAll(key1)).map((g) => g.GrantId)).toEqual([g1.GrantId]);
      expect((await listAll(key2)).map((g) => g.GrantId)).toEqual([g2.GrantId]);
    });
  });
});

describe('ListGrants', () => {
  describe('validation', () => {
    test('an invalid KeyId is NotFoundException (recorded: code)', async () => {
      expectError(await errorOf(() => kms.send(new ListGrantsCommand({ KeyId: 'invalid' }))), 'NotFoundException', "Invalid keyId 'invalid'");
    });

    test('a malformed GrantId filter is InvalidGrantIdException; a bad marker InvalidMarkerException', async () => {
      const keyId = await createKeyId(kms);
      expectError(await errorOf(() => kms.send(new ListGrantsCommand({ KeyId: keyId, GrantId: 'nope' }))), 'InvalidGrantIdException', "Invalid grantId 'nope'");
      expectError(await errorOf(() => kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: 'bogus' }))), 'InvalidMarkerException', 'Invalid marker');
    });
  });

  describe('functionality', () => {
    test('filters by GrantId and GranteePrincipal; lists grants of disabled keys', async () => {
      const keyId = await createKeyId(kms);
      const a = await grant(keyId);
      const b = await grant(keyId, { GranteePrincipal: RETIREE });
      expect((await listAll(keyId, { GrantId: b.GrantId! })).map((g) => g.GrantId)).toEqual([b.GrantId]);
      expect(await listAll(keyId, { GrantId: UNKNOWN_GRANT_ID })).toEqual([]);
      expect((await listAll(keyId, { GranteePrincipal: GRANTEE })).map((g) => g.GrantId)).toEqual([a.GrantId]);
      await kms.send(new DisableKeyCommand({ KeyId: keyId }));
      expect(await listAll(keyId)).toHaveLength(2);
    });

    test('pages in creation order with Limit and Marker; default page of 50', async () => {
      const keyId = await createKeyId(kms);
      const ids: string[] = [];
      for (let i = 0; i < 53; i++) ids.push((await grant(keyId)).GrantId!);
      const first = await kms.send(new ListGrantsCommand({ KeyId: keyId }));
      expect(first.Grants).toHaveLength(50);
      expect(first.Truncated).toBe(true);
      const rest = await kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: first.NextMarker }));
      expect(rest.Truncated).toBe(false);
      expect(rest.NextMarker).toBeUndefined();
      expect([...first.Grants!, ...rest.Grants!].map((g) => g.GrantId)).toEqual(ids);
      const small = await kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 5 }));
      expect(small.Grants!.map((g) => g.GrantId)).toEqual(ids.slice(0, 5));
      // A grant removed between pages does not disturb the next page.
      await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: ids[5]! }));
      const next = await kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 5, Marker: small.NextMarker }));
      expect(next.Grants!.map((g) => g.GrantId)).toEqual(ids.slice(6, 11));
    });

    test('deleting the key removes its grants', async () => {
      const keyId = await createKeyId(kms);
      await grant(keyId, { RetiringPrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/deleted-key-retiree` });
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      expect(await listAll(keyId)).toHaveLength(1);
      running.kmslite.clock.advance(7 * DAY_MS + 1000);
      expectError(await errorOf(() => listAll(keyId)), 'NotFoundException', `Key '${keyArnOf(keyId)}' does not exist`);
      const retirable = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/deleted-key-retiree` }));
      expect(retirable.Grants).toEqual([]);
    });
  });
});

describe('ListRetirableGrants', () => {
  describe('validation', () => {
    test('a bad marker is InvalidMarkerException', async () => {
      expectError(await errorOf(() => kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: RETIREE, Marker: 'bogus' }))), 'InvalidMarkerException', 'Invalid marker');
    });
  });

  describe('functionality', () => {
    test('lists the grants of every key in the account and Region with that retiring principal, paged', async () => {
      const principal = `arn:aws:iam::${ACCOUNT_ID}:role/retirable-lister`;
      const key1 = await createKeyId(kms);
      const key2 = await createKeyId(kms);
      const g1 = await grant(key1, { RetiringPrincipal: principal });
      await grant(key1, { RetiringPrincipal: RETIREE });
      const g2 = await grant(key2, { RetiringPrincipal: principal });
      const g3 = await grant(key1, { RetiringPrincipal: principal });
      const page1 = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: principal, Limit: 2 }));
      expect(page1.Grants!.map((g) => g.GrantId)).toEqual([g1.GrantId, g2.GrantId]);
      expect(page1.Grants![1]!.KeyId).toBe(keyArnOf(key2));
      expect(page1.Truncated).toBe(true);
      const page2 = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: principal, Limit: 2, Marker: page1.NextMarker }));
      expect(page2.Grants!.map((g) => g.GrantId)).toEqual([g3.GrantId]);
      expect(page2.Truncated).toBe(false);
      const otherRegion = kmsClient(running, 'us-west-1');
      expect((await otherRegion.send(new ListRetirableGrantsCommand({ RetiringPrincipal: principal }))).Grants).toEqual([]);
    });
  });
});

describe('RetireGrant', () => {
  describe('validation', () => {
    test('neither a token nor key and grant id is ValidationException', async () => {
      expectError(await errorOf(() => kms.send(new RetireGrantCommand({}))), 'ValidationException', 'Grant token OR (grant ID, key ID) must be specified');
      expectError(await errorOf(() => kms.send(new RetireGrantCommand({ GrantId: UNKNOWN_GRANT_ID }))), 'ValidationException', 'Grant token OR (grant ID, key ID) must be specified');
    });

    test('a token kmslite did not issue is InvalidGrantTokenException', async () => {
      const keyId = await createKeyId(kms);
      const { GrantToken } = await grant(keyId);
      const tampered = GrantToken!.slice(0, -2) + (GrantToken!.endsWith('AA') ? 'BB' : 'AA');
      for (const token of ['garbage', tampered, 'a+b/c=']) {
        expectError(await errorOf(() => kms.send(new RetireGrantCommand({ GrantToken: token }))), 'InvalidGrantTokenException', 'Invalid grant token');
      }
      expect(await listAll(keyId)).toHaveLength(1);
    });

    test('a token of a grant already retired is NotFoundException; unknown or malformed grant ids', async () => {
      const keyId = await createKeyId(kms);
      const { GrantToken, GrantId } = await grant(keyId);
      await kms.send(new RetireGrantCommand({ GrantToken }));
      expectError(await errorOf(() => kms.send(new RetireGrantCommand({ GrantToken }))), 'NotFoundException', `Grant ${GrantId} does not exist`);
      expectError(
        await errorOf(() => kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: UNKNOWN_GRANT_ID }))),
        'NotFoundException',
        `Grant ${UNKNOWN_GRANT_ID} does not exist`,
      );
      expectError(await errorOf(() => kms.send(new RetireGrantCommand({ KeyId: keyId, GrantId: 'bad-id' }))), 'InvalidGrantIdException', "Invalid grantId 'bad-id'");
    });

    test('DryRun changes nothing', async () => {
      const keyId = await createKeyId(kms);
      const { GrantToken } = await grant(keyId);
      expectError(await errorOf(() => kms.send(new RetireGrantCommand({ GrantToken, DryRun: true }))), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
      expect(await listAll(keyId)).toHaveLength(1);
    });
  });

  describe('functionality', () => {
    test('by the token alone (recorded)', async () => {
      const keyId = await createKeyId(kms);
      const { GrantToken } = await grant(keyId);
      const other = await grant(keyId);
      await kms.send(new RetireGrantCommand({ GrantToken }));
      expect((await listAll(keyId)).map((g) => g.GrantId)).toEqual([other.GrantId]);
    });

    test('by key ARN and grant id (recorded, lower confidence); on a disabled key', async () => {
      const keyId = await createKeyId(kms);
      const { GrantId } = await grant(keyId);
      await kms.send(new DisableKeyCommand({ KeyId: keyId }));
      await kms.send(new RetireGrantCommand({ KeyId: keyArnOf(keyId), GrantId }));
      expect(await listAll(keyId)).toHaveLength(0);
    });
  });
});

describe('RevokeGrant', () => {
  describe('validation', () => {
    test('unknown key, unknown and malformed grant ids', async () => {
      expectError(
        await errorOf(() => kms.send(new RevokeGrantCommand({ KeyId: UNKNOWN_KEY_ID, GrantId: UNKNOWN_GRANT_ID }))),
        'NotFoundException',
        `Key '${keyArnOf(UNKNOWN_KEY_ID)}' does not exist`,
      );
      const keyId = await createKeyId(kms);
      expectError(
        await errorOf(() => kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: UNKNOWN_GRANT_ID }))),
        'NotFoundException',
        `Grant ${UNKNOWN_GRANT_ID} does not exist`,
      );
      expectError(await errorOf(() => kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: 'xyz' }))), 'InvalidGrantIdException', "Invalid grantId 'xyz'");
    });

    test('a grant of another key is not found through this key', async () => {
      const key1 = await createKeyId(kms);
      const key2 = await createKeyId(kms);
      const { GrantId } = await grant(key1);
      expectError(await errorOf(() => kms.send(new RevokeGrantCommand({ KeyId: key2, GrantId }))), 'NotFoundException', `Grant ${GrantId} does not exist`);
      expect(await listAll(key1)).toHaveLength(1);
    });

    test('DryRun changes nothing', async () => {
      const keyId = await createKeyId(kms);
      const { GrantId } = await grant(keyId);
      expectError(await errorOf(() => kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId, DryRun: true }))), 'DryRunOperationException');
      expect(await listAll(keyId)).toHaveLength(1);
    });
  });

  describe('functionality', () => {
    test('removes the grant from ListGrants (recorded), also on a key pending deletion', async () => {
      const keyId = await createKeyId(kms);
      const { GrantId } = await grant(keyId);
      const kept = await grant(keyId);
      await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId }));
      expect((await listAll(keyId)).map((g) => g.GrantId)).toEqual([kept.GrantId]);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 30 }));
      await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: kept.GrantId }));
      expect(await listAll(keyId)).toHaveLength(0);
    });
  });
});

describe('checkGrantTokens', () => {
  test('accepts no list, an empty list, and tokens kmslite issued; refuses anything else', () => {
    const token = encodeGrantToken({ accountId: ACCOUNT_ID, region: REGION, keyId: UNKNOWN_KEY_ID, grantId: UNKNOWN_GRANT_ID });
    expect(decodeGrantToken(token)).toEqual({ accountId: ACCOUNT_ID, region: REGION, keyId: UNKNOWN_KEY_ID, grantId: UNKNOWN_GRANT_ID });
    expect(() => checkGrantTokens({})).not.toThrow();
    expect(() => checkGrantTokens({ GrantTokens: [] })).not.toThrow();
    expect(() => checkGrantTokens({ GrantTokens: [token, token] })).not.toThrow();
    expect(() => checkGrantTokens({ GrantTokens: [token, 'AQIDAHh-not-ours'] })).toThrow(
      expect.objectContaining({ name: 'InvalidGrantTokenException', message: 'Invalid grant token' }),
    );
    expect(decodeGrantToken(Buffer.from('kmslite-grant/1|x|y|z|w|v').toString('base64url'))).toBeUndefined();
  });
});

describe('GrantTokens on other operations', () => {
  test('a token kmslite did not issue answers InvalidGrantTokenException; an issued one is accepted', async () => {
    await withKmslite({}, async (running) => {
      const kms = kmsClient(running);
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const bad = await rawRequest(running, 'Encrypt', { KeyId: key.KeyId, Plaintext: 'aGk=', GrantTokens: ['not-a-token'] });
      expect(bad.status).toBe(400);
      expect(bad.json.__type).toBe('InvalidGrantTokenException');
      const grant = await kms.send(
        new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Encrypt'] }),
      );
      const ok = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('hi'), GrantTokens: [grant.GrantToken!] }));
      expect(ok.KeyId).toBe(key.Arn);
    });
  });
});
