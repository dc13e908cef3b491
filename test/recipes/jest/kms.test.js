const { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } = require('@aws-sdk/client-kms');

// No endpoint or credentials here: they come from the variables kmslite.setup.js set.
const kms = new KMSClient({});
afterAll(() => kms.destroy());

test('encrypts and decrypts with the seeded alias', async () => {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('hello from jest') }));
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
  expect(Buffer.from(Plaintext).toString()).toBe('hello from jest');
});

test('creates a key of its own', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'made by the jest recipe' }));
  expect(KeyMetadata.Arn).toMatch(/^arn:aws:kms:eu-west-2:111122223333:key\//);
});
