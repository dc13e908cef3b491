/**
 * A day of work against kmslite that touches every kind of persisted state, and the checks that it all came back
 * after a restart: for the restart (test/persistence/restart.test.ts) and crash (crash.test.ts) tests.
 */
import {
  CreateAliasCommand,
  CreateCustomKeyStoreCommand,
  ConnectCustomKeyStoreCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  RetireGrantCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';

export const OTHER_ACCOUNT_CREDENTIALS = { accessKeyId: '444455556666', secretAccessKey: 'anything' };

export interface ScenarioFacts {
  symmetricKeyId: string;
  secondKeyId: string;
  pendingDeletionKeyId: string;
  disabledKeyId: string;
  signingKeyId: string;
  macKeyId: string;
  externalKeyId: string;
  pendingImportKeyId: string;
  pendingImportToken: Uint8Array;
  pendingImportPublicKey: Uint8Array;
  multiRegionKeyId: string;
  customKeyStoreId: string;
  otherAccountKeyId: string;
  ciphertexts: { ciphertext: Uint8Array; context?: Record<string, string>; region: string; plaintext: string }[];
  signature: Uint8Array;
  mac: Uint8Array;
  grantIds: string[];
}

type Clients = (region?: string, credentials?: { accessKeyId: string; secretAccessKey: string }) => KMSClient;

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});

export async function runScenario(clientFor: Clients): Promise<ScenarioFacts> {
  const kms = clientFor();
  const create = async (input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}, client = kms) => (await client.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
  const encrypt = async (keyId: string, plaintext: string, context?: Record<string, string>, client = kms) =>
    (await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext), EncryptionContext: context }))).CiphertextBlob!;
  const ciphertexts: ScenarioFacts['ciphertexts'] = [];

  const symmetricKeyId = await create({ Description: 'first', Tags: [{ TagKey: 'team', TagValue: 'a' }, { TagKey: 'drop', TagValue: 'me' }] });
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/app-1', TargetKeyId: symmetricKeyId }));
  ciphertexts.push({ ciphertext: await encrypt('alias/app-1', 'before rotation', { purpose: 'test' }), context: { purpose: 'test' }, region: 'eu-west-2', plaintext: 'before rotation' });
  await kms.send(new UpdateKeyDescriptionCommand({ KeyId: symmetricKeyId, Description: 'first, described again' }));
  await kms.send(new TagResourceCommand({ KeyId: symmetricKeyId, Tags: [{ TagKey: 'env', TagValue: 'dev' }] }));
  await kms.send(new UntagResourceCommand({ KeyId: symmetricKeyId, TagKeys: ['drop'] }));
  await kms.send(new PutKeyPolicyCommand({ KeyId: symmetricKeyId, PolicyName: 'default', Policy: POLICY }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: symmetricKeyId, RotationPeriodInDays: 90 }));
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: symmetricKeyId }));
  ciphertexts.push({ ciphertext: await encrypt(symmetricKeyId, 'after rotation'), region: 'eu-west-2', plaintext: 'after rotation' });

  const secondKeyId = await create();
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/app-2', TargetKeyId: secondKeyId }));
  await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app-2', TargetKeyId: symmetricKeyId }));
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/gone', TargetKeyId: secondKeyId }));
  await kms.send(new DeleteAliasCommand({ AliasName: 'alias/gone' }));

  const pendingDeletionKeyId = await create();
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pendingDeletionKeyId, PendingWindowInDays: 7 }));
  const disabledKeyId = await create();
  await kms.send(new DisableKeyCommand({ KeyId: disabledKeyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: secondKeyId, PendingWindowInDays: 7 }));
  await kms.send(new CancelKeyDeletionCommand({ KeyId: secondKeyId }));

  const signingKeyId = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const signature = (await kms.send(new SignCommand({ KeyId: signingKeyId, Message: Buffer.from('signed'), SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!;
  const macKeyId = await create({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const mac = (await kms.send(new GenerateMacCommand({ KeyId: macKeyId, Message: Buffer.from('mac'), MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;

  const grantIds: string[] = [];
  for (const name of ['kept', 'retired']) {
    const grant = await kms.send(
      new CreateGrantCommand({ KeyId: symmetricKeyId, Name: name, GranteePrincipal: 'arn:aws:iam::111122223333:role/app', RetiringPrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Encrypt', 'Decrypt'] }),
    );
    grantIds.push(grant.GrantId!);
    if (name === 'retired') await kms.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
  }

  const externalKeyId = await create({ Origin: 'EXTERNAL' });
  const material = randomBytes(32);
  const parameters = await kms.send(new GetParametersForImportCommand({ KeyId: externalKeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  await kms.send(
    new ImportKeyMaterialCommand({
      KeyId: externalKeyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: wrapMaterial(parameters.PublicKey!, material),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }),
  );
  ciphertexts.push({ ciphertext: await encrypt(externalKeyId, 'imported'), region: 'eu-west-2', plaintext: 'imported' });
  const pendingImportKeyId = await create({ Origin: 'EXTERNAL' });
  const pending = await kms.send(new GetParametersForImportCommand({ KeyId: pendingImportKeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));

  const multiRegionKeyId = await create({ MultiRegion: true });
  await kms.send(new ReplicateKeyCommand({ KeyId: multiRegionKeyId, ReplicaRegion: 'us-east-1' }));
  ciphertexts.push({ ciphertext: await encrypt(multiRegionKeyId, 'multi-Region'), region: 'us-east-1', plaintext: 'multi-Region' });

  const customKeyStoreId = (
    await kms.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: `store-${randomBytes(4).toString('hex')}`,
        CloudHsmClusterId: 'cluster-abcdefghijk',
        TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        KeyStorePassword: 'kmsuser-password',
      }),
    )
  ).CustomKeyStoreId!;
  await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: customKeyStoreId }));

  const other = clientFor('eu-west-2', OTHER_ACCOUNT_CREDENTIALS);
  const otherAccountKeyId = await create({ Description: 'other account' }, other);
  ciphertexts.push({ ciphertext: await encrypt(otherAccountKeyId, 'other account', undefined, other), region: 'other-account', plaintext: 'other account' });
  other.destroy();

  return {
    symmetricKeyId,
    secondKeyId,
    pendingDeletionKeyId,
    disabledKeyId,
    signingKeyId,
    macKeyId,
    externalKeyId,
    pendingImportKeyId,
    pendingImportToken: pending.ImportToken!,
    pendingImportPublicKey: pending.PublicKey!,
    multiRegionKeyId,
    customKeyStoreId,
    otherAccountKeyId,
    ciphertexts,
    signature,
    mac,
    grantIds,
  };
}

/** What a user would check after the restart, through the SDK. */
export async function checkScenario(clientFor: Clients, facts: ScenarioFacts): Promise<void> {
  const kms = clientFor();
  const describe = async (keyId: string, client = kms) => (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;

  for (const { ciphertext, context, region, plaintext } of facts.ciphertexts) {
    const client = region === 'other-account' ? clientFor('eu-west-2', OTHER_ACCOUNT_CREDENTIALS) : clientFor(region);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: context }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe(plaintext);
    client.destroy();
  }
  expect((await describe(facts.symmetricKeyId)).Description).toBe('first, described again');
  const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: facts.symmetricKeyId }))).Tags;
  expect(tags).toEqual([{ TagKey: 'env', TagValue: 'dev' }, { TagKey: 'team', TagValue: 'a' }]);
  const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: facts.symmetricKeyId }));
  expect([rotation.KeyRotationEnabled, rotation.RotationPeriodInDays]).toEqual([true, 90]);
  const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!.filter((alias) => alias.AliasName!.startsWith('alias/app') || alias.AliasName === 'alias/gone');
  expect(aliases.map((alias) => [alias.AliasName, alias.TargetKeyId])).toEqual([
    ['alias/app-1', facts.symmetricKeyId],
    ['alias/app-2', facts.symmetricKeyId],
  ]);
  expect((await describe(facts.pendingDeletionKeyId)).KeyState).toBe('PendingDeletion');
  expect((await describe(facts.disabledKeyId)).KeyState).toBe('Disabled');
  expect((await describe(facts.secondKeyId)).KeyState).toBe('Disabled');
  const verified = await kms.send(new VerifyCommand({ KeyId: facts.signingKeyId, Message: Buffer.from('signed'), Signature: facts.signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
  expect(verified.SignatureValid).toBe(true);
  const macValid = await kms.send(new VerifyMacCommand({ KeyId: facts.macKeyId, Message: Buffer.from('mac'), Mac: facts.mac, MacAlgorithm: 'HMAC_SHA_256' }));
  expect(macValid.MacValid).toBe(true);
  const grants = (await kms.send(new ListGrantsCommand({ KeyId: facts.symmetricKeyId }))).Grants!;
  expect(grants.map((grant) => grant.GrantId)).toEqual([facts.grantIds[0]]);
  // A grant made after the restart lists after the restored one.
  const newGrant = await kms.send(new CreateGrantCommand({ KeyId: facts.symmetricKeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/new', Operations: ['Decrypt'] }));
  const grantsAfter = (await kms.send(new ListGrantsCommand({ KeyId: facts.symmetricKeyId }))).Grants!;
  expect(grantsAfter.map((grant) => grant.GrantId)).toEqual([facts.grantIds[0], newGrant.GrantId]);

  // The import token issued before the restart still works.
  expect((await describe(facts.pendingImportKeyId)).KeyState).toBe('PendingImport');
  await kms.send(
    new ImportKeyMaterialCommand({
      KeyId: facts.pendingImportKeyId,
      ImportToken: facts.pendingImportToken,
      EncryptedKeyMaterial: wrapMaterial(facts.pendingImportPublicKey, randomBytes(32)),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }),
  );
  expect((await describe(facts.pendingImportKeyId)).KeyState).toBe('Enabled');

  // The replica still shares the primary's material: a rotation of the primary is the replica's current material.
  const east = clientFor('us-east-1');
  const replica = await describe(facts.multiRegionKeyId, east);
  expect(replica.MultiRegionConfiguration?.MultiRegionKeyType).toBe('REPLICA');
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: facts.multiRegionKeyId }));
  expect((await describe(facts.multiRegionKeyId, east)).CurrentKeyMaterialId).toBe((await describe(facts.multiRegionKeyId)).CurrentKeyMaterialId);
  // The rotation runs in the background (a minute on kmslite's clock) and is the whole set's: the replica shows it.
  const rotating = await east.send(new GetKeyRotationStatusCommand({ KeyId: facts.multiRegionKeyId }));
  expect(rotating.OnDemandRotationStartDate).toBeInstanceOf(Date);
  expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: facts.multiRegionKeyId }))).OnDemandRotationStartDate).toEqual(rotating.OnDemandRotationStartDate);
  east.destroy();

  const stores = (await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: facts.customKeyStoreId }))).CustomKeyStores!;
  expect(stores.map((store) => store.ConnectionState)).toEqual([expect.stringMatching(/^CONNECT(ING|ED)$/)]);
  const other = clientFor('eu-west-2', OTHER_ACCOUNT_CREDENTIALS);
  expect((await describe(facts.otherAccountKeyId, other)).Description).toBe('other account');
  other.destroy();
}

function wrapMaterial(publicKeyDer: Uint8Array, material: Buffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
}
