/**
 * Read-only operator endpoints the web console (docs/console.md) reads, beside /_kmslite/state:
 *   GET  /_kmslite/stores                                   every account×Region store with its counts
 *   GET  /_kmslite/keys?account=&region=                    key summaries of one store
 *   GET  /_kmslite/keys/<account>/<region>/<keyId>          one key: metadata, policy, aliases, tags, rotation,
 *                                                           grants, key material ids, public key, last use
 *   POST /_kmslite/ciphertext/inspect  {ciphertextBlob}     which key and key material made a blob (header only)
 * None of them ever returns key material. Keys are read as ListKeys reads them (resolveKey.liveKey): time that
 * passed is applied first (a deletion that fell due happens, a rotation that fell due is made), so the console
 * never contradicts the API after a clock move. The inspect route is a POST only because a blob can be larger
 * than a URL should be; it changes nothing.
 */
import type { Express } from 'express';
import { KmsError } from '../protocol/errors.js';
import type { AdminTarget } from './adminTarget.js';
import type { OperationContext } from '../kms/context.js';
import { liveKey } from '../kms/resolveKey.js';
import { sortedTags } from '../kms/tags.js';
import type { KeyRecord } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';
import { parseBlob } from '../crypto/ciphertextBlob.js';
import { parseLocalKmsBlob } from '../crypto/localKmsBlob.js';
import { parseArn } from '../util/arn.js';
import { newRequestId } from '../util/ids.js';

const ACCOUNT = /^\d{12}$/;
/** Region names as kmslite keeps them (store keys); the check only keeps odd text out of messages. */
const REGION = /^[a-z0-9-]{1,40}$/;
/** A base64 ciphertext of CiphertextType's 6144 bytes is 8192 characters; allow whitespace and a margin. */
const MAX_BLOB_TEXT = 16_384;

export function addKeyRoutes(app: Express, kmslite: AdminTarget): void {
  app.get('/_kmslite/stores', async (_request, response) => {
    const stores = kmslite.stores.all().map((store) => {
      const keys = liveKeys(kmslite, store);
      return {
        accountId: store.accountId,
        region: store.region,
        keys: keys.length,
        aliases: store.aliases.size,
        pendingDeletion: keys.filter((key) => key.metadata.KeyState === 'PendingDeletion' || key.metadata.KeyState === 'PendingReplicaDeletion').length,
        disabled: keys.filter((key) => key.metadata.KeyState === 'Disabled').length,
      };
    });
    await kmslite.commit();
    response.json({ defaultAccountId: kmslite.config.accountId, defaultRegion: kmslite.config.region, stores });
  });

  app.get('/_kmslite/keys', async (request, response) => {
    const store = storeOf(kmslite, request.query.account, request.query.region);
    const keys = store ? liveKeys(kmslite, store).map((key) => keySummary(kmslite, key)) : [];
    await kmslite.commit();
    response.json({ keys });
  });

  app.get('/_kmslite/keys/:account/:region/:keyId', async (request, response) => {
    const { account, region, keyId } = request.params;
    const store = storeOf(kmslite, account, region);
    const key = store && liveKey(readContext(kmslite, store), store, keyId);
    await kmslite.commit();
    if (!store || !key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist in account ${account}, Region ${region}`, { status: 404 });
    response.json(keyDetails(kmslite, store, key));
  });

  app.post('/_kmslite/ciphertext/inspect', (request, response) => {
    const text = (request.body as { ciphertextBlob?: unknown } | undefined)?.ciphertextBlob;
    if (typeof text !== 'string' || text.trim() === '') throw badRequest('ciphertextBlob is required: the ciphertext as base64 text');
    if (text.length > MAX_BLOB_TEXT) throw badRequest(`ciphertextBlob is too long (at most ${MAX_BLOB_TEXT} characters)`);
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw badRequest('ciphertextBlob is not base64 text');
    response.json(inspectCiphertext(kmslite, Buffer.from(compact, 'base64')));
  });
}

/** The store named by the query, or undefined when it has never been used (no key was ever made there). */
function storeOf(kmslite: AdminTarget, account: unknown, region: unknown): RegionStore | undefined {
  if (typeof account !== 'string' || !ACCOUNT.test(account)) throw badRequest('account must be a 12-digit account id');
  if (typeof region !== 'string' || !REGION.test(region)) throw badRequest('region must be a Region name such as eu-west-2');
  return kmslite.stores.find(account, region);
}

/** A context for liveKey as a read-only operation: time is applied, nothing else changes. */
function readContext(kmslite: AdminTarget, store: RegionStore): OperationContext {
  return {
    requestId: newRequestId(),
    operation: 'DescribeKey',
    accountId: store.accountId,
    region: store.region,
    accessKeyId: '',
    now: new Date(kmslite.clock.now()),
    store,
    stores: kmslite.stores,
  };
}

/** The store's keys in creation order, as ListKeys sees them now. */
function liveKeys(kmslite: AdminTarget, store: RegionStore): KeyRecord[] {
  const context = readContext(kmslite, store);
  const keys: KeyRecord[] = [];
  let marker: string | undefined;
  do {
    const page = store.keyIdsPage(marker, 1000);
    for (const keyId of page.ids) {
      const key = liveKey(context, store, keyId);
      if (key) keys.push(key);
    }
    marker = page.nextMarker;
  } while (marker !== undefined);
  return keys;
}

function keySummary(kmslite: AdminTarget, key: KeyRecord) {
  const metadata = key.metadata;
  return {
    keyId: metadata.KeyId,
    arn: metadata.Arn,
    aliases: [...key.aliasNames].sort(),
    description: metadata.Description,
    keyState: metadata.KeyState,
    keySpec: metadata.KeySpec,
    keyUsage: metadata.KeyUsage,
    origin: metadata.Origin,
    keyManager: metadata.KeyManager,
    multiRegionRole: metadata.MultiRegionConfiguration?.MultiRegionKeyType ?? (metadata.MultiRegion ? 'PRIMARY' : null),
    creationDate: metadata.CreationDate,
    deletionDate: metadata.DeletionDate ?? null,
    rotationEnabled: key.rotation.enabled,
    lastUse: lastUse(kmslite, metadata.Arn),
  };
}

function keyDetails(kmslite: AdminTarget, store: RegionStore, key: KeyRecord) {
  const current = key.materials[key.materials.length - 1];
  return {
    accountId: store.accountId,
    region: store.region,
    metadata: key.metadata,
    policy: key.policy,
    aliases: [...key.aliasNames].sort().map((name) => ({ aliasName: name, aliasArn: store.aliasArn(name), ...aliasDates(store, name) })),
    tags: sortedTags(key.tags),
    rotation: {
      enabled: key.rotation.enabled,
      periodInDays: key.rotation.periodInDays ?? null,
      nextRotationDate: key.rotation.nextRotationDate ?? null,
      onDemandRotations: key.rotation.onDemandRotations,
      onDemandRotationStartDate: key.rotation.onDemandRotationStartDate ?? null,
    },
    // ListKeyRotations' entries: every material that became current through a rotation, oldest first.
    rotations: key.materials
      .filter((material) => material.rotationDate !== undefined)
      .map((material) => ({ keyMaterialId: material.id, rotationDate: material.rotationDate, rotationType: material.rotationType })),
    keyMaterials: key.materials.map((material) => ({
      keyMaterialId: material.id,
      current: material === current,
      rotationDate: material.rotationDate ?? null,
      rotationType: material.rotationType ?? null,
      ...(material.imported
        ? { importState: material.imported.state, expirationModel: material.imported.expirationModel ?? null, validTo: material.imported.validTo ?? null }
        : {}),
    })),
    grants: [...key.grants.values()].map(({ sequence: _sequence, ...grant }) => grant),
    publicKeyPem: current?.publicKey ? toPem(current.publicKey) : null,
    lastUse: lastUse(kmslite, key.metadata.Arn),
  };
}

function aliasDates(store: RegionStore, aliasName: string) {
  const alias = store.aliases.get(aliasName);
  return alias ? { creationDate: alias.CreationDate, lastUpdatedDate: alias.LastUpdatedDate } : {};
}

function lastUse(kmslite: AdminTarget, keyArn: string) {
  const use = kmslite.audit.lastUse(keyArn);
  return use ? { operation: use.operation, timestamp: new Date(use.timestampMs), requestId: use.requestId, eventId: use.eventId } : null;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/**
 * Reads the header of a symmetric ciphertext (docs/contributing/ciphertext-format.md): the key id and key material id, and
 * every store holding that key, with the material's place in its rotation history. Decrypts nothing.
 */
export function inspectCiphertext(kmslite: AdminTarget, blob: Buffer) {
  const parsed = parseBlob(blob);
  if (parsed) {
    const matches = [];
    for (const store of kmslite.stores.all()) {
      const key = liveKey(readContext(kmslite, store), store, parsed.keyId);
      if (!key) continue;
      const index = key.materials.findIndex((material) => material.id === parsed.keyMaterialId);
      const material = index === -1 ? undefined : key.materials[index];
      matches.push({
        accountId: store.accountId,
        region: store.region,
        keyArn: key.metadata.Arn,
        keyState: key.metadata.KeyState,
        aliases: [...key.aliasNames].sort(),
        keyMaterial: material
          ? { found: true, index, current: index === key.materials.length - 1, rotationDate: material.rotationDate ?? null, rotationType: material.rotationType ?? null }
          : { found: false },
      });
    }
    return { format: 'kmslite-v1', keyId: parsed.keyId, keyMaterialId: parsed.keyMaterialId, ciphertextBytes: parsed.ciphertext.length, matches };
  }
  const localKms = parseLocalKmsBlob(blob);
  const arn = localKms && parseArn(localKms.keyArn);
  if (localKms && arn) {
    const keyId = arn.resource.startsWith('key/') ? arn.resource.slice(4) : arn.resource;
    const store = kmslite.stores.find(arn.accountId, arn.region);
    const key = store && liveKey(readContext(kmslite, store), store, keyId);
    return {
      format: 'local-kms',
      keyId,
      keyArn: localKms.keyArn,
      backingKeyIndex: localKms.backingKeyIndex,
      ciphertextBytes: localKms.ciphertext.length,
      matches: store && key ? [{ accountId: store.accountId, region: store.region, keyArn: key.metadata.Arn, keyState: key.metadata.KeyState, aliases: [...key.aliasNames].sort() }] : [],
    };
  }
  return {
    format: 'unknown',
    message: 'Not a kmslite or local-kms symmetric ciphertext: asymmetric (RSA, SM2) ciphertexts and blobs made elsewhere carry no key id kmslite can read.',
  };
}

function badRequest(message: string): KmsError {
  return new KmsError('ValidationException', message);
}
