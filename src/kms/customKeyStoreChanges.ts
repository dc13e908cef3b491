/**
 * What the custom key store operations do to a store: creating and updating it (the members each store type
 * requires or refuses, what may change in which connection state, the uniqueness checks of customKeyStores.ts),
 * connecting, disconnecting and deleting it, and GenerateRandom's check of the store it names.
 */
import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from './context.js';
import { liveKey } from './resolveKey.js';
import {
  CLOUDHSM_MEMBERS,
  XKS_MEMBERS,
  checkClusterFree,
  checkNameFree,
  checkXksConfiguration,
  disconnect,
  findCustomKeyStore,
  invalidState,
  newCustomKeyStoreId,
  nextCustomKeyStoreSequence,
  startConnecting,
  type CustomKeyStoreRecord,
  type XksMembers,
} from './customKeyStores.js';

/** What CreateCustomKeyStore asks for (its wire members). */
export interface NewCustomKeyStoreRequest extends XksMembers {
  CustomKeyStoreName: string;
  CloudHsmClusterId?: string;
  TrustAnchorCertificate?: string;
  KeyStorePassword?: string;
  CustomKeyStoreType?: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
}

/**
 * Creates an emulated custom key store, DISCONNECTED (API reference CreateCustomKeyStore). CustomKeyStoreType
 * defaults to AWS_CLOUDHSM. The members each type requires, and the members of the other type, are checked
 * here (ValidationException; AWS's texts are unrecorded). No CloudHSM cluster or XKS proxy is contacted:
 * the cluster, its trust anchor and the proxy credential are accepted as given.
 */
export function createCustomKeyStoreRecord(context: OperationContext, input: NewCustomKeyStoreRequest): CustomKeyStoreRecord {
  const store = context.store;
  const type = input.CustomKeyStoreType ?? 'AWS_CLOUDHSM';
  const record: CustomKeyStoreRecord = {
    id: newCustomKeyStoreId(),
    name: input.CustomKeyStoreName,
    type,
    creationDate: context.now,
    sequence: nextCustomKeyStoreSequence(),
    connectionState: 'DISCONNECTED',
    heldKeyStates: new Map(),
  };
  if (type === 'AWS_CLOUDHSM') {
    refuseMembers(input, XKS_MEMBERS, type);
    requireMembers(input, CLOUDHSM_MEMBERS, type);
    checkNameFree(store, input.CustomKeyStoreName);
    checkClusterFree(store, input.CloudHsmClusterId!);
    record.cloudHsmClusterId = input.CloudHsmClusterId!;
    record.trustAnchorCertificate = input.TrustAnchorCertificate!;
    record.keyStorePassword = input.KeyStorePassword!;
  } else {
    refuseMembers(input, CLOUDHSM_MEMBERS, type);
    requireMembers(input, ['XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity'], type);
    checkNameFree(store, input.CustomKeyStoreName);
    const credential = input.XksProxyAuthenticationCredential!;
    record.xks = {
      uriEndpoint: input.XksProxyUriEndpoint!,
      uriPath: input.XksProxyUriPath!,
      connectivity: input.XksProxyConnectivity!,
      vpcEndpointServiceName: input.XksProxyVpcEndpointServiceName,
      vpcEndpointServiceOwner: input.XksProxyVpcEndpointServiceOwner,
      accessKeyId: credential.AccessKeyId,
      rawSecretAccessKey: credential.RawSecretAccessKey,
    };
    if (record.xks.vpcEndpointServiceOwner !== undefined && record.xks.vpcEndpointServiceName === undefined) {
      throw new KmsError('ValidationException', 'XksProxyVpcEndpointServiceOwner is valid only with XksProxyVpcEndpointServiceName.');
    }
    checkXksConfiguration(store, record.xks);
  }
  store.customKeyStores.set(record.id, record);
  context.store.tracker?.customKeyStoresChanged(context.store);
  return record;
}

/** What UpdateCustomKeyStore asks for (its wire members). */
export interface CustomKeyStoreUpdate extends XksMembers {
  CustomKeyStoreId: string;
  NewCustomKeyStoreName?: string;
  KeyStorePassword?: string;
  CloudHsmClusterId?: string;
}

/** External key store members that may change while the store is CONNECTED (API reference UpdateCustomKeyStore). */
const WHILE_CONNECTED = new Set(['NewCustomKeyStoreName', 'XksProxyAuthenticationCredential', 'XksProxyUriPath']);

/**
 * API reference UpdateCustomKeyStore: an AWS CloudHSM key store must be DISCONNECTED for any change; an
 * external key store may change its name, XksProxyAuthenticationCredential and XksProxyUriPath while
 * CONNECTED or DISCONNECTED, and everything else only while DISCONNECTED. Members of the other store type are
 * refused (ValidationException). kmslite cannot tell whether a new CloudHsmClusterId is related to the old
 * one (CloudHsmClusterNotRelatedException is never sent).
 */
export function updateCustomKeyStoreRecord(context: OperationContext, input: CustomKeyStoreUpdate): void {
  const store = context.store;
  const record = findCustomKeyStore(context, input.CustomKeyStoreId);
  const given = Object.entries(input)
    .filter(([member, value]) => member !== 'CustomKeyStoreId' && value !== undefined)
    .map(([member]) => member);
  const foreign: readonly string[] = record.type === 'AWS_CLOUDHSM' ? XKS_MEMBERS : CLOUDHSM_MEMBERS;
  const refused = given.find((member) => foreign.includes(member));
  if (refused) {
    throw new KmsError('ValidationException', `${refused} is not valid for custom key stores with CustomKeyStoreType ${record.type}.`);
  }
  const state = record.connectionState;
  const allowedNow =
    state === 'DISCONNECTED' ||
    (record.type === 'EXTERNAL_KEY_STORE' && state === 'CONNECTED' && given.every((member) => WHILE_CONNECTED.has(member)));
  if (!allowedNow) {
    throw invalidState(`Custom key store ${record.id} must be disconnected before it can be updated. Its connection state is ${state}.`);
  }
  if (input.NewCustomKeyStoreName !== undefined) checkNameFree(store, input.NewCustomKeyStoreName, record);
  if (record.type === 'AWS_CLOUDHSM') {
    if (input.CloudHsmClusterId !== undefined) checkClusterFree(store, input.CloudHsmClusterId, record);
  }
  let xks = record.xks;
  if (record.type === 'EXTERNAL_KEY_STORE') {
    const current = record.xks!;
    const connectivity = input.XksProxyConnectivity ?? current.connectivity;
    xks = {
      uriEndpoint: input.XksProxyUriEndpoint ?? current.uriEndpoint,
      uriPath: input.XksProxyUriPath ?? current.uriPath,
      connectivity,
      // Switching to PUBLIC_ENDPOINT drops the VPC endpoint service unless the request names one.
      vpcEndpointServiceName:
        input.XksProxyVpcEndpointServiceName ?? (connectivity === 'VPC_ENDPOINT_SERVICE' ? current.vpcEndpointServiceName : undefined),
      vpcEndpointServiceOwner:
        input.XksProxyVpcEndpointServiceOwner ?? (connectivity === 'VPC_ENDPOINT_SERVICE' ? current.vpcEndpointServiceOwner : undefined),
      accessKeyId: input.XksProxyAuthenticationCredential?.AccessKeyId ?? current.accessKeyId,
      rawSecretAccessKey: input.XksProxyAuthenticationCredential?.RawSecretAccessKey ?? current.rawSecretAccessKey,
    };
    checkXksConfiguration(store, xks, record);
  }
  // Everything checked: apply.
  if (input.NewCustomKeyStoreName !== undefined) record.name = input.NewCustomKeyStoreName;
  if (input.KeyStorePassword !== undefined) record.keyStorePassword = input.KeyStorePassword;
  if (input.CloudHsmClusterId !== undefined) record.cloudHsmClusterId = input.CloudHsmClusterId;
  record.xks = xks;
  context.store.tracker?.customKeyStoresChanged(context.store);
}

function requireMembers(input: object, members: readonly string[], type: string): void {
  for (const member of members) {
    if ((input as Record<string, unknown>)[member] === undefined) {
      throw new KmsError('ValidationException', `${member} is required for custom key stores with CustomKeyStoreType ${type}.`);
    }
  }
}

function refuseMembers(input: object, members: readonly string[], type: string): void {
  for (const member of members) {
    if ((input as Record<string, unknown>)[member] !== undefined) {
      throw new KmsError('ValidationException', `${member} is not valid for custom key stores with CustomKeyStoreType ${type}.`);
    }
  }
}

/**
 * DISCONNECTED → CONNECTING (→ CONNECTED after the next read; see kms/customKeyStores.ts), or FAILED for the
 * documented unreachable conventions. Connecting a CONNECTING or CONNECTED store changes nothing. A FAILED
 * (or DISCONNECTING) store is refused: AWS requires disconnecting a FAILED store before connecting it again.
 */
export function connectStore(context: OperationContext, customKeyStoreId: string): void {
  const record = findCustomKeyStore(context, customKeyStoreId);
  if (record.connectionState === 'FAILED' || record.connectionState === 'DISCONNECTING') {
    throw invalidState(
      `Custom key store ${record.id} cannot be connected because its connection state is ${record.connectionState}. Disconnect it first.`,
    );
  }
  if (record.connectionState === 'DISCONNECTED') startConnecting(record);
  context.store.tracker?.customKeyStoresChanged(context.store);
}

/**
 * CONNECTED, CONNECTING or FAILED → DISCONNECTED at once (kmslite never shows DISCONNECTING). A store that is
 * already DISCONNECTED is refused (CustomKeyStoreInvalidStateException, API reference). Its keys become
 * Unavailable when next looked at.
 */
export function disconnectStore(context: OperationContext, customKeyStoreId: string): void {
  const record = findCustomKeyStore(context, customKeyStoreId);
  if (record.connectionState === 'DISCONNECTED' || record.connectionState === 'DISCONNECTING') {
    throw invalidState(`Custom key store ${record.id} cannot be disconnected because its connection state is ${record.connectionState}.`);
  }
  disconnect(record);
  context.store.tracker?.customKeyStoresChanged(context.store);
}

/**
 * Deletes a DISCONNECTED custom key store that has no KMS keys left (keys pending deletion still count until
 * their deletion date passes: API reference DeleteCustomKeyStore, "schedule deletion of all KMS keys ... and
 * wait for those keys to be deleted").
 */
export function deleteStore(context: OperationContext, customKeyStoreId: string): void {
  const store = context.store;
  const record = findCustomKeyStore(context, customKeyStoreId);
  if (record.connectionState !== 'DISCONNECTED') {
    throw invalidState(`Custom key store ${record.id} must be disconnected before it can be deleted. Its connection state is ${record.connectionState}.`);
  }
  for (const keyId of [...store.keys.keys()]) {
    const key = liveKey(context, store, keyId);
    if (key?.metadata.CustomKeyStoreId === record.id) {
      throw new KmsError(
        'CustomKeyStoreHasCMKsException',
        `Custom key store ${record.id} cannot be deleted because it contains KMS keys. Schedule their deletion and wait until they are deleted.`,
      );
    }
  }
  store.customKeyStores.delete(record.id);
  context.store.tracker?.customKeyStoresChanged(context.store);
}

/** GenerateRandom with a CustomKeyStoreId: the store must exist, be an AWS CloudHSM key store and be CONNECTED. */
export function checkRandomSource(context: OperationContext, customKeyStoreId: string): void {
  // API reference GenerateRandom: an AWS CloudHSM key store, CONNECTED; external key store ids are not valid
  // (texts unconfirmed). The bytes come from node:crypto: there is no cluster.
  const record = findCustomKeyStore(context, customKeyStoreId);
  if (record.type !== 'AWS_CLOUDHSM') {
    throw new KmsError('UnsupportedOperationException', `GenerateRandom is not supported for external key store ${record.id}.`);
  }
  if (record.connectionState !== 'CONNECTED') {
    throw invalidState(`Custom key store ${record.id} is not connected. Its connection state is ${record.connectionState}.`);
  }
}
