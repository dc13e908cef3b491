#!/usr/bin/env node
/**
 * KMS calls against a running kmslite container, through the official SDK (@aws-sdk/client-kms from the
 * repository's node_modules). Used by scripts/ci-docker-smoke.sh, one check per invocation:
 *
 *   node scripts/docker-smoke-client.mjs <endpoint> <check>
 *
 * checks: list-aliases | encrypt-decrypt | create-describe (the image's default seed: alias/kmslite-default
 * in account 111122223333, eu-west-2) and mounted-seed (a container started with the seed that
 * scripts/ci-docker-smoke.sh mounts at /init/seed.yaml, KMS_ACCOUNT_ID=444455556666, KMS_REGION=us-west-2), and
 * persisted-create / persisted-read (a container with a volume at /data and KMS_DATA_PATH=/data: a key and alias
 * made by the first must be there for the second after the container was killed and started again), and
 * single-region (a container with KMSLITE_SINGLE_REGION=true: a client signing for us-east-1 reads the key
 * persisted-create made through eu-west-2, and its new keys are made in eu-west-2, as local-kms does).
 * Exit 0 = pass, with one line of detail on stdout; the reason of a failure goes to stderr.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
} from '@aws-sdk/client-kms';

const [endpoint, check] = process.argv.slice(2);
const MOUNTED = { region: 'us-west-2', accountId: '444455556666', alias: 'alias/ci-mounted-seed' };
const REGION = check === 'mounted-seed' ? MOUNTED.region : 'eu-west-2';
const ACCOUNT_ID = check === 'mounted-seed' ? MOUNTED.accountId : '111122223333';
const DEFAULT_ALIAS = 'alias/kmslite-default';
const PERSISTED = { alias: 'alias/ci-persisted', description: 'persisted by the CI image smoke' };

if (!endpoint || !check) {
  console.error('usage: docker-smoke-client.mjs <endpoint> <list-aliases|encrypt-decrypt|create-describe|mounted-seed|persisted-create|persisted-read|single-region>');
  process.exit(2);
}
const url = new URL(endpoint);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error(`refusing non-loopback endpoint ${endpoint}`);
  process.exit(2);
}

const kms = new KMSClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
  requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 },
});

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function listAliases() {
  const aliases = [];
  let marker;
  for (let page = 0; page < 20; page++) {
    const out = await kms.send(new ListAliasesCommand({ Marker: marker }));
    aliases.push(...(out.Aliases ?? []));
    if (!out.Truncated) break;
    marker = out.NextMarker;
  }
  return aliases;
}

async function encryptDecrypt(keyId) {
  const plaintext = Buffer.from(`kmslite docker smoke ${new Date().toISOString()}`);
  const context = { purpose: 'docker-smoke' };
  const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
  assert(encrypted.CiphertextBlob && encrypted.CiphertextBlob.length > plaintext.length, 'Encrypt returned no ciphertext');
  assert(
    typeof encrypted.KeyId === 'string' && encrypted.KeyId.startsWith(`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/`),
    `Encrypt KeyId is not a key ARN of ${ACCOUNT_ID}/${REGION}: ${encrypted.KeyId}`,
  );
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
  assert(Buffer.from(decrypted.Plaintext ?? []).equals(plaintext), 'Decrypt did not give back the plaintext');
  assert(decrypted.KeyId === encrypted.KeyId, `Decrypt KeyId ${decrypted.KeyId} != Encrypt KeyId ${encrypted.KeyId}`);
  return encrypted.KeyId;
}

const checks = {
  async 'list-aliases'() {
    const names = (await listAliases()).map((alias) => alias.AliasName);
    assert(names.includes(DEFAULT_ALIAS), `ListAliases has no ${DEFAULT_ALIAS}: ${JSON.stringify(names)}`);
    return `${names.length} aliases, ${DEFAULT_ALIAS} among them`;
  },

  async 'encrypt-decrypt'() {
    return `round trip through ${await encryptDecrypt(DEFAULT_ALIAS)}`;
  },

  async 'mounted-seed'() {
    const aliases = await listAliases();
    const names = aliases.map((alias) => alias.AliasName);
    const mounted = aliases.find((alias) => alias.AliasName === MOUNTED.alias);
    assert(mounted, `ListAliases has no ${MOUNTED.alias}: ${JSON.stringify(names)}`);
    assert(
      mounted.AliasArn === `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${MOUNTED.alias}`,
      `unexpected AliasArn ${mounted.AliasArn} (KMS_ACCOUNT_ID/KMS_REGION not applied?)`,
    );
    assert(!names.includes(DEFAULT_ALIAS), `${DEFAULT_ALIAS} is there too: the image's seed was used, not the mounted one`);
    return `${MOUNTED.alias} in ${ACCOUNT_ID}/${REGION}, round trip through ${await encryptDecrypt(MOUNTED.alias)}`;
  },

  async 'persisted-create'() {
    const created = await kms.send(new CreateKeyCommand({ Description: PERSISTED.description }));
    await kms.send(new CreateAliasCommand({ AliasName: PERSISTED.alias, TargetKeyId: created.KeyMetadata.KeyId }));
    return `created ${created.KeyMetadata.KeyId} as ${PERSISTED.alias}`;
  },

  async 'persisted-read'() {
    const described = await kms.send(new DescribeKeyCommand({ KeyId: PERSISTED.alias }));
    assert(described.KeyMetadata?.Description === PERSISTED.description, `unexpected Description ${described.KeyMetadata?.Description}`);
    return `${PERSISTED.alias} → ${described.KeyMetadata.KeyId} survived the SIGKILL and restart, round trip through ${await encryptDecrypt(PERSISTED.alias)}`;
  },

  async 'single-region'() {
    const east = new KMSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 },
    });
    const described = await east.send(new DescribeKeyCommand({ KeyId: PERSISTED.alias }));
    assert(described.KeyMetadata?.Arn?.startsWith('arn:aws:kms:eu-west-2:'), `a us-east-1 client did not get the eu-west-2 key: ${described.KeyMetadata?.Arn}`);
    const created = await east.send(new CreateKeyCommand({}));
    assert(created.KeyMetadata?.Arn?.startsWith('arn:aws:kms:eu-west-2:'), `a key made by a us-east-1 client is not in eu-west-2: ${created.KeyMetadata?.Arn}`);
    return `a us-east-1 client reads ${PERSISTED.alias} and creates ${created.KeyMetadata.Arn}`;
  },

  async 'create-describe'() {
    const created = await kms.send(new CreateKeyCommand({ Description: 'docker smoke key' }));
    const keyId = created.KeyMetadata?.KeyId;
    assert(keyId, 'CreateKey returned no KeyId');
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    const metadata = described.KeyMetadata ?? {};
    assert(metadata.KeyId === keyId, `DescribeKey KeyId ${metadata.KeyId} != ${keyId}`);
    assert(metadata.Arn === `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${keyId}`, `unexpected Arn ${metadata.Arn}`);
    assert(metadata.Description === 'docker smoke key', `unexpected Description ${metadata.Description}`);
    assert(metadata.KeyState === 'Enabled' && metadata.Enabled === true, `key not enabled: ${metadata.KeyState}`);
    assert(metadata.KeySpec === 'SYMMETRIC_DEFAULT' && metadata.KeyUsage === 'ENCRYPT_DECRYPT', 'unexpected KeySpec/KeyUsage');
    return `created and described ${keyId}`;
  },
};

const run = checks[check];
if (!run) {
  console.error(`unknown check ${check}`);
  process.exit(2);
}
try {
  const detail = await run();
  console.log(`${check}: ${detail}`);
  process.exit(0);
} catch (error) {
  console.error(`${check}: ${error?.name ?? 'Error'}: ${error?.message ?? error}`);
  process.exit(1);
}
