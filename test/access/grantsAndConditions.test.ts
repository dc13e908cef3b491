/**
 * `--access-control enforce`: cross-account use, grants, and the condition keys kmslite supplies (aliases,
 * kms:ViaService through a principal's Context, aws:CurrentTime from kmslite's clock). Research §1.2, §1.9-1.12.
 */
import {
  CreateAliasCommand,
  CreateGrantCommand,
  DecryptCommand,
  EncryptCommand,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { RunningKmslite } from '../../src/index.js';
import { kmsClient, useKmslite, createKey } from '../helpers/fixture.js';
import {
  OTHER_ACCOUNT_ID,
  ROOT_DELEGATION,
  admin,
  clientFor,
  denied,
  identityPolicy,
  policy,
  refusal,
  user,
} from './helpers.js';

const plaintext = Buffer.from('secret data');
const newcomerCredentials = { accessKeyId: 'AKIANEWCOMER000001', secretAccessKey: 'newcomer-secret' };
const NEWCOMER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT_ID}:root`;

/** bob: a user of the other account, with an IAM policy allowing KMS use on any key. */
const bob = user('bob', {
  account: OTHER_ACCOUNT_ID,
  Policies: [identityPolicy('use-any-key', { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:CreateGrant'], Resource: '*' })],
});
/** bobby: the same account, no IAM policy. */
const bobby = user('bobby', { account: OTHER_ACCOUNT_ID });
const alice = user('alice');

let running: RunningKmslite;
let root: KMSClient;
useKmslite((server) => ({ running, kms: root } = server), {
  accessControl: 'enforce',
  strictCredentials: true,
  credentials: `${newcomerCredentials.accessKeyId}:${newcomerCredentials.secretAccessKey}:${OTHER_ACCOUNT_ID}`,
  principals: [bob, bobby, alice],
});

async function newKey(keyPolicy?: string): Promise<string> {
  return (await createKey(root, keyPolicy ? { Policy: keyPolicy } : {})).Arn!;
}

describe('cross-account use', () => {
  test("another account with its own valid credentials cannot Encrypt, Decrypt or CreateGrant on a key whose policy names only the owner", async () => {
    const keyArn = await newKey();
    const newcomer = kmsClient(running, undefined, newcomerCredentials);
    const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(await refusal(() => newcomer.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(denied(NEWCOMER_ROOT, 'kms:Encrypt', keyArn, 'no-resource'));
    expect(await refusal(() => newcomer.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob })))).toEqual(denied(NEWCOMER_ROOT, 'kms:Decrypt', keyArn, 'no-resource'));
    expect(await refusal(() => newcomer.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: NEWCOMER_ROOT, Operations: ['Decrypt'] })))).toEqual(
      denied(NEWCOMER_ROOT, 'kms:CreateGrant', keyArn, 'no-resource'),
    );
  });

  test('with a key policy naming the other account, its users need their own IAM allow too', async () => {
    const keyArn = await newKey(
      policy(ROOT_DELEGATION, {
        Sid: 'OtherAccountUse',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT_ID}:root` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:CreateGrant'],
        Resource: '*',
      }),
    );
    const bobKms = clientFor(running, bob);
    const { CiphertextBlob } = await bobKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(Buffer.from((await bobKms.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob }))).Plaintext!)).toEqual(plaintext);
    expect(await refusal(() => clientFor(running, bobby).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(bobby.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
  });

  test('without the key policy naming its account, an IAM allow alone is not enough', async () => {
    const keyArn = await newKey();
    expect(await refusal(() => clientFor(running, bob).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(bob.Arn, 'kms:Encrypt', keyArn, 'no-resource'),
    );
  });

  test('a grant alone lets a user of another account use the key, without any IAM policy', async () => {
    const keyArn = await newKey();
    await root.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: bobby.Arn, Operations: ['Encrypt', 'Decrypt'] }));
    const bobbyKms = clientFor(running, bobby);
    const { CiphertextBlob } = await bobbyKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    await bobbyKms.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob }));
  });
});

describe('grants', () => {
  test('a grant allows its operations within its constraints; retired, it allows nothing', async () => {
    const keyArn = await newKey();
    const { GrantId } = await root.send(
      new CreateGrantCommand({
        KeyId: keyArn,
        GranteePrincipal: alice.Arn,
        RetiringPrincipal: alice.Arn,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { dept: 'it' } },
      }),
    );
    const aliceKms = clientFor(running, alice);
    await aliceKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { dept: 'it', app: 'x' } }));
    expect(await refusal(() => aliceKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { dept: 'hr' } })))).toEqual(
      denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
    await aliceKms.send(new RetireGrantCommand({ KeyId: keyArn, GrantId }));
    expect(await refusal(() => aliceKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { dept: 'it' } })))).toEqual(
      denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
  });

  test('only the retiring principal (or a grantee with RetireGrant, or the account) may retire a grant', async () => {
    const keyArn = await newKey();
    const { GrantId } = await root.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: alice.Arn, Operations: ['Encrypt'] }));
    const error = await refusal(() => clientFor(running, alice).send(new RetireGrantCommand({ KeyId: keyArn, GrantId })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(new RegExp(`^User: ${alice.Arn} is not authorized to perform: kms:RetireGrant`));
    await root.send(new RetireGrantCommand({ KeyId: keyArn, GrantId }));
  });

  test('a grant used to create a grant cannot widen it', async () => {
    const keyArn = await newKey();
    await root.send(
      new CreateGrantCommand({
        KeyId: keyArn,
        GranteePrincipal: alice.Arn,
        Operations: ['Encrypt', 'CreateGrant'],
        Constraints: { EncryptionContextEquals: { dept: 'it' } },
      }),
    );
    const aliceKms = clientFor(running, alice);
    const narrower = { KeyId: keyArn, GranteePrincipal: bobby.Arn, Operations: ['Encrypt' as const], Constraints: { EncryptionContextEquals: { dept: 'it' } } };
    await aliceKms.send(new CreateGrantCommand(narrower));
    for (const wider of [
      { ...narrower, Operations: ['Encrypt' as const, 'Decrypt' as const] },
      { ...narrower, Constraints: undefined },
    ]) {
      const error = await refusal(() => aliceKms.send(new CreateGrantCommand(wider)));
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toMatch(new RegExp(`^User: ${alice.Arn} is not authorized to perform: kms:CreateGrant on resource: ${keyArn}`));
    }
  });
});

describe('condition keys kmslite supplies', () => {
  test('kms:ResourceAliases (IAM policy) matches whatever the request named the key by; kms:RequestAlias only the alias', async () => {
    const aliased = await newKey();
    const plain = await newKey();
    await root.send(new CreateAliasCommand({ AliasName: 'alias/payments-db', TargetKeyId: aliased }));
    const byAlias = user('byalias', {
      Policies: [
        identityPolicy('aliases', {
          Effect: 'Allow',
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/payments-*' } },
        }),
        identityPolicy('request-alias', {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:RequestAlias': 'alias/payments-db' } },
        }),
      ],
    });
    await admin(running, 'PUT', `/_kmslite/principals/${byAlias.AccessKeyId}`, byAlias);
    const kms = clientFor(running, byAlias);
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: aliased, Plaintext: plaintext }));
    expect(await refusal(() => kms.send(new EncryptCommand({ KeyId: plain, Plaintext: plaintext })))).toEqual(denied(byAlias.Arn, 'kms:Encrypt', plain, 'no-identity'));
    await kms.send(new DecryptCommand({ KeyId: 'alias/payments-db', CiphertextBlob }));
    expect(await refusal(() => kms.send(new DecryptCommand({ KeyId: aliased, CiphertextBlob })))).toEqual(denied(byAlias.Arn, 'kms:Decrypt', aliased, 'no-identity'));
  });

  test('kms:ViaService comes from a principal declared "as the service would call"', async () => {
    const keyArn = await newKey();
    const viaS3 = {
      Effect: 'Allow',
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
    };
    const throughS3 = user('throughs3', { Policies: [identityPolicy('via-s3', viaS3)], Context: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } });
    const direct = user('direct', { Policies: [identityPolicy('via-s3', viaS3)] });
    running.kmslite.principals.put(throughS3);
    running.kmslite.principals.put(direct);
    await clientFor(running, throughS3).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(await refusal(() => clientFor(running, direct).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(direct.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
  });

  test("a time-bound key policy statement flips when kmslite's clock moves (POST /_kmslite/clock/advance)", async () => {
    const until = new Date(running.kmslite.clock.now() + 3_600_000).toISOString();
    const keyArn = await newKey();
    await root.send(
      new PutKeyPolicyCommand({
        KeyId: keyArn,
        Policy: policy(ROOT_DELEGATION, {
          Sid: 'AliceUntil',
          Effect: 'Allow',
          Principal: { AWS: alice.Arn },
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': until } },
        }),
      }),
    );
    const aliceKms = clientFor(running, alice);
    await aliceKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect((await admin(running, 'POST', '/_kmslite/clock/advance', { hours: 2 })).status).toBe(200);
    try {
      expect(await refusal(() => aliceKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'));
    } finally {
      await admin(running, 'POST', '/_kmslite/clock/reset');
    }
  });
});
