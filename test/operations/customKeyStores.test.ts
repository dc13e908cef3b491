/**
 * Custom key stores (emulated: no CloudHSM cluster, no XKS proxy), through the SDK: CreateCustomKeyStore,
 * DescribeCustomKeyStores, UpdateCustomKeyStore, DeleteCustomKeyStore, ConnectCustomKeyStore,
 * DisconnectCustomKeyStore, CreateKey in a store, cryptography and the Unavailable key state, GenerateRandom
 * with CustomKeyStoreId. Sources: API reference pages of these operations; developer guide "Custom key
 * stores", "External key stores", "Key states" (Unavailable → `<arn> is unavailable.`). kmslite's
 * conventions (CONNECTING seen once, `.invalid` / `failed` unreachable) are in src/kms/customKeyStores.ts.
 */
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisconnectCustomKeyStoreCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateRandomCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateCustomKeyStoreCommand,
  type CreateCustomKeyStoreCommandInput,
} from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { errorOf, rawRequest, useKmslite, expectRejected, keyArnOf, kms, running } from '../helpers/fixture.js';
import { DAY_MS } from '../../src/util/clock.js';

useKmslite();

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
/** A cluster id matching `cluster-[2-7a-zA-Z]{11,16}`. */
const clusterId = (tag = '') =>
  `cluster-${tag}${Array.from(randomBytes(16 - tag.length), (byte) => 'abcdefghijklmnopqrstuvwxyz'[byte % 26]).join('')}`;

const CREDENTIAL = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) };

function cloudHsmInput(overrides: Partial<CreateCustomKeyStoreCommandInput> = {}): CreateCustomKeyStoreCommandInput {
  return {
    CustomKeyStoreName: `hsm-${unique()}`,
    CloudHsmClusterId: clusterId(),
    TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    KeyStorePassword: 'kmsuser-password',
    ...overrides,
  };
}

function xksInput(overrides: Partial<CreateCustomKeyStoreCommandInput> = {}): CreateCustomKeyStoreCommandInput {
  return {
    CustomKeyStoreName: `xks-${unique()}`,
    CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyUriEndpoint: `https://xks-${unique()}.example.com`,
    XksProxyUriPath: '/example/kms/xks/v1',
    XksProxyAuthenticationCredential: CREDENTIAL,
    XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    ...overrides,
  };
}

async function createStore(input: CreateCustomKeyStoreCommandInput): Promise<string> {
  return (await kms.send(new CreateCustomKeyStoreCommand(input))).CustomKeyStoreId!;
}

async function describeStore(id: string) {
  return (await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id }))).CustomKeyStores![0]!;
}

/** Connect, then read until CONNECTED (kmslite: CONNECTING is seen once). */
async function connect(id: string) {
  await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  expect((await describeStore(id)).ConnectionState).toBe('CONNECTING');
  expect((await describeStore(id)).ConnectionState).toBe('CONNECTED');
}

async function connectedStore(input: CreateCustomKeyStoreCommandInput): Promise<string> {
  const id = await createStore(input);
  await connect(id);
  return id;
}

async function hsmKey(storeId: string) {
  return (await kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: storeId }))).KeyMetadata!;
}

async function describeKey(keyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

describe('CreateCustomKeyStore', () => {
  describe('validation', () => {
    test('AWS_CLOUDHSM (the default type) requires its cluster, trust anchor and password', async () => {
      for (const member of ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'] as const) {
        const input = cloudHsmInput();
        delete input[member];
        await expectRejected(
          () => kms.send(new CreateCustomKeyStoreCommand(input)),
          'ValidationException',
          `${member} is required for custom key stores with CustomKeyStoreType AWS_CLOUDHSM.`,
        );
      }
    });

    test('EXTERNAL_KEY_STORE requires endpoint, path, credential and connectivity', async () => {
      for (const member of ['XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity'] as const) {
        const input = xksInput();
        delete input[member];
        await expectRejected(
          () => kms.send(new CreateCustomKeyStoreCommand(input)),
          'ValidationException',
          `${member} is required for custom key stores with CustomKeyStoreType EXTERNAL_KEY_STORE.`,
        );
      }
    });

    test("members of the other type are refused", async () => {
      await expectRejected(
        () => kms.send(new CreateCustomKeyStoreCommand(cloudHsmInput({ XksProxyUriPath: '/kms/xks/v1' }))),
        'ValidationException',
        'XksProxyUriPath is not valid for custom key stores with CustomKeyStoreType AWS_CLOUDHSM.',
      );
      await expectRejected(
        () => kms.send(new CreateCustomKeyStoreCommand(xksInput({ KeyStorePassword: 'password1' }))),
        'ValidationException',
        'KeyStorePassword is not valid for custom key stores with CustomKeyStoreType EXTERNAL_KEY_STORE.',
      );
    });

    test('VPC_ENDPOINT_SERVICE connectivity needs the service name; PUBLIC_ENDPOINT refuses it', async () => {
      await expectRejected(
        () => kms.send(new CreateCustomKeyStoreCommand(xksInput({ XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' }))),
        'ValidationException',
        'XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.',
      );
      await expectRejected(
        () =>
          kms.send(
            new CreateCustomKeyStoreCommand(xksInput({ XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0' })),
          ),
        'ValidationException',
        'XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.',
      );
    });

    test('model constraints: path pattern, endpoint pattern, cluster id pattern', async () => {
      await expectRejected(() => kms.send(new CreateCustomKeyStoreCommand(xksInput({ XksProxyUriPath: '/not/the/xks/path' }))), 'ValidationException');
      await expectRejected(() => kms.send(new CreateCustomKeyStoreCommand(xksInput({ XksProxyUriEndpoint: 'http://plain.example.com' }))), 'ValidationException');
      await expectRejected(() => kms.send(new CreateCustomKeyStoreCommand(cloudHsmInput({ CloudHsmClusterId: 'cluster-1111111111111' }))), 'ValidationException');
    });

    test('names, clusters and proxy URIs are unique per account and Region; a rejected request stores nothing', async () => {
      const name = `taken-${unique()}`;
      const cluster = clusterId();
      await createStore(cloudHsmInput({ CustomKeyStoreName: name, CloudHsmClusterId: cluster }));
      await expectRejected(
        () => kms.send(new CreateCustomKeyStoreCommand(xksInput({ CustomKeyStoreName: name }))),
        'CustomKeyStoreNameInUseException',
        `A custom key store with name ${name} already exists.`,
      );
      const clusterError = await errorOf(() => kms.send(new CreateCustomKeyStoreCommand(cloudHsmInput({ CloudHsmClusterId: cluster }))));
      expect(clusterError.name).toBe('CloudHsmClusterInUseException');

      const endpoint = `https://proxy-${unique()}.example.com`;
      const first = await createStore(xksInput({ XksProxyUriEndpoint: endpoint }));
      await expectRejected(
        () => kms.send(new CreateCustomKeyStoreCommand(xksInput({ XksProxyUriEndpoint: endpoint }))),
        'XksProxyUriInUseException',
        `The XksProxyUriEndpoint and XksProxyUriPath combination is already associated with custom key store ${first}.`,
      );
      // Same public endpoint with another path is fine; a VPC store may not share the endpoint.
      await createStore(xksInput({ XksProxyUriEndpoint: endpoint, XksProxyUriPath: '/other/kms/xks/v1' }));
      const vpc = xksInput({
        XksProxyUriEndpoint: endpoint,
        XksProxyUriPath: '/third/kms/xks/v1',
        XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
        XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0',
      });
      const endpointError = await errorOf(() => kms.send(new CreateCustomKeyStoreCommand(vpc)));
      expect(endpointError.name).toBe('XksProxyUriEndpointInUseException');

      const stores = (await kms.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores!;
      expect(stores.filter((store) => store.CustomKeyStoreName === name)).toHaveLength(1);
      expect(stores.filter((store) => store.XksProxyConfiguration?.UriEndpoint === endpoint)).toHaveLength(2);
    });
  });

  describe('functionality', () => {
    test('an AWS CloudHSM key store is created DISCONNECTED with a cks- id', async () => {
      const input = cloudHsmInput();
      const before = running.kmslite.clock.now();
      const id = await createStore(input);
      expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
      const store = await describeStore(id);
      expect(store).toEqual({
        CustomKeyStoreId: id,
        CustomKeyStoreName: input.CustomKeyStoreName,
        CloudHsmClusterId: input.CloudHsmClusterId,
        TrustAnchorCertificate: input.TrustAnchorCertificate,
        ConnectionState: 'DISCONNECTED',
        CreationDate: expect.any(Date),
        CustomKeyStoreType: 'AWS_CLOUDHSM',
      });
      expect(store.CreationDate!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    });

    test('an external key store shows its proxy configuration, never the secret', async () => {
      const input = xksInput({
        XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
        XksProxyVpcEndpointServiceName: `com.amazonaws.vpce.eu-west-2.vpce-svc-${unique()}`,
        XksProxyVpcEndpointServiceOwner: '444455556666',
      });
      const id = await createStore(input);
      const response = await rawRequest(running, 'DescribeCustomKeyStores', { CustomKeyStoreId: id });
      expect(response.status).toBe(200);
      expect(response.body).not.toContain(CREDENTIAL.RawSecretAccessKey);
      const store = await describeStore(id);
      expect(store.CustomKeyStoreType).toBe('EXTERNAL_KEY_STORE');
      expect(store.ConnectionState).toBe('DISCONNECTED');
      expect(store.CloudHsmClusterId).toBeUndefined();
      expect(store.XksProxyConfiguration).toEqual({
        Connectivity: 'VPC_ENDPOINT_SERVICE',
        AccessKeyId: CREDENTIAL.AccessKeyId,
        UriEndpoint: input.XksProxyUriEndpoint,
        UriPath: input.XksProxyUriPath,
        VpcEndpointServiceName: input.XksProxyVpcEndpointServiceName,
        VpcEndpointServiceOwner: '444455556666',
      });
    });
  });
});

describe('DescribeCustomKeyStores', () => {
  describe('validation', () => {
    test('an unknown id or name is CustomKeyStoreNotFoundException', async () => {
      await expectRejected(
        () => kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-00000000000000000' })),
        'CustomKeyStoreNotFoundException',
        'The specified custom key store does not exist.',
      );
      await expectRejected(
        () => kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: `nobody-${unique()}` })),
        'CustomKeyStoreNotFoundException',
        'The specified custom key store does not exist.',
      );
    });

    test('id and name together, and a foreign marker, are refused', async () => {
      await expectRejected(
        () => kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-00000000000000000', CustomKeyStoreName: 'x' })),
        'ValidationException',
        'You cannot specify both CustomKeyStoreId and CustomKeyStoreName.',
      );
      await expectRejected(() => kms.send(new DescribeCustomKeyStoresCommand({ Marker: 'bm90LWEtbWFya2Vy' })), 'InvalidMarkerException', 'Invalid marker');
    });
  });

  describe('functionality', () => {
    test('by name, and every store in pages in creation order', async () => {
      const input = cloudHsmInput();
      const id = await createStore(input);
      const byName = await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: input.CustomKeyStoreName }));
      expect(byName.CustomKeyStores!.map((store) => store.CustomKeyStoreId)).toEqual([id]);
      expect(byName.Truncated).toBe(false);

      const all = (await kms.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores!.map((store) => store.CustomKeyStoreId);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const paged: string[] = [];
      let marker: string | undefined;
      do {
        const page = await kms.send(new DescribeCustomKeyStoresCommand({ Limit: 2, Marker: marker }));
        expect(page.CustomKeyStores!.length).toBeLessThanOrEqual(2);
        paged.push(...page.CustomKeyStores!.map((store) => store.CustomKeyStoreId!));
        expect(page.Truncated).toBe(page.NextMarker !== undefined);
        marker = page.NextMarker;
      } while (marker);
      expect(paged).toEqual(all);
    });
  });
});

describe('ConnectCustomKeyStore', () => {
  describe('validation', () => {
    test('unknown store', async () => {
      await expectRejected(
        () => kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: 'cks-00000000000000000' })),
        'CustomKeyStoreNotFoundException',
        'The specified custom key store does not exist.',
      );
    });

    test('a FAILED store must be disconnected before connecting again', async () => {
      const id = await createStore(xksInput({ XksProxyUriEndpoint: `https://down-${unique()}.invalid` }));
      await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      const failed = await describeStore(id);
      expect(failed.ConnectionState).toBe('FAILED');
      expect(failed.ConnectionErrorCode).toBe('XKS_PROXY_NOT_REACHABLE');
      await expectRejected(
        () => kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${id} cannot be connected because its connection state is FAILED. Disconnect it first.`,
      );
      await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      const reset = await describeStore(id);
      expect(reset.ConnectionState).toBe('DISCONNECTED');
      expect(reset.ConnectionErrorCode).toBeUndefined();
    });
  });

  describe('functionality', () => {
    test('DISCONNECTED → CONNECTING (seen once) → CONNECTED; connecting again changes nothing', async () => {
      const id = await createStore(cloudHsmInput());
      await connect(id);
      await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      expect((await describeStore(id)).ConnectionState).toBe('CONNECTED');
    });

    test('a CloudHSM cluster id containing "failed" fails with INSUFFICIENT_CLOUDHSM_HSMS', async () => {
      const id = await createStore(cloudHsmInput({ CloudHsmClusterId: clusterId('failed') }));
      await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      const store = await describeStore(id);
      expect(store.ConnectionState).toBe('FAILED');
      expect(store.ConnectionErrorCode).toBe('INSUFFICIENT_CLOUDHSM_HSMS');
    });
  });
});

describe('DisconnectCustomKeyStore', () => {
  describe('validation', () => {
    test('a DISCONNECTED store cannot be disconnected; unknown store', async () => {
      const id = await createStore(cloudHsmInput());
      await expectRejected(
        () => kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${id} cannot be disconnected because its connection state is DISCONNECTED.`,
      );
      await expectRejected(
        () => kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: 'cks-00000000000000000' })),
        'CustomKeyStoreNotFoundException',
      );
    });
  });

  describe('functionality', () => {
    test('CONNECTED → DISCONNECTED at once', async () => {
      const id = await connectedStore(xksInput());
      await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      expect((await describeStore(id)).ConnectionState).toBe('DISCONNECTED');
    });
  });
});

describe('UpdateCustomKeyStore', () => {
  describe('validation', () => {
    test('a CloudHSM key store must be disconnected for any change', async () => {
      const id = await connectedStore(cloudHsmInput());
      await expectRejected(
        () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: id, NewCustomKeyStoreName: `renamed-${unique()}` })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${id} must be disconnected before it can be updated. Its connection state is CONNECTED.`,
      );
    });

    test('an external key store changes its endpoint only when disconnected', async () => {
      const id = await connectedStore(xksInput());
      await expectRejected(
        () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: id, XksProxyUriEndpoint: `https://moved-${unique()}.example.com` })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${id} must be disconnected before it can be updated. Its connection state is CONNECTED.`,
      );
    });

    test('members of the other type, names in use, unknown store', async () => {
      const hsm = await createStore(cloudHsmInput());
      const other = cloudHsmInput();
      await createStore(other);
      await expectRejected(
        () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: hsm, XksProxyUriPath: '/kms/xks/v2' })),
        'ValidationException',
        'XksProxyUriPath is not valid for custom key stores with CustomKeyStoreType AWS_CLOUDHSM.',
      );
      await expectRejected(
        () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: hsm, NewCustomKeyStoreName: other.CustomKeyStoreName })),
        'CustomKeyStoreNameInUseException',
        `A custom key store with name ${other.CustomKeyStoreName} already exists.`,
      );
      await expectRejected(
        () => kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: 'cks-00000000000000000', NewCustomKeyStoreName: 'x' })),
        'CustomKeyStoreNotFoundException',
      );
    });
  });

  describe('functionality', () => {
    test('a connected external key store changes name, path and credential', async () => {
      const id = await connectedStore(xksInput());
      const name = `renamed-${unique()}`;
      await kms.send(
        new UpdateCustomKeyStoreCommand({
          CustomKeyStoreId: id,
          NewCustomKeyStoreName: name,
          XksProxyUriPath: '/renamed/kms/xks/v2',
          XksProxyAuthenticationCredential: { AccessKeyId: 'ZYXWVUTSRQPONMLKJIHG', RawSecretAccessKey: 'b'.repeat(43) },
        }),
      );
      const store = await describeStore(id);
      expect(store.CustomKeyStoreName).toBe(name);
      expect(store.ConnectionState).toBe('CONNECTED');
      expect(store.XksProxyConfiguration!.UriPath).toBe('/renamed/kms/xks/v2');
      expect(store.XksProxyConfiguration!.AccessKeyId).toBe('ZYXWVUTSRQPONMLKJIHG');
    });

    test('a disconnected store changes everything, including connectivity', async () => {
      const hsm = await createStore(cloudHsmInput());
      const cluster = clusterId();
      await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: hsm, CloudHsmClusterId: cluster, KeyStorePassword: 'new-password' }));
      expect((await describeStore(hsm)).CloudHsmClusterId).toBe(cluster);

      const xks = await createStore(xksInput());
      const service = `com.amazonaws.vpce.eu-west-2.vpce-svc-${unique()}`;
      await kms.send(
        new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: xks, XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE', XksProxyVpcEndpointServiceName: service }),
      );
      const store = await describeStore(xks);
      expect(store.XksProxyConfiguration!.Connectivity).toBe('VPC_ENDPOINT_SERVICE');
      expect(store.XksProxyConfiguration!.VpcEndpointServiceName).toBe(service);
    });
  });
});

describe('CreateKey in a custom key store', () => {
  describe('validation', () => {
    test('Origin, CustomKeyStoreId and XksKeyId go together', async () => {
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM' })),
        'ValidationException',
        'CustomKeyStoreId is required when Origin is AWS_CLOUDHSM.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ CustomKeyStoreId: 'cks-00000000000000000' })),
        'ValidationException',
        'CustomKeyStoreId is valid only when Origin is AWS_CLOUDHSM or EXTERNAL_KEY_STORE.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: 'cks-00000000000000000' })),
        'ValidationException',
        'XksKeyId is required when Origin is EXTERNAL_KEY_STORE.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-00000000000000000', XksKeyId: 'k1' })),
        'ValidationException',
        'XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.',
      );
    });

    test('symmetric encryption single-Region keys only', async () => {
      const id = await connectedStore(cloudHsmInput());
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })),
        'UnsupportedOperationException',
        'KeySpec RSA_2048 is not supported for KMS keys in custom key stores.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })),
        'UnsupportedOperationException',
        'KeySpec HMAC_256 is not supported for KMS keys in custom key stores.',
      );
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, MultiRegion: true })),
        'UnsupportedOperationException',
        'Multi-Region keys are not supported in custom key stores.',
      );
    });

    test('the store must exist, match the Origin and be connected; an XksKeyId is used once per store', async () => {
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-00000000000000000' })),
        'CustomKeyStoreNotFoundException',
        'The specified custom key store does not exist.',
      );
      const disconnected = await createStore(cloudHsmInput());
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: disconnected })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${disconnected} is not connected. Its connection state is DISCONNECTED.`,
      );
      const xks = await connectedStore(xksInput());
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: xks })),
        'ValidationException',
        `Origin AWS_CLOUDHSM is not valid for custom key store ${xks} of type EXTERNAL_KEY_STORE.`,
      );
      const first = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyId: 'ext-key-1' }))).KeyMetadata!;
      await expectRejected(
        () => kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyId: 'ext-key-1' })),
        'XksKeyAlreadyInUseException',
        `The external key ext-key-1 is already associated with KMS key ${first.Arn} in custom key store ${xks}.`,
      );
    });
  });

  describe('functionality', () => {
    test('DescribeKey shows the store, the cluster and the origin; rotation is refused by origin', async () => {
      const input = cloudHsmInput();
      const id = await connectedStore(input);
      const key = await hsmKey(id);
      expect(key).toMatchObject({
        Origin: 'AWS_CLOUDHSM',
        CustomKeyStoreId: id,
        CloudHsmClusterId: input.CloudHsmClusterId,
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Enabled: true,
      });
      expect(key.CurrentKeyMaterialId).toBeUndefined();
      expect(await describeKey(key.KeyId!)).toMatchObject({ CustomKeyStoreId: id, Origin: 'AWS_CLOUDHSM' });
      await expectRejected(
        () => kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId! })),
        'UnsupportedOperationException',
        `${key.Arn} origin is AWS_CLOUDHSM which is not valid for this operation.`,
      );
    });

    test('an external key store key shows XksKeyConfiguration', async () => {
      const id = await connectedStore(xksInput());
      const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'ext-key-a' }))).KeyMetadata!;
      expect(key).toMatchObject({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyConfiguration: { Id: 'ext-key-a' } });
      expect(key.CloudHsmClusterId).toBeUndefined();
      expect((await describeKey(key.KeyId!)).XksKeyConfiguration).toEqual({ Id: 'ext-key-a' });
    });
  });
});

describe('keys in a custom key store', () => {
  test('Encrypt/Decrypt when connected; Unavailable (`is unavailable.`) when disconnected; back when reconnected', async () => {
    const id = await connectedStore(xksInput());
    const key = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, XksKeyId: 'ext-key-b' }))).KeyMetadata!;
    const plaintext = Buffer.from('custom key store secret');
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: plaintext }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(key.Arn);

    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    const unavailable = await describeKey(key.KeyId!);
    expect(unavailable.KeyState).toBe('Unavailable');
    expect(unavailable.Enabled).toBe(false);
    const message = `${keyArnOf(key.KeyId!)} is unavailable.`;
    await expectRejected(() => kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: plaintext })), 'KMSInvalidStateException', message);
    await expectRejected(() => kms.send(new DecryptCommand({ CiphertextBlob })), 'KMSInvalidStateException', message);
    await expectRejected(() => kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId!, KeySpec: 'AES_256' })), 'KMSInvalidStateException', message);
    // ListKeys still lists it.
    const listed = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((entry) => entry.KeyId);
    expect(listed).toContain(key.KeyId);

    await connect(id);
    expect((await describeKey(key.KeyId!)).KeyState).toBe('Enabled');
    const again = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(again.Plaintext!)).toEqual(plaintext);
  });

  test('keys are Unavailable while CONNECTING and FAILED too', async () => {
    const id = await connectedStore(cloudHsmInput());
    const key = await hsmKey(id);
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    // The first read after Connect sees CONNECTING: the key is unavailable for it.
    await expectRejected(
      () => kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
      `${key.Arn} is unavailable.`,
    );
    expect((await describeKey(key.KeyId!)).KeyState).toBe('Enabled');

    // A store whose proxy became unreachable (endpoint moved to a `.invalid` host) connects to FAILED.
    const xks = await connectedStore(xksInput());
    const xksKey = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: xks, XksKeyId: 'ext-key-c' }))).KeyMetadata!;
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: xks }));
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: xks, XksProxyUriEndpoint: `https://gone-${unique()}.invalid` }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: xks }));
    expect((await describeStore(xks)).ConnectionState).toBe('FAILED');
    await expectRejected(
      () => kms.send(new EncryptCommand({ KeyId: xksKey.KeyId!, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
      `${xksKey.Arn} is unavailable.`,
    );
    expect((await describeKey(xksKey.KeyId!)).KeyState).toBe('Unavailable');
  });

  test('EnableKey/DisableKey on an Unavailable key take effect when the store is connected again', async () => {
    const id = await connectedStore(cloudHsmInput());
    const key = await hsmKey(id);
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    expect((await describeKey(key.KeyId!)).KeyState).toBe('Unavailable');
    await connect(id);
    expect(await describeKey(key.KeyId!)).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId! }));
    expect((await describeKey(key.KeyId!)).KeyState).toBe('Unavailable');
    await connect(id);
    expect(await describeKey(key.KeyId!)).toMatchObject({ KeyState: 'Enabled', Enabled: true });
  });
});

describe('DeleteCustomKeyStore', () => {
  describe('validation', () => {
    test('only a DISCONNECTED store, and only when its keys are gone', async () => {
      const id = await connectedStore(cloudHsmInput());
      const key = await hsmKey(id);
      await expectRejected(
        () => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${id} must be disconnected before it can be deleted. Its connection state is CONNECTED.`,
      );
      await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      const hasKeys = `Custom key store ${id} cannot be deleted because it contains KMS keys. Schedule their deletion and wait until they are deleted.`;
      await expectRejected(() => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })), 'CustomKeyStoreHasCMKsException', hasKeys);
      // A key pending deletion still counts; it stays PendingDeletion while the store is disconnected.
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
      expect((await describeKey(key.KeyId!)).KeyState).toBe('PendingDeletion');
      await expectRejected(() => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })), 'CustomKeyStoreHasCMKsException', hasKeys);
      running.kmslite.clock.advance(8 * DAY_MS);
      await kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      await expectRejected(() => kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id })), 'CustomKeyStoreNotFoundException');
    });
  });

  describe('functionality', () => {
    test('an empty disconnected store is deleted; its name can be used again', async () => {
      const input = xksInput();
      const id = await createStore(input);
      await kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id }));
      await expectRejected(() => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })), 'CustomKeyStoreNotFoundException');
      const again = await createStore(input);
      expect(again).not.toBe(id);
    });
  });
});

describe('GenerateRandom with CustomKeyStoreId', () => {
  describe('validation', () => {
    test('unknown, disconnected and external stores are refused', async () => {
      await expectRejected(
        () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: 'cks-00000000000000000' })),
        'CustomKeyStoreNotFoundException',
        'The specified custom key store does not exist.',
      );
      const hsm = await createStore(cloudHsmInput());
      await expectRejected(
        () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: hsm })),
        'CustomKeyStoreInvalidStateException',
        `Custom key store ${hsm} is not connected. Its connection state is DISCONNECTED.`,
      );
      const xks = await connectedStore(xksInput());
      await expectRejected(
        () => kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: xks })),
        'UnsupportedOperationException',
        `GenerateRandom is not supported for external key store ${xks}.`,
      );
    });
  });

  describe('functionality', () => {
    test('a connected CloudHSM key store gives random bytes', async () => {
      const hsm = await connectedStore(cloudHsmInput());
      const { Plaintext } = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32, CustomKeyStoreId: hsm }));
      expect(Plaintext).toHaveLength(32);
    });
  });
});
