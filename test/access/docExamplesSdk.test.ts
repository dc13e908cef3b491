/**
 * The AWS KMS Developer Guide policy examples (test/authz/docExampleCases.ts, the same table the evaluator suite
 * runs) end to end: kmslite in `enforce`, each example's callers declared as principals with credentials of their
 * own, each key created by its account's root with the tags, aliases, replicas, ciphertexts, MACs or import token
 * the attempt needs, then given the example's key policy (PutKeyPolicy, BypassPolicyLockoutSafetyCheck), then the
 * example's action through its real @aws-sdk/client-kms command: the
 * allowed caller succeeds, the denied one gets AccessDeniedException with AWS's exact text naming the real key ARN.
 * Every request condition key comes from the request itself (EncryptionContext, EncryptionAlgorithm, KeyPairSpec,
 * CreateGrant's members, an alias as KeyId, ...) or from the key (tags, aliases, origin, spec,
 * multi-Region type); only keys no direct call can carry (kms:ViaService, kms:GrantIsForAWSResource) come from the
 * caller's declared Context, as the table says. No case is skipped. Two adaptations: an identity policy naming the
 * table's placeholder key ARN is re-declared (PUT /_kmslite/principals/<key>) with the real key id, and the 2018
 * kms:ValidTo of the documented example is made future by setting kmslite's clock back for that attempt.
 * Each attempt gets its own key; attempts that create aliases get a Region of their own, so the documented alias
 * names never collide. Over 300 lines on purpose: one table-driven suite and a request builder for each action the
 * table uses, kept together so a new example needs one place to look.
 */
import {
  ConnectCustomKeyStoreCommand,
  CreateAliasCommand,
  CreateCustomKeyStoreCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdatePrimaryRegionCommand,
  VerifyMacCommand,
  type CreateKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createHash, randomBytes } from 'node:crypto';
import type { PrincipalDeclaration, RunningKmslite } from '../../src/index.js';
import { docCases, type Attempt, type Caller, type DocCase } from '../authz/docExampleCases.js';
import { KEY_ID } from '../authz/helpers.js';
import { kmsClient, startTestKmslite } from '../helpers/kmslite.js';
import { wrapKeyMaterial } from '../helpers/wrapKeyMaterial.js';
import { admin, denied, refusal, type Reason } from './helpers.js';

const ACCOUNT = '111122223333';
const DEFAULT_REGION = 'us-west-2';
const REASONS: Record<DocCase['reason'], Reason> = {
  'deny-resource': 'explicit-resource',
  'deny-identity': 'explicit-identity',
  'no-resource': 'no-resource',
  'no-identity': 'no-identity',
};
/** Regions handed out one per attempt that creates aliases (alias names are unique per account and Region). */
const ALIAS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'ap-northeast-1',
  'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-2', 'sa-east-1', 'af-south-1', 'me-south-1', 'ap-east-1',
  'eu-central-2', 'ap-south-2', 'eu-south-2', 'me-central-1',
];

// Every distinct caller of the table gets an access key of its own; each account's root one too.
const declarations = new Map<string, PrincipalDeclaration>();
function declarationOf(caller: Caller): PrincipalDeclaration {
  const id = JSON.stringify(caller);
  let declaration = declarations.get(id);
  if (!declaration) {
    const n = String(declarations.size).padStart(4, '0');
    declaration = { AccessKeyId: `AKIADOCEXAMPLE${n}`, SecretAccessKey: `doc-example-secret-${n}`, ...caller };
    declarations.set(id, declaration);
  }
  return declaration;
}
const rootOf = (account: string) => declarationOf({ Arn: `arn:aws:iam::${account}:root` });
for (const c of docCases) {
  for (const a of [c.allow, c.deny]) {
    declarationOf(a.caller);
    rootOf(a.account ?? ACCOUNT);
  }
}

let running: RunningKmslite;
const clients = new Map<string, KMSClient>();
function clientOf(declaration: PrincipalDeclaration, region: string): KMSClient {
  const id = `${declaration.AccessKeyId} ${region}`;
  let client = clients.get(id);
  if (!client) {
    client = kmsClient(running, region, { accessKeyId: declaration.AccessKeyId, secretAccessKey: declaration.SecretAccessKey! });
    clients.set(id, client);
  }
  return client;
}

beforeAll(async () => {
  running = await startTestKmslite({ accessControl: 'enforce', principals: [...declarations.values()] });
});
afterAll(async () => {
  for (const client of clients.values()) client.destroy();
  await running.stop();
});

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What the key must be for the attempt's condition keys (spec, usage, origin, multi-Region). */
function keyInput(a: Attempt): CreateKeyCommandInput {
  const keys = a.keys ?? {};
  const input: CreateKeyCommandInput = {};
  const action = a.action.slice('kms:'.length);
  if (action === 'GenerateMac' || action === 'VerifyMac') {
    input.KeySpec = `HMAC_${(str(keys['kms:MacAlgorithm']) ?? 'HMAC_SHA_256').slice('HMAC_SHA_'.length)}` as CreateKeyCommandInput['KeySpec'];
    input.KeyUsage = 'GENERATE_VERIFY_MAC';
  } else if (action === 'Sign' || keys['kms:KeyUsage'] === 'SIGN_VERIFY') {
    input.KeySpec = 'RSA_2048';
    input.KeyUsage = 'SIGN_VERIFY';
  } else if (action === 'GetPublicKey' || str(keys['kms:EncryptionAlgorithm'])?.startsWith('RSAES')) {
    input.KeySpec = 'RSA_2048';
    input.KeyUsage = 'ENCRYPT_DECRYPT';
  }
  if (action === 'ImportKeyMaterial' || action === 'GetParametersForImport') input.Origin = 'EXTERNAL';
  if (action === 'UpdatePrimaryRegion' || keys['kms:MultiRegionKeyType'] === 'PRIMARY') input.MultiRegion = true;
  if (a.tags) input.Tags = Object.entries(a.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  return input;
}

/** A connected CloudHSM key store of the account and Region (kms:KeyOrigin AWS_CLOUDHSM). */
async function cloudHsmStore(root: KMSClient): Promise<string> {
  const id = randomBytes(16).toString('hex');
  const { CustomKeyStoreId } = await root.send(
    new CreateCustomKeyStoreCommand({
      CustomKeyStoreName: `doc-examples-${id}`,
      CloudHsmClusterId: `cluster-${Array.from(randomBytes(11), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('')}`,
      TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      KeyStorePassword: 'kmsuser-password',
    }),
  );
  await root.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId }));
  // kmslite shows CONNECTING once, then CONNECTED.
  for (let look = 0; look < 3; look++) {
    const { CustomKeyStores } = await root.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId }));
    if (CustomKeyStores![0]!.ConnectionState === 'CONNECTED') return CustomKeyStoreId!;
  }
  throw new Error('the CloudHSM key store did not connect');
}

interface Prepared {
  /** The key the denial names (`*` without a key resource). */
  resource: string;
  send: (client: KMSClient) => Promise<unknown>;
  region: string;
}

/** Creates the attempt's key as its account's root, prepares what the action needs, then sets the example's policy. */
async function prepare(c: DocCase, a: Attempt, aliasRegions: string[]): Promise<Prepared> {
  const action = a.action.slice('kms:'.length);
  const keys = a.keys ?? {};
  const account = a.account ?? ACCOUNT;
  const requestAlias = str(keys['kms:RequestAlias']);
  const aliases = [...new Set([...(a.aliases ?? []), ...(requestAlias ? [requestAlias] : [])])];
  const region = aliases.length > 0 ? aliasRegions.shift()! : (a.region ?? DEFAULT_REGION);
  const root = clientOf(rootOf(account), region);
  const ec = a.ec;

  if (a.none) return { resource: '*', region, send: (client) => sendKeyless(client, action, keys) };

  const input = keyInput(a);
  if (keys['kms:KeyOrigin'] === 'AWS_CLOUDHSM') Object.assign(input, { Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: await cloudHsmStore(root) });
  let keyArn: string;
  if (keys['kms:MultiRegionKeyType'] === 'REPLICA') {
    // The attempt's key is a replica in `region` of a primary elsewhere.
    const primaryRegion = region === 'us-east-2' ? 'us-east-1' : 'us-east-2';
    const primary = await clientOf(rootOf(account), primaryRegion).send(new CreateKeyCommand({ MultiRegion: true }));
    const replica = await clientOf(rootOf(account), primaryRegion).send(new ReplicateKeyCommand({ KeyId: primary.KeyMetadata!.KeyId, ReplicaRegion: region }));
    keyArn = replica.ReplicaKeyMetadata!.Arn!;
  } else {
    keyArn = (await root.send(new CreateKeyCommand(input))).KeyMetadata!.Arn!;
  }
  for (const alias of aliases) await root.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  await nameTheKey(a.caller, keyArn);
  const keyId = requestAlias ?? keyArn;
  const algorithm = str(keys['kms:EncryptionAlgorithm']) as 'SYMMETRIC_DEFAULT' | undefined;

  let send: Prepared['send'];
  switch (action) {
    case 'Encrypt':
      send = (client) => client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('doc example'), EncryptionContext: ec, EncryptionAlgorithm: algorithm }));
      break;
    case 'Decrypt': {
      const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('doc example'), EncryptionContext: ec, EncryptionAlgorithm: algorithm }));
      send = (client) => client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob, EncryptionContext: ec, EncryptionAlgorithm: algorithm }));
      break;
    }
    case 'ReEncryptFrom':
    case 'ReEncryptTo': {
      const { CiphertextBlob } = await root.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('doc example'), EncryptionContext: ec }));
      // kms:ReEncryptOnSameKey false: the destination is another key of the account (default key policy).
      const destination = keys['kms:ReEncryptOnSameKey'] === 'false' ? (await root.send(new CreateKeyCommand({}))).KeyMetadata!.Arn! : keyArn;
      send = (client) => client.send(new ReEncryptCommand({ CiphertextBlob, SourceKeyId: keyId, DestinationKeyId: destination, SourceEncryptionContext: ec, DestinationEncryptionContext: ec }));
      break;
    }
    case 'GenerateDataKey':
      send = (client) => client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ec }));
      break;
    case 'GenerateDataKeyWithoutPlaintext':
      send = (client) => client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ec }));
      break;
    case 'GenerateDataKeyPair':
      send = (client) => client.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: (str(keys['kms:DataKeyPairSpec']) ?? 'RSA_2048') as 'RSA_2048', EncryptionContext: ec }));
      break;
    case 'GenerateMac': {
      const MacAlgorithm = (str(keys['kms:MacAlgorithm']) ?? 'HMAC_SHA_256') as 'HMAC_SHA_256';
      send = (client) => client.send(new GenerateMacCommand({ KeyId: keyId, Message: Buffer.from('doc example'), MacAlgorithm }));
      break;
    }
    case 'VerifyMac': {
      const MacAlgorithm = (str(keys['kms:MacAlgorithm']) ?? 'HMAC_SHA_256') as 'HMAC_SHA_256';
      const { Mac } = await root.send(new GenerateMacCommand({ KeyId: keyArn, Message: Buffer.from('doc example'), MacAlgorithm }));
      send = (client) => client.send(new VerifyMacCommand({ KeyId: keyId, Message: Buffer.from('doc example'), MacAlgorithm, Mac }));
      break;
    }
    case 'Sign': {
      const digest = keys['kms:MessageType'] === 'DIGEST';
      const Message = digest ? createHash('sha256').update('doc example').digest() : Buffer.from('doc example');
      const SigningAlgorithm = (str(keys['kms:SigningAlgorithm']) ?? 'RSASSA_PKCS1_V1_5_SHA_256') as 'RSASSA_PKCS1_V1_5_SHA_256';
      send = (client) => client.send(new SignCommand({ KeyId: keyId, Message, MessageType: digest ? 'DIGEST' : 'RAW', SigningAlgorithm }));
      break;
    }
    case 'GetPublicKey':
      send = (client) => client.send(new GetPublicKeyCommand({ KeyId: keyId }));
      break;
    case 'DescribeKey':
      send = (client) => client.send(new DescribeKeyCommand({ KeyId: keyId }));
      break;
    case 'ListGrants':
      send = (client) => client.send(new ListGrantsCommand({ KeyId: keyId }));
      break;
    case 'CreateGrant': {
      const constraintType = str(keys['kms:GrantConstraintType']);
      send = (client) =>
        client.send(
          new CreateGrantCommand({
            KeyId: keyId,
            GranteePrincipal: str(keys['kms:GranteePrincipal']) ?? `arn:aws:iam::${ACCOUNT}:user/grantee`,
            RetiringPrincipal: str(keys['kms:RetiringPrincipal']),
            Operations: (keys['kms:GrantOperations'] as ['Decrypt'] | undefined) ?? ['Decrypt'],
            Constraints: constraintType ? { [constraintType]: { Department: 'IT' } } : undefined,
          }),
        );
      break;
    }
    case 'PutKeyPolicy': {
      const bypass = keys['kms:BypassPolicyLockoutSafetyCheck'] === 'true' ? { BypassPolicyLockoutSafetyCheck: true } : {};
      send = (client) => client.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: JSON.stringify(c.policy), ...bypass }));
      break;
    }
    case 'GetParametersForImport': {
      const WrappingAlgorithm = (str(keys['kms:WrappingAlgorithm']) ?? 'RSAES_OAEP_SHA_256') as 'RSAES_OAEP_SHA_256';
      const WrappingKeySpec = (str(keys['kms:WrappingKeySpec']) ?? 'RSA_2048') as 'RSA_2048';
      send = (client) => client.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm, WrappingKeySpec }));
      break;
    }
    case 'ImportKeyMaterial': {
      const parameters = await root.send(new GetParametersForImportCommand({ KeyId: keyArn, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
      const EncryptedKeyMaterial = wrapKeyMaterial('RSAES_OAEP_SHA_256', parameters.PublicKey!, randomBytes(32));
      const model = str(keys['kms:ExpirationModel']) as 'KEY_MATERIAL_EXPIRES' | undefined;
      const validTo = str(keys['kms:ValidTo']);
      send = (client) =>
        client.send(
          new ImportKeyMaterialCommand({
            KeyId: keyId,
            ImportToken: parameters.ImportToken,
            EncryptedKeyMaterial,
            ExpirationModel: model,
            ValidTo: validTo ? new Date(Number(validTo) * 1000) : undefined,
          }),
        );
      break;
    }
    case 'UpdatePrimaryRegion': {
      const PrimaryRegion = str(keys['kms:PrimaryRegion'])!;
      // UpdatePrimaryRegion is authorized on the primary and on the replica (multi-region-keys-auth.html): the replica
      // gets the example's key policy too.
      await root.send(new ReplicateKeyCommand({ KeyId: keyArn, ReplicaRegion: PrimaryRegion, Policy: JSON.stringify(c.policy), BypassPolicyLockoutSafetyCheck: true }));
      send = (client) => client.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion }));
      break;
    }
    case 'ScheduleKeyDeletion':
      send = (client) => client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      break;
    case 'EnableKeyRotation':
      send = (client) => client.send(new EnableKeyRotationCommand({ KeyId: keyId }));
      break;
    case 'DisableKey':
      send = (client) => client.send(new DisableKeyCommand({ KeyId: keyId }));
      break;
    case 'EnableKey':
      send = (client) => client.send(new EnableKeyCommand({ KeyId: keyId }));
      break;
    default:
      throw new Error(`no SDK request for ${a.action}: add one`);
  }
  if (c.policy) await root.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: JSON.stringify(c.policy), BypassPolicyLockoutSafetyCheck: true }));
  return { resource: keyArn, region, send };
}

/**
 * Identity policies that name one key by its ARN name the table's placeholder key id: the caller's declaration is
 * replaced through the operator API (PUT /_kmslite/principals/<accessKeyId>) with the id of the key just created.
 */
async function nameTheKey(caller: Caller, keyArn: string): Promise<void> {
  const declaration = declarationOf(caller);
  const text = JSON.stringify(declaration);
  if (!text.includes(KEY_ID)) return;
  const { status, json } = await admin(running, 'PUT', `/_kmslite/principals/${declaration.AccessKeyId}`, JSON.parse(text.split(KEY_ID).join(keyArn.split('/').pop()!)));
  expect({ status, json }).toMatchObject({ status: 200 });
}

/** Actions without a key resource. */
function sendKeyless(client: KMSClient, action: string, keys: Attempt['keys'] & object): Promise<unknown> {
  switch (action) {
    case 'CreateKey': {
      const keySpec = str(keys['kms:KeySpec']) as CreateKeyCommandInput['KeySpec'];
      const bypass = str(keys['kms:BypassPolicyLockoutSafetyCheck']);
      return client.send(new CreateKeyCommand({
        KeySpec: keySpec,
        KeyUsage: keySpec?.startsWith('RSA') ? 'ENCRYPT_DECRYPT' : undefined,
        MultiRegion: keys['kms:MultiRegion'] === undefined ? undefined : keys['kms:MultiRegion'] === 'true',
        BypassPolicyLockoutSafetyCheck: bypass === undefined ? undefined : bypass === 'true',
      }));
    }
    case 'ListAliases':
      return client.send(new ListAliasesCommand({}));
    default:
      return Promise.reject(new Error(`no SDK request for kms:${action}: add one`));
  }
}

describe('AWS KMS Developer Guide policy examples through the SDK (access control enforce)', () => {
  // Handed out in test order, one per alias-using attempt.
  const aliasRegions = [...ALIAS_REGIONS];

  describe.each(docCases)('$name', (c) => {
    test(`allowed caller succeeds (${c.url})`, async () => {
      // The documented kms:ValidTo values are in 2018, and ValidTo must be in the future: kmslite's clock goes back.
      const validTo = c.allow.keys?.['kms:ValidTo'];
      if (typeof validTo === 'string') await admin(running, 'POST', '/_kmslite/clock/set', { epochSeconds: Number(validTo) - 86_400 });
      try {
        const prepared = await prepare(c, c.allow, aliasRegions);
        await prepared.send(clientOf(declarationOf(c.allow.caller), prepared.region));
      } finally {
        if (typeof validTo === 'string') await admin(running, 'POST', '/_kmslite/clock/reset');
      }
    });

    test('denied caller gets AccessDeniedException with the exact text', async () => {
      const prepared = await prepare(c, c.deny, aliasRegions);
      const caller = declarationOf(c.deny.caller);
      expect(await refusal(() => prepared.send(clientOf(caller, prepared.region)))).toEqual(denied(caller.Arn, c.deny.action, prepared.resource, REASONS[c.reason]));
    });
  });
});
