/**
 * Where else a key or alias that a request did not find exists: in another Region or account of this process.
 * A local-kms user whose client signs for another Region than KMS_REGION meets NotFoundException (AWS's answer,
 * unchanged); this is what the warning logged beside it says (kmslite.ts), so the cause is one log line away.
 * Pure over the stores; never part of a wire message.
 */
import type { StoreBundle } from '../store/bundle.js';
import { parseArn } from '../util/arn.js';

/** The members of KMS requests that name a key or alias. */
const NAMING_MEMBERS = ['KeyId', 'DestinationKeyId', 'SourceKeyId', 'TargetKeyId', 'AliasName'] as const;

export interface Elsewhere {
  /** What the request named (bare key id or alias name). */
  name: string;
  accountId: string;
  region: string;
}

/** Every other account×Region store that holds a key or alias the request named; [] when none. */
export function findElsewhere(stores: StoreBundle, input: Record<string, unknown>, accountId: string, region: string): Elsewhere[] {
  const names = new Set<string>();
  for (const member of NAMING_MEMBERS) {
    const value = input[member];
    if (typeof value === 'string' && value.length > 0) names.add(resourceName(value));
  }
  const found: Elsewhere[] = [];
  for (const name of names) {
    for (const store of stores.all()) {
      if (store.accountId === accountId && store.region === region) continue;
      const exists = name.startsWith('alias/') ? store.aliases.has(name) : store.keys.has(name);
      if (exists) found.push({ name, accountId: store.accountId, region: store.region });
    }
  }
  return found;
}

/** `arn:aws:kms:r:a:key/ID` → `ID`, `arn:…:alias/x` → `alias/x`; a bare id or alias name as it is. */
function resourceName(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const resource = parseArn(value)?.resource ?? value;
  return resource.startsWith('key/') ? resource.slice(4) : resource;
}
