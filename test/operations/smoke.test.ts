import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { kmsClient, withKmslite } from '../helpers/fixture.js';

test('create, encrypt, decrypt through the SDK', async () => {
  await withKmslite({}, async (running) => {
    const kms = kmsClient(running);
    const created = await kms.send(new CreateKeyCommand({ Description: 'smoke' }));
    const keyId = created.KeyMetadata!.KeyId!;
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata!.Description).toBe('smoke');
    expect(described.KeyMetadata!.CreationDate).toBeInstanceOf(Date);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('hello'), EncryptionContext: { a: 'b' } }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('hello');
    expect(decrypted.KeyId).toBe(created.KeyMetadata!.Arn);
  });
});
