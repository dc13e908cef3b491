/**
 * `--access-control enforce` through the SDK with per-principal credentials: who may use a key by its key
 * policy, IAM policies and their explicit denies, with AWS's exact AccessDenied texts (research §1, §5.7, §6.4).
 */
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateRandomCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { PrincipalDeclaration, RunningKmslite } from '../../src/index.js';
import { rawRequest, useKmslite, accountClient, createKey } from '../helpers/fixture.js';
import { ACCOUNT_ID, REGION, ROOT_ARN, ROOT_DELEGATION, admin, clientFor, denied, deniedText, identityPolicy, policy, refusal, roleSession, user } from './helpers.js';

const plaintext = Buffer.from('secret data');

const alice = user('alice');
const carol = user('carol', {
  Policies: [identityPolicy('use-keys', { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' })],
});
const dave = user('dave', {
  Policies: [
    identityPolicy('everything', { Effect: 'Allow', Action: 'kms:*', Resource: '*' }),
    identityPolicy('no-decrypt', { Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }),
  ],
});
const ciSession = roleSession('app', 'ci-run', { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/service/app` });
const creator = user('creator', { Policies: [identityPolicy('create-only', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' })] });

let running: RunningKmslite;
let root: KMSClient;
useKmslite((server) => ({ running, kms: root } = server), { accessControl: 'enforce', principals: [alice, carol, dave, ciSession, creator] });

async function newKey(keyPolicy?: string): Promise<string> {
  return (await createKey(root, keyPolicy ? { Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: true } : {})).Arn!;
}

describe('zero configuration: undeclared access keys are their account root', () => {
  test('with the default key policy every operation works as with access control off', async () => {
    const { KeyMetadata } = await root.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'a' }] }));
    const keyId = KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    expect(Buffer.from((await root.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!)).toEqual(plaintext);
    await root.send(new CreateAliasCommand({ AliasName: 'alias/zero-config', TargetKeyId: keyId }));
    await root.send(new EncryptCommand({ KeyId: 'alias/zero-config', Plaintext: plaintext }));
    await root.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: alice.Arn, Operations: ['Encrypt'] }));
    await root.send(new ListGrantsCommand({ KeyId: keyId }));
    await root.send(new ListKeysCommand({}));
    await root.send(new ListAliasesCommand({ KeyId: keyId }));
    await root.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await root.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy(ROOT_DELEGATION) }));
    await root.send(new DeleteAliasCommand({ AliasName: 'alias/zero-config' }));
    await root.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
  });
});

describe('key policy and IAM policies', () => {
  test('a user without an IAM policy: the default key policy only delegates to the account', async () => {
    const keyArn = await newKey();
    expect(await refusal(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
  });

  test('a user with an IAM allow can use the key, for the allowed actions only', async () => {
    const keyArn = await newKey();
    const carolKms = clientFor(running, carol);
    const { CiphertextBlob } = await carolKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(Buffer.from((await carolKms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!)).toEqual(plaintext);
    expect(await refusal(() => carolKms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn })))).toEqual(
      denied(carol.Arn, 'kms:ScheduleKeyDeletion', keyArn, 'no-identity'),
    );
  });

  test('a key policy without the account delegation: IAM policies do not count, even root is locked out', async () => {
    const keyArn = await newKey(policy({ Effect: 'Allow', Principal: { AWS: alice.Arn }, Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: '*' }));
    // alice is named by the key policy itself: no IAM policy needed in the key's account.
    await clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(await refusal(() => root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(ROOT_ARN, 'kms:Encrypt', keyArn, 'no-resource'),
    );
    expect(await refusal(() => clientFor(running, carol).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(carol.Arn, 'kms:Encrypt', keyArn, 'no-resource'),
    );
  });

  test('a key-policy Deny on a missing encryption context', async () => {
    const keyArn = await newKey(
      policy(ROOT_DELEGATION, {
        Sid: 'RequirePurpose',
        Effect: 'Deny',
        Principal: '*',
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContext:purpose': 'true' } },
      }),
    );
    expect(await refusal(() => root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(ROOT_ARN, 'kms:Encrypt', keyArn, 'explicit-resource'),
    );
    const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { purpose: 'backup' } }));
    await root.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'backup' } }));
  });

  test('an IAM Deny wins over an IAM Allow', async () => {
    const keyArn = await newKey();
    const daveKms = clientFor(running, dave);
    const { CiphertextBlob } = await daveKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect(await refusal(() => daveKms.send(new DecryptCommand({ CiphertextBlob })))).toEqual(denied(dave.Arn, 'kms:Decrypt', keyArn, 'explicit-identity'));
  });

  test('a role session is matched by its role ARN; the message names the session', async () => {
    const roleArn = ciSession.RoleArn!;
    const keyArn = await newKey(
      policy(ROOT_DELEGATION, {
        Sid: 'AppDecryptsPayments',
        Effect: 'Allow',
        Principal: { AWS: roleArn },
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payments' } },
      }),
    );
    const session = clientFor(running, ciSession);
    const { CiphertextBlob } = await session.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { app: 'payments' } }));
    await session.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'payments' } }));
    const other = await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { app: 'billing' } }));
    // The key policy delegates to the account, and the session has no IAM policy of its own.
    expect(await refusal(() => session.send(new DecryptCommand({ CiphertextBlob: other.CiphertextBlob, EncryptionContext: { app: 'billing' } })))).toEqual(
      denied(ciSession.Arn, 'kms:Decrypt', keyArn, 'no-identity'),
    );
  });

  test('the wire body: HTTP 400, __type AccessDeniedException, member Message', async () => {
    const keyArn = await newKey();
    const response = await rawRequest(running, 'Encrypt', { KeyId: keyArn, Plaintext: plaintext.toString('base64') }, {
      credentials: { accessKeyId: alice.AccessKeyId, secretAccessKey: alice.SecretAccessKey! },
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ __type: 'AccessDeniedException', Message: deniedText(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity') });
  });

  test('the access check comes before the key state: a caller without permission does not learn the key is disabled', async () => {
    const keyArn = await newKey();
    await root.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));
    expect(await refusal(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(
      denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
    expect((await refusal(() => root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).name).toBe('KMSInvalidStateException');
  });
});

describe('operations with special resources', () => {
  test('Decrypt without KeyId is authorized against the key the ciphertext names', async () => {
    const allowedKey = await newKey();
    const otherKey = await newKey();
    const reader: PrincipalDeclaration = user('reader', { Policies: [identityPolicy('one-key', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: allowedKey })] });
    await running.kmslite.principals.put(reader);
    const readerKms = clientFor(running, reader);
    const mine = await root.send(new EncryptCommand({ KeyId: allowedKey, Plaintext: plaintext }));
    const theirs = await root.send(new EncryptCommand({ KeyId: otherKey, Plaintext: plaintext }));
    expect(Buffer.from((await readerKms.send(new DecryptCommand({ CiphertextBlob: mine.CiphertextBlob }))).Plaintext!)).toEqual(plaintext);
    expect(await refusal(() => readerKms.send(new DecryptCommand({ CiphertextBlob: theirs.CiphertextBlob })))).toEqual(
      denied(reader.Arn, 'kms:Decrypt', otherKey, 'no-identity'),
    );
  });

  test('ReEncrypt needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination', async () => {
    const source = await newKey();
    const destination = await newKey();
    const mover = user('mover', {
      Policies: [identityPolicy('from-source', { Effect: 'Allow', Action: 'kms:ReEncryptFrom', Resource: source })],
    });
    running.kmslite.principals.put(mover);
    const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: source, Plaintext: plaintext }));
    const moverKms = clientFor(running, mover);
    expect(await refusal(() => moverKms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination })))).toEqual(
      denied(mover.Arn, 'kms:ReEncryptTo', destination, 'no-identity'),
    );
    running.kmslite.principals.put({ ...mover, Policies: [identityPolicy('to-destination', { Effect: 'Allow', Action: 'kms:ReEncryptTo', Resource: destination })] });
    expect(await refusal(() => moverKms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination })))).toEqual(
      denied(mover.Arn, 'kms:ReEncryptFrom', source, 'no-identity'),
    );
    running.kmslite.principals.put({ ...mover, Policies: [identityPolicy('both', { Effect: 'Allow', Action: 'kms:ReEncrypt*', Resource: [source, destination] })] });
    const moved = await moverKms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination }));
    expect(moved.KeyId).toBe(destination);
  });

  test('alias operations check the alias (IAM) and the key (key policy + IAM)', async () => {
    const keyArn = await newKey();
    const secondKeyArn = await newKey();
    const aliasArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/halves`;
    const namer = user('namer', { Policies: [identityPolicy('key-only', { Effect: 'Allow', Action: 'kms:*Alias', Resource: [keyArn, secondKeyArn] })] });
    running.kmslite.principals.put(namer);
    const namerKms = clientFor(running, namer);
    expect(await refusal(() => namerKms.send(new CreateAliasCommand({ AliasName: 'alias/halves', TargetKeyId: keyArn })))).toEqual(
      denied(namer.Arn, 'kms:CreateAlias', aliasArn, 'no-identity'),
    );
    running.kmslite.principals.put({ ...namer, Policies: [identityPolicy('alias-only', { Effect: 'Allow', Action: 'kms:*Alias', Resource: aliasArn })] });
    expect(await refusal(() => namerKms.send(new CreateAliasCommand({ AliasName: 'alias/halves', TargetKeyId: keyArn })))).toEqual(
      denied(namer.Arn, 'kms:CreateAlias', keyArn, 'no-identity'),
    );
    running.kmslite.principals.put({
      ...namer,
      Policies: [identityPolicy('alias-and-first-key', { Effect: 'Allow', Action: 'kms:*Alias', Resource: [aliasArn, keyArn] })],
    });
    await namerKms.send(new CreateAliasCommand({ AliasName: 'alias/halves', TargetKeyId: keyArn }));
    // UpdateAlias: the alias, the current key and the new key.
    expect(await refusal(() => namerKms.send(new UpdateAliasCommand({ AliasName: 'alias/halves', TargetKeyId: secondKeyArn })))).toEqual(
      denied(namer.Arn, 'kms:UpdateAlias', secondKeyArn, 'no-identity'),
    );
    await namerKms.send(new DeleteAliasCommand({ AliasName: 'alias/halves' }));
  });

  test('DryRun answers AccessDenied when the call would be denied, DryRunOperationException when allowed', async () => {
    const keyArn = await newKey();
    expect(await refusal(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, DryRun: true })))).toEqual(
      denied(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'),
    );
    expect((await refusal(() => clientFor(running, carol).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, DryRun: true })))).name).toBe(
      'DryRunOperationException',
    );
  });

  test('CreateKey is an IAM-only action; its Tags also need kms:TagResource (a text without "on resource")', async () => {
    expect(await refusal(() => clientFor(running, alice).send(new CreateKeyCommand({})))).toEqual(denied(alice.Arn, 'kms:CreateKey', '*', 'no-identity'));
    const creatorKms = clientFor(running, creator);
    const created = await creatorKms.send(new CreateKeyCommand({}));
    expect(created.KeyMetadata!.KeyId).toBeDefined();
    expect(await refusal(() => creatorKms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'a' }] })))).toEqual({
      name: 'AccessDeniedException',
      message: `User: ${creator.Arn} is not authorized to perform: kms:TagResource because no identity-based policy allows the kms:TagResource action`,
      status: 400,
    });
  });

  test('ReplicateKey checks kms:CreateKey "in the replica Region": aws:RequestedRegion is the ReplicaRegion there (API_ReplicateKey)', async () => {
    const inRegion = (name: string, region: string) =>
      user(name, {
        Policies: [
          identityPolicy('replicate', { Effect: 'Allow', Action: 'kms:ReplicateKey', Resource: '*' }),
          identityPolicy('create-in-one-region', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': region } } }),
        ],
      });
    const replicaCreator = inRegion('replicaCreator', 'us-east-1');
    const homeCreator = inRegion('homeCreator', REGION);
    running.kmslite.principals.put(replicaCreator);
    running.kmslite.principals.put(homeCreator);
    const primary = (await root.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    const replicate = (who: PrincipalDeclaration) => clientFor(running, who).send(new ReplicateKeyCommand({ KeyId: primary, ReplicaRegion: 'us-east-1' }));
    expect(await refusal(() => replicate(homeCreator))).toEqual(denied(homeCreator.Arn, 'kms:CreateKey', '*', 'no-identity'));
    // The simulator makes the same checks (kms:CreateKey, then kms:ReplicateKey on the primary).
    const simulated = await admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: homeCreator.AccessKeyId, operation: 'ReplicateKey', keyId: primary, input: { ReplicaRegion: 'us-east-1' } });
    expect(simulated.json).toMatchObject({ allowed: false, message: deniedText(homeCreator.Arn, 'kms:CreateKey', '*', 'no-identity') });
    expect((await replicate(replicaCreator)).ReplicaKeyMetadata!.Arn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${primary}`);
  });

  test('ListKeys, ListAliases, GenerateRandom, ListRetirableGrants and the custom key store operations are IAM-only, on resource *', async () => {
    const aliceKms = clientFor(running, alice);
    const calls: [string, () => Promise<unknown>][] = [
      ['ListKeys', () => aliceKms.send(new ListKeysCommand({}))],
      ['ListAliases', () => aliceKms.send(new ListAliasesCommand({}))],
      ['GenerateRandom', () => aliceKms.send(new GenerateRandomCommand({ NumberOfBytes: 8 }))],
      ['ListRetirableGrants', () => aliceKms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: alice.Arn }))],
      ['DescribeCustomKeyStores', () => aliceKms.send(new DescribeCustomKeyStoresCommand({}))],
    ];
    for (const [operation, call] of calls) expect(await refusal(call)).toEqual(denied(alice.Arn, `kms:${operation}`, '*', 'no-identity'));
    const lister = user('lister', { Policies: [identityPolicy('list', { Effect: 'Allow', Action: ['kms:List*', 'kms:GenerateRandom', 'kms:Describe*'], Resource: '*' })] });
    running.kmslite.principals.put(lister);
    const listerKms = clientFor(running, lister);
    await listerKms.send(new ListKeysCommand({}));
    await listerKms.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await listerKms.send(new DescribeCustomKeyStoresCommand({}));
  });

  test('the existing cross-account refusal names the caller and uses the member Message', async () => {
    const keyArn = await newKey();
    const other = accountClient(running, '444455556666');
    const response = await rawRequest(running, 'ScheduleKeyDeletion', { KeyId: keyArn }, { credentials: { accessKeyId: '444455556666', secretAccessKey: 'anything' } });
    expect(JSON.parse(response.body)).toEqual({
      __type: 'AccessDeniedException',
      Message: `User: arn:aws:iam::444455556666:root is not authorized to perform: kms:ScheduleKeyDeletion on resource: ${keyArn} because no resource-based policy allows the kms:ScheduleKeyDeletion action`,
    });
    expect((await refusal(() => other.send(new DescribeKeyCommand({ KeyId: keyArn })))).message).toBe(
      deniedText('arn:aws:iam::444455556666:root', 'kms:DescribeKey', keyArn, 'no-resource'),
    );
  });
});

describe('the lockout safety check', () => {
  const lockingPolicy = policy({ Sid: 'OnlyAlice', Effect: 'Allow', Principal: { AWS: alice.Arn }, Action: 'kms:*', Resource: '*' });
  const lockoutText = 'The new key policy will not allow you to update the key policy in the future.';

  test('CreateKey refuses a policy that would lock the caller out, unless BypassPolicyLockoutSafetyCheck', async () => {
    expect(await refusal(() => root.send(new CreateKeyCommand({ Policy: lockingPolicy })))).toEqual({ name: 'MalformedPolicyDocumentException', message: lockoutText, status: 400 });
    const created = await root.send(new CreateKeyCommand({ Policy: lockingPolicy, BypassPolicyLockoutSafetyCheck: true }));
    expect(created.KeyMetadata!.Enabled).toBe(true);
  });

  test('PutKeyPolicy refuses it too and keeps the old policy; bypass accepted', async () => {
    const keyArn = await newKey();
    expect(await refusal(() => root.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: lockingPolicy })))).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: lockoutText,
      status: 400,
    });
    await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    await root.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: lockingPolicy, BypassPolicyLockoutSafetyCheck: true }));
    expect(await refusal(() => root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(denied(ROOT_ARN, 'kms:Encrypt', keyArn, 'no-resource'));
  });

  test('ReplicateKey applies the same check to the replica policy', async () => {
    const primary = await root.send(new CreateKeyCommand({ MultiRegion: true }));
    const replicate = (bypass?: boolean) =>
      root.send(new ReplicateKeyCommand({ KeyId: primary.KeyMetadata!.KeyId, ReplicaRegion: 'us-east-1', Policy: lockingPolicy, BypassPolicyLockoutSafetyCheck: bypass }));
    expect(await refusal(() => replicate())).toEqual({ name: 'MalformedPolicyDocumentException', message: lockoutText, status: 400 });
    const replica = await replicate(true);
    expect(replica.ReplicaPolicy).toBe(lockingPolicy);
  });

  test('a policy that is JSON but not a policy is MalformedPolicyDocumentException and changes nothing', async () => {
    const keyArn = await newKey();
    const error = await refusal(() => root.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: JSON.stringify({ Statement: [{ Effect: 'Perhaps', Principal: '*', Action: 'kms:*', Resource: '*' }] }) })));
    expect(error.name).toBe('MalformedPolicyDocumentException');
    await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
  });
});

describe('ABAC', () => {
  test('TagResource changes who may use a key at once (ABAC)', async () => {
    const keyArn = await newKey();
    await root.send(new TagResourceCommand({ KeyId: keyArn, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    const payer = user('payer', {
      Tags: { team: 'payments' },
      Policies: [
        identityPolicy('team-keys', {
          Effect: 'Allow',
          Action: 'kms:Encrypt',
          Resource: `arn:aws:kms:*:${ACCOUNT_ID}:key/*`,
          Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
        }),
      ],
    });
    running.kmslite.principals.put(payer);
    const payerKms = clientFor(running, payer);
    await payerKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    await root.send(new TagResourceCommand({ KeyId: keyArn, Tags: [{ TagKey: 'team', TagValue: 'billing' }] }));
    expect(await refusal(() => payerKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })))).toEqual(denied(payer.Arn, 'kms:Encrypt', keyArn, 'no-identity'));
    await root.send(new TagResourceCommand({ KeyId: keyArn, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    await payerKms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
  });
});
