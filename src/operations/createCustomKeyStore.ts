import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import {
  CLOUDHSM_MEMBERS,
  XKS_MEMBERS,
  checkClusterFree,
  checkNameFree,
  checkXksConfiguration,
  newCustomKeyStoreId,
  nextCustomKeyStoreSequence,
  type CustomKeyStoreRecord,
  type XksMembers,
} from '../kms/customKeyStores.js';

export interface CreateCustomKeyStoreInput extends XksMembers {
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
export function createCustomKeyStore(input: CreateCustomKeyStoreInput, context: OperationContext) {
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
  return { CustomKeyStoreId: record.id };
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
