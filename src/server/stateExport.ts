import type { StoreBundle } from '../store/bundle.js';
import { sortedTags } from '../operations/_shared/tags.js';

/**
 * A JSON view of every store, for the admin API. Key material is left out unless asked for: it is as
 * sensitive here as in AWS.
 */
export function exportState(stores: StoreBundle, options: { includeKeyMaterial: boolean }) {
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
        lastUsage: key.lastUsage,
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
