import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { errorOf, kmsClient, withKmslite, logCapture } from '../helpers/fixture.js';

test('one structured line per request, with operation, account, Region, key, status and duration; never secrets', async () => {
  const { lines, logStream } = logCapture();
  await withKmslite({ logLevel: 'info', logStream }, async (running) => {
    const kms = kmsClient(running);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const plaintext = Buffer.from('TOP-SECRET-PLAINTEXT-VALUE');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: plaintext }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId!, KeySpec: 'AES_256' }));
    await errorOf(() => kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: plaintext })));

    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
    expect(requests.map((entry) => entry.operation)).toEqual(['CreateKey', 'Encrypt', 'Decrypt', 'GenerateDataKey', 'Encrypt']);
    const encryptLine = requests[1];
    expect(encryptLine).toMatchObject({ accountId: '111122223333', region: 'eu-west-2', keyId: key.KeyId, status: 200 });
    expect(typeof encryptLine.durationMs).toBe('number');
    expect(encryptLine.requestId).toBe(encrypted.$metadata.requestId);
    expect(requests[4]).toMatchObject({ status: 400, error: 'NotFoundException' });

    const everything = lines.join('\n');
    for (const secret of [
      plaintext.toString(),
      plaintext.toString('base64'),
      Buffer.from(encrypted.CiphertextBlob!).toString('base64'),
      Buffer.from(decrypted.Plaintext!).toString('base64'),
      Buffer.from(dataKey.Plaintext!).toString('base64'),
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/Signature=|authorization/i);
  });
});

test('a 500 answer without a fault writes its request line at info, and nothing at warn', async () => {
  const { KmsError } = await import('../../src/protocol/errors.js');
  for (const logLevel of ['info', 'warn'] as const) {
    const { lines, logStream } = logCapture();
    await withKmslite({ logLevel, logStream }, async (running) => {
      // An operation that answers KMSInternalException itself (as a failed write to the data directory does).
      const pipeline = (running.kmslite as unknown as { pipeline: { operations: Record<string, unknown> } }).pipeline;
      pipeline.operations = { ...pipeline.operations, DescribeKey: () => { throw new KmsError('KMSInternalException', 'An internal error occurred.'); } };
      const error = await errorOf(() => kmsClient(running).send(new DescribeKeyCommand({ KeyId: 'alias/any' })));
      expect(error.name).toBe('KMSInternalException');
      const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
      if (logLevel === 'info') expect(requests).toEqual([expect.objectContaining({ operation: 'DescribeKey', status: 500, error: 'KMSInternalException', level: 30 })]);
      else expect(requests).toEqual([]);
    });
  }
});
