/**
 * A real consumer: the AWS Encryption SDK for JavaScript encrypts and decrypts through a KMS keyring pointed
 * at kmslite. It calls GenerateDataKey (NumberOfBytes), Encrypt for extra wrapping keys, and Decrypt, and it
 * insists that Decrypt's KeyId is byte-identical to the key ARN that GenerateDataKey returned.
 */
import { KMS } from '@aws-sdk/client-kms';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, KmsKeyringNode, getClient } from '@aws-crypto/client-node';
import { kmsClient, TEST_CREDENTIALS, useKmslite, running } from '../helpers/fixture.js';

useKmslite();

test('envelope encryption round trip with a generator key (by alias) and a second wrapping key', async () => {
  const kms = kmsClient(running);
  const generator = (await kms.send(new CreateKeyCommand({ Description: 'esdk generator' }))).KeyMetadata!;
  const extra = (await kms.send(new CreateKeyCommand({ Description: 'esdk extra' }))).KeyMetadata!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/esdk', TargetKeyId: generator.KeyId! }));

  const clientProvider = getClient(KMS, { endpoint: running.endpoint, credentials: TEST_CREDENTIALS });
  const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const aliasArn = generator.Arn!.replace(/key\/.*$/, 'alias/esdk');
  const keyring = new KmsKeyringNode({ clientProvider, generatorKeyId: aliasArn, keyIds: [extra.Arn!] });

  const plaintext = Buffer.from('the quick brown fox jumps over the lazy dog'.repeat(50));
  const context = { tenant: 'acme', purpose: 'test' };
  const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
  expect(result.length).toBeGreaterThan(plaintext.length);

  const decrypted = await decrypt(keyring, result);
  expect(Buffer.from(decrypted.plaintext).equals(plaintext)).toBe(true);
  expect(decrypted.messageHeader.encryptionContext).toMatchObject(context);
  const providerInfos = decrypted.messageHeader.encryptedDataKeys.map((key) => key.providerInfo);
  expect(providerInfos).toEqual([generator.Arn, extra.Arn]);

  // Only the second key can also decrypt alone (the Encrypt path of the keyring).
  const extraOnly = new KmsKeyringNode({ clientProvider, keyIds: [extra.Arn!] });
  const viaExtra = await decrypt(extraOnly, result);
  expect(Buffer.from(viaExtra.plaintext).equals(plaintext)).toBe(true);
});
