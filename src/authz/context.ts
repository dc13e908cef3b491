/**
 * The request context of one evaluation: condition keys resolved lazily by lower-cased name, so only the keys a
 * policy mentions cost anything. Key names are case-insensitive, the user-defined part included:
 * - IAM User Guide, reference_policies_elements_condition.html: "Condition key names are not case-sensitive";
 * - reference_policies_condition-keys.html (aws:RequestTag, aws:ResourceTag): "Key names are not case-sensitive
 *   ... matches a resource tag key named either TagKey1 or tagkey1, but not both" (kmslite: the first one wins);
 * - KMS Developer Guide, conditions-kms.html#conditions-kms-encryption-context-case: the condition key
 *   "kms:EncryptionContext:" + context-key "is not case sensitive".
 * Precedence: the principal's declared `Context` overrides everything; then the request's own keys; then the
 * keys kmslite derives from the principal, the environment and the resource.
 */
import type { AuthzRequest, ContextValue } from './types.js';
import type { KeyLookup } from './variables.js';

const lowerMaps = new WeakMap<object, Map<string, ContextValue>>();

/**
 * Finds a key in a per-request record without building anything: the record is small and new for every
 * request, so a scan (length first) beats a lower-cased copy. The first key in insertion order wins.
 */
function scan(record: Readonly<Record<string, ContextValue>>, lowerKey: string, written?: string): ContextValue | undefined {
  if (written !== undefined && Object.prototype.hasOwnProperty.call(record, written)) return record[written];
  for (const k in record) {
    if (k.length === lowerKey.length && k.toLowerCase() === lowerKey) return record[k];
  }
  return undefined;
}

/** Lower-cased view of a long-lived key → value record (principal context, tags), built once per object. */
function lowerMap(record: Readonly<Record<string, ContextValue>>): Map<string, ContextValue> {
  let map = lowerMaps.get(record);
  if (!map) {
    map = new Map();
    for (const [k, v] of Object.entries(record)) {
      const lower = k.toLowerCase();
      if (!map.has(lower)) map.set(lower, v);
    }
    lowerMaps.set(record, map);
  }
  return map;
}

function tagValue(tags: Readonly<Record<string, string>>, lowerTagKey: string): string | undefined {
  const value = lowerMap(tags).get(lowerTagKey);
  return typeof value === 'string' ? value : undefined;
}

const PRINCIPAL_TYPE = { Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole' } as const;

/**
 * `identityPolicy`: `aws:ResourceTag/*` and `kms:ResourceAliases` exist only for identity policies
 * (tag-authorization.html: aws:ResourceTag "isn't supported in key policies"; conditions-kms.html
 * kms:ResourceAliases "IAM policies only").
 */
export function contextLookup(request: Omit<AuthzRequest, 'action'>, identityPolicy: boolean): KeyLookup {
  const { principal, environment, resource } = request;
  return (key, written) => {
    const override = lowerMap(principal.context).get(key);
    if (override !== undefined) return override;
    const fromRequest = scan(request.requestKeys, key, written);
    if (fromRequest !== undefined) return fromRequest;
    switch (key) {
      case 'aws:principalarn':
        return principal.principalArn;
      case 'aws:principalaccount':
      case 'kms:calleraccount':
        return principal.accountId;
      case 'aws:principaltype':
        return PRINCIPAL_TYPE[principal.kind];
      case 'aws:userid':
        return principal.userId;
      case 'aws:username':
        return principal.userName;
      case 'aws:currenttime':
        return environment.now.toISOString();
      case 'aws:epochtime':
        return String(Math.floor(environment.now.getTime() / 1000));
      case 'aws:requestedregion':
        return environment.region;
      case 'aws:sourceip':
        return environment.sourceIp;
      case 'aws:securetransport':
        return environment.secureTransport ? 'true' : 'false';
      case 'aws:useragent':
        return environment.userAgent;
      // Requests reach kmslite directly, never through an AWS service.
      case 'aws:principalisawsservice':
      case 'aws:viaawsservice':
        return 'false';
      case 'aws:resourceaccount':
        return resource.kind === 'none' ? undefined : resource.accountId;
      case 'kms:resourcealiases':
        return identityPolicy && resource.kind === 'key' ? resource.aliases : undefined;
    }
    if (key.startsWith('aws:principaltag/')) return tagValue(principal.tags, key.slice('aws:principaltag/'.length));
    if (key.startsWith('aws:resourcetag/')) {
      if (!identityPolicy || resource.kind !== 'key') return undefined;
      // The key's tags may be built on each read (the wiring's getter): scan them, do not cache by object.
      const value = scan(resource.tags, key.slice('aws:resourcetag/'.length));
      return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
}
