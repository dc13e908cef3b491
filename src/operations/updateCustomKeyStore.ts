import { KmsError } from '../protocol/errors.js';
import type { OperationContext } from '../kms/context.js';
import {
  CLOUDHSM_MEMBERS,
  XKS_MEMBERS,
  checkClusterFree,
  checkNameFree,
  checkXksConfiguration,
  findCustomKeyStore,
  invalidState,
  type XksMembers,
} from '../kms/customKeyStores.js';

export interface UpdateCustomKeyStoreInput extends XksMembers {
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
export function updateCustomKeyStore(input: UpdateCustomKeyStoreInput, context: OperationContext) {
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
  return {};
}
