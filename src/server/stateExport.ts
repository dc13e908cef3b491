import type { StoreBundle } from '../store/bundle.js';
import { sortedTags } from '../kms/tags.js';
import type { KeyUsageIndex } from '../audit/trail.js';

/**
 * A JSON view of every store, for the admin API. Key material is left out unless asked for: it is as
 * sensitive here as in AWS.
 */
export function exportState(stores: StoreBundle, options: { includeKeyMaterial: boolean; usage?: KeyUsageIndex }) {
  return {
    stores: stores.all().map((store) => ({
      accountId: store.accountId,
      region: store.region,
      keys: [...store.keys.values()].map((key) => ({
        metadata: key.metadata,
        policy: key.policy,
        tags: sortedTags(key.tags),
        aliases: [...key.aliasNames],
        rotation: key.rotation,
        lastUsage: lastUsage(options.usage, key.metadata.Arn),
        grants: [...key.grants.values()],
        keyMaterials: key.materials.map((material) => ({
          keyMaterialId: material.id,
          rotationDate: material.rotationDate,
          rotationType: material.rotationType,
          ...(options.includeKeyMaterial ? { material: material.bytes.toString('hex') } : {}),
        })),
      })),
      aliases: [...store.aliases.values()],
    })),
  };
}

/** The key's last use from the audit trail, in the shape this export had before the trail existed. */
function lastUsage(usage: KeyUsageIndex | undefined, keyArn: string) {
  const use = usage?.lastUse(keyArn);
  return use && { operation: use.operation, timestamp: new Date(use.timestampMs), requestId: use.requestId, eventId: use.eventId };
}
