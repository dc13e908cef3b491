/**
 * Emulated custom key stores (AWS CloudHSM key stores and external key stores). There is no HSM and no XKS
 * proxy: kmslite keeps the key material of keys "in" a custom key store itself, and a store's connection is a
 * state machine only.
 *
 * Connection states (DescribeCustomKeyStores ConnectionState):
 * - DISCONNECTED: after CreateCustomKeyStore and after DisconnectCustomKeyStore (kmslite never shows
 *   DISCONNECTING: disconnecting is immediate).
 * - ConnectCustomKeyStore on a DISCONNECTED store → CONNECTING. The first request that reads the store after
 *   that (DescribeCustomKeyStores, or any request that resolves one of its keys, CreateKey in it, GenerateRandom
 *   with it, Connect/Disconnect/Update/Delete) still sees CONNECTING; from then on the store is CONNECTED.
 *   So a client that polls DescribeCustomKeyStores until CONNECTED sees CONNECTING once, then CONNECTED.
 * - Unreachable backing stores, by convention: an external key store whose XksProxyUriEndpoint host ends in
 *   `.invalid` (RFC 2606), or an AWS CloudHSM key store whose CloudHsmClusterId contains `failed`
 *   (case-insensitive), goes to FAILED on ConnectCustomKeyStore, with ConnectionErrorCode
 *   XKS_PROXY_NOT_REACHABLE / INSUFFICIENT_CLOUDHSM_HSMS. Disconnect it to retry (AWS rule).
 *
 * Keys of a store that is not CONNECTED are Unavailable (KeyState), lazily, whenever the key is looked at
 * (keyLifecycle.applyElapsedTime → settleCustomKeyStoreKey); their Enabled/Disabled state is held on the store
 * and given back when the store is CONNECTED again. Keys pending deletion stay PendingDeletion.
 */
import { randomBytes } from 'node:crypto';
import { KmsError } from '../protocol/errors.js';
import type { KeyRecord } from '../store/records.js';
import type { CustomKeyStoreRecord, RegionStore } from '../store/regionStore.js';
import type { OperationContext } from './context.js';

export type { CustomKeyStoreRecord };

let nextSequence = 0;

export function newCustomKeyStoreId(): string {
  // `cks-` + 17 hex digits, as AWS's ids (e.g. cks-1234567890abcdef0).
  return `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** After state was restored from disk: new custom key stores list after every restored one. */
export function continueCustomKeyStoreSequenceAfter(sequence: number): void {
  nextSequence = Math.max(nextSequence, sequence + 1);
}

export function nextCustomKeyStoreSequence(): number {
  return nextSequence++;
}

export function customKeyStoreNotFound(): KmsError {
  // AWS's text is unrecorded (unconfirmed).
  return new KmsError('CustomKeyStoreNotFoundException', 'The specified custom key store does not exist.');
}

export function invalidState(message: string): KmsError {
  return new KmsError('CustomKeyStoreInvalidStateException', message);
}

/** The store as of now (CONNECTING settles to CONNECTED after it has been seen once), or NotFound. */
export function findCustomKeyStore(context: OperationContext, id: string): CustomKeyStoreRecord {
  const record = context.store.customKeyStores.get(id);
  if (!record) throw customKeyStoreNotFound();
  return observe(record);
}

/**
 * Reads a store's connection state: CONNECTING is seen by the first read after ConnectCustomKeyStore and
 * becomes CONNECTED from the next read on. Returns the record (its state as this read sees it).
 */
export function observe(record: CustomKeyStoreRecord): CustomKeyStoreRecord {
  if (record.connectionState === 'CONNECTING') {
    if (connectingSeen.has(record)) {
      connectingSeen.delete(record);
      record.connectionState = 'CONNECTED';
    } else {
      connectingSeen.add(record);
    }
  }
  return record;
}

const connectingSeen = new WeakSet<CustomKeyStoreRecord>();

/** ConnectCustomKeyStore's state change (the caller checked that the store may be connected). */
export function startConnecting(record: CustomKeyStoreRecord): void {
  connectingSeen.delete(record);
  const unreachable =
    record.type === 'EXTERNAL_KEY_STORE'
      ? hostOf(record.xks!.uriEndpoint).endsWith('.invalid')
      : /failed/i.test(record.cloudHsmClusterId ?? '');
  if (unreachable) {
    record.connectionState = 'FAILED';
    record.connectionErrorCode = record.type === 'EXTERNAL_KEY_STORE' ? 'XKS_PROXY_NOT_REACHABLE' : 'INSUFFICIENT_CLOUDHSM_HSMS';
  } else {
    record.connectionState = 'CONNECTING';
    delete record.connectionErrorCode;
  }
}

export function disconnect(record: CustomKeyStoreRecord): void {
  connectingSeen.delete(record);
  record.connectionState = 'DISCONNECTED';
  delete record.connectionErrorCode;
}

function hostOf(uriEndpoint: string): string {
  return uriEndpoint.replace(/^https:\/\//, '').toLowerCase();
}

/**
 * A key in a custom key store: Unavailable while its store is not CONNECTED (keeping its Enabled/Disabled
 * state on the store), back to that state when the store is CONNECTED. Keys pending deletion (or pending
 * import, which custom-store keys never are) keep their state (developer guide: key states, footnote [13]).
 */
export function settleCustomKeyStoreKey(store: RegionStore, key: KeyRecord): void {
  const id = key.metadata.CustomKeyStoreId;
  if (id === undefined) return;
  const record = store.customKeyStores.get(id);
  const connected = record !== undefined && observe(record).connectionState === 'CONNECTED';
  const metadata = key.metadata;
  if (!connected) {
    if (metadata.KeyState === 'Enabled' || metadata.KeyState === 'Disabled') {
      record?.heldKeyStates.set(metadata.KeyId, metadata.KeyState);
      metadata.KeyState = 'Unavailable';
      metadata.Enabled = false;
    }
    return;
  }
  if (metadata.KeyState === 'Unavailable') {
    const held = record.heldKeyStates.get(metadata.KeyId) ?? 'Enabled';
    metadata.KeyState = held;
    metadata.Enabled = held === 'Enabled';
  }
  record.heldKeyStates.delete(metadata.KeyId);
}

/** DescribeCustomKeyStores' CustomKeyStoresListEntry. */
export function listEntry(record: CustomKeyStoreRecord) {
  return {
    CustomKeyStoreId: record.id,
    CustomKeyStoreName: record.name,
    CloudHsmClusterId: record.cloudHsmClusterId,
    TrustAnchorCertificate: record.trustAnchorCertificate,
    ConnectionState: record.connectionState,
    ConnectionErrorCode: record.connectionState === 'FAILED' ? record.connectionErrorCode : undefined,
    CreationDate: record.creationDate,
    CustomKeyStoreType: record.type,
    XksProxyConfiguration: record.xks && {
      Connectivity: record.xks.connectivity,
      AccessKeyId: record.xks.accessKeyId,
      UriEndpoint: record.xks.uriEndpoint,
      UriPath: record.xks.uriPath,
      VpcEndpointServiceName: record.xks.vpcEndpointServiceName,
      VpcEndpointServiceOwner: record.xks.vpcEndpointServiceOwner,
    },
  };
}

export interface XksProxyAuthenticationCredential {
  AccessKeyId: string;
  RawSecretAccessKey: string;
}

/** The XKS proxy members of CreateCustomKeyStore / UpdateCustomKeyStore. */
export interface XksMembers {
  XksProxyUriEndpoint?: string;
  XksProxyUriPath?: string;
  XksProxyVpcEndpointServiceName?: string;
  XksProxyVpcEndpointServiceOwner?: string;
  XksProxyAuthenticationCredential?: XksProxyAuthenticationCredential;
  XksProxyConnectivity?: 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE';
}

export const XKS_MEMBERS = [
  'XksProxyUriEndpoint',
  'XksProxyUriPath',
  'XksProxyVpcEndpointServiceName',
  'XksProxyVpcEndpointServiceOwner',
  'XksProxyAuthenticationCredential',
  'XksProxyConnectivity',
] as const;

export const CLOUDHSM_MEMBERS = ['CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword'] as const;

/**
 * The XKS proxy configuration an external key store would have, checked as AWS documents it (API reference
 * CreateCustomKeyStore / UpdateCustomKeyStore): the endpoint must be unique with the path; with
 * VPC_ENDPOINT_SERVICE connectivity the endpoint (private DNS name) and the VPC endpoint service must be
 * unique; a PUBLIC_ENDPOINT store has no VPC endpoint service. `self` is the store being updated.
 */
export function checkXksConfiguration(store: RegionStore, xks: NonNullable<CustomKeyStoreRecord['xks']>, self?: CustomKeyStoreRecord): void {
  if (xks.connectivity === 'VPC_ENDPOINT_SERVICE' && xks.vpcEndpointServiceName === undefined) {
    throw new KmsError(
      'ValidationException',
      'XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.',
    );
  }
  if (xks.connectivity === 'PUBLIC_ENDPOINT' && (xks.vpcEndpointServiceName !== undefined || xks.vpcEndpointServiceOwner !== undefined)) {
    throw new KmsError(
      'ValidationException',
      'XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only when XksProxyConnectivity is VPC_ENDPOINT_SERVICE.',
    );
  }
  for (const other of store.customKeyStores.values()) {
    if (other === self || !other.xks) continue;
    if (other.xks.uriEndpoint === xks.uriEndpoint && other.xks.uriPath === xks.uriPath) {
      throw new KmsError(
        'XksProxyUriInUseException',
        `The XksProxyUriEndpoint and XksProxyUriPath combination is already associated with custom key store ${other.id}.`,
      );
    }
    if (
      other.xks.uriEndpoint === xks.uriEndpoint &&
      (other.xks.connectivity === 'VPC_ENDPOINT_SERVICE' || xks.connectivity === 'VPC_ENDPOINT_SERVICE')
    ) {
      throw new KmsError(
        'XksProxyUriEndpointInUseException',
        `The XksProxyUriEndpoint ${xks.uriEndpoint} is already associated with custom key store ${other.id}.`,
      );
    }
    if (xks.vpcEndpointServiceName !== undefined && other.xks.vpcEndpointServiceName === xks.vpcEndpointServiceName) {
      throw new KmsError(
        'XksProxyVpcEndpointServiceInUseException',
        `The XksProxyVpcEndpointServiceName ${xks.vpcEndpointServiceName} is already associated with custom key store ${other.id}.`,
      );
    }
  }
}

export function checkNameFree(store: RegionStore, name: string, self?: CustomKeyStoreRecord): void {
  for (const other of store.customKeyStores.values()) {
    if (other !== self && other.name === name) {
      throw new KmsError('CustomKeyStoreNameInUseException', `A custom key store with name ${name} already exists.`);
    }
  }
}

export function checkClusterFree(store: RegionStore, clusterId: string, self?: CustomKeyStoreRecord): void {
  for (const other of store.customKeyStores.values()) {
    if (other !== self && other.cloudHsmClusterId === clusterId) {
      throw new KmsError('CloudHsmClusterInUseException', `The CloudHSM cluster ${clusterId} is already associated with custom key store ${other.id}.`);
    }
  }
}

/** What DescribeCustomKeyStores asks for (its wire members). */
export interface CustomKeyStoreListingRequest {
  CustomKeyStoreId?: string;
  CustomKeyStoreName?: string;
  Limit?: number;
  Marker?: string;
}

/** Limit's default (API reference: "If you do not include a value, it defaults to 100"). */
const DEFAULT_LIMIT = 100;

/**
 * A page of the account's custom key stores in this Region, in creation order, or the one named by id or by name
 * (CustomKeyStoreNotFoundException if none). Reading a store settles CONNECTING (customKeyStores.observe).
 */
export function customKeyStorePage(
  context: OperationContext,
  input: CustomKeyStoreListingRequest,
): { page: CustomKeyStoreRecord[]; nextMarker: string | undefined } {
  if (input.CustomKeyStoreId !== undefined && input.CustomKeyStoreName !== undefined) {
    // API reference: "provide either the CustomKeyStoreId or CustomKeyStoreName parameter, but not both" (text unconfirmed).
    throw new KmsError('ValidationException', 'You cannot specify both CustomKeyStoreId and CustomKeyStoreName.');
  }
  let records = [...context.store.customKeyStores.values()];
  if (input.CustomKeyStoreId !== undefined) {
    records = records.filter((record) => record.id === input.CustomKeyStoreId);
    if (records.length === 0) throw customKeyStoreNotFound();
  } else if (input.CustomKeyStoreName !== undefined) {
    records = records.filter((record) => record.name === input.CustomKeyStoreName);
    if (records.length === 0) throw customKeyStoreNotFound();
  }
  let start = 0;
  if (input.Marker !== undefined) {
    const sequence = decodeMarker(input.Marker);
    if (sequence === undefined) throw new KmsError('InvalidMarkerException', 'Invalid marker');
    start = records.findIndex((record) => record.sequence >= sequence);
    if (start < 0) start = records.length;
  }
  const limit = input.Limit ?? DEFAULT_LIMIT;
  const page = records.slice(start, start + limit);
  const next = records[start + limit];
  return { page: page.map(observe), nextMarker: next ? encodeMarker(next.sequence) : undefined };
}

function encodeMarker(sequence: number): string {
  return Buffer.from(`kmslite-cks:${sequence}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): number | undefined {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (!text.startsWith('kmslite-cks:')) return undefined;
  const sequence = Number(text.slice(12));
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : undefined;
}
