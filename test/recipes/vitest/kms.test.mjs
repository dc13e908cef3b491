import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, expect, inject, test } from 'vitest';

const kms = new KMSClient({
  endpoint: inject('kmsEndpoint'),
  region: 'eu-west-2',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
afterAll(() => kms.destroy());

test('encrypts and decrypts with the seeded alias', async () => {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('hello from vitest') }));
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
  expect(Buffer.from(Plaintext).toString()).toBe('hello from vitest');
});

test('creates a key of its own', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'made by the vitest recipe' }));
  expect(KeyMetadata.Arn).toMatch(/^arn:aws:kms:eu-west-2:111122223333:key\//);
});
