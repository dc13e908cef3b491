// kmslite's image for the length of a test file, through Testcontainers: started on a free host port, used once
// its health endpoint answers, removed at the end. `node --test` here; the same before/after hooks work in
// Jest (beforeAll/afterAll) and Vitest, or in a global set-up.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GenericContainer, Wait } from 'testcontainers';

// An image you built from kmslite's Dockerfile (`docker build -t kmslite .`); CI passes the one it has just built.
const IMAGE = process.env.KMSLITE_IMAGE ?? 'kmslite';

let container;
let kms;

before(async () => {
  container = await new GenericContainer(IMAGE)
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/_kmslite/health', 8080).forStatusCode(200))
    .withStartupTimeout(60_000)
    .start();
  kms = new KMSClient({
    endpoint: `http://${container.getHost()}:${container.getMappedPort(8080)}`,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

after(async () => {
  kms?.destroy();
  await container?.stop();
});

test('encrypts and decrypts with the seeded alias', async () => {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/kmslite-default', Plaintext: Buffer.from('hello from testcontainers') }));
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(Buffer.from(Plaintext).toString(), 'hello from testcontainers');
});

test('creates a key of its own', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'made by the testcontainers recipe' }));
  assert.match(KeyMetadata.Arn, /^arn:aws:kms:eu-west-2:111122223333:key\//);
});
