/**
 * Hints for the mistakes a newcomer makes most (wrong Region or account, an access key kmslite does not know, an
 * unsigned request, a client clock that is off), logged as a warning the first time each cause is seen and not
 * again: the hint is for the person reading the log, not a second line per failing request.
 *
 * `oncePerCause` is the reusable part: anything else that wants a "log once per cause" line uses it too. It
 * remembers at most `limit` causes (a client could invent unbounded ones: every access key a new cause); past
 * that, new causes are no longer hinted at.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestLog } from './pipeline.js';
import type { StoreBundle } from '../store/bundle.js';

export type OncePerCause = (cause: string, log: () => void) => void;

export function oncePerCause(limit = 1000): OncePerCause {
  const seen = new Set<string>();
  return (cause, log) => {
    if (seen.has(cause) || seen.size >= limit) return;
    seen.add(cause);
    log();
  };
}

export interface Hint {
  cause: string;
  message: string;
  fields?: Record<string, string>;
}

/**
 * The hint for a failed request, or undefined. Called only for answers with status ≥ 400 (never on the
 * success path). `headers` are the request's, read only for the access key id of the credential scope.
 */
export function hintFor(log: RequestLog, headers: IncomingHttpHeaders, stores: StoreBundle): Hint | undefined {
  switch (log.error) {
    case 'MissingAuthenticationTokenException':
      return {
        cause: 'unsigned',
        message:
          'hint: a request came without an AWS SigV4 signature. AWS SDKs and the aws CLI sign for you with any credentials (test/test always works); ' +
          'with curl add --aws-sigv4 "aws:amz:<region>:kms" --user test:test',
      };
    case 'UnrecognizedClientException': {
      const accessKeyId = credentialAccessKey(headers) ?? '?';
      return {
        cause: `unknown-access-key:${accessKeyId}`,
        message: `hint: access key ${accessKeyId} has no secret in kmslite's credentials and --strict-credentials is on: use test/test, or add it with --credentials ${accessKeyId}:<secret>`,
        fields: { accessKeyId },
      };
    }
    case 'InvalidSignatureException':
      if (log.errorMessage?.startsWith('Signature expired') || log.errorMessage?.startsWith('Signature not yet current')) {
        return {
          cause: 'clock-skew',
          message:
            "hint: the client's signing time is more than 5 minutes away from this machine's clock (SigV4 allows 5 minutes): check the client's clock. " +
            "kmslite's own clock (/_kmslite/clock) does not move the signing window.",
        };
      }
      return undefined;
    case 'NotFoundException':
      return elsewhereHint(log, stores);
    default:
      return undefined;
  }
}

/** `Credential=<access key id>/<date>/...` from the Authorization header or the presigned query. */
function credentialAccessKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  const match = typeof authorization === 'string' ? /Credential=([^/,\s]+)\//.exec(authorization) : null;
  return match?.[1];
}

/** The key (or alias) asked for is not in the caller's account and Region, but is in another one. */
function elsewhereHint(log: RequestLog, stores: StoreBundle): Hint | undefined {
  if (log.keyId === undefined || log.accountId === undefined || log.region === undefined) return undefined;
  const wanted = keyOrAliasName(log.keyId);
  if (wanted === undefined) return undefined;
  const regions: string[] = [];
  const accounts: string[] = [];
  for (const store of stores.all()) {
    if (store.accountId === log.accountId && store.region === log.region) continue;
    if (!(wanted.startsWith('alias/') ? store.aliases.has(wanted) : store.keys.has(wanted))) continue;
    if (store.accountId === log.accountId) regions.push(store.region);
    else accounts.push(`${store.accountId} (Region ${store.region})`);
  }
  const where = `hint: ${wanted} is not in account ${log.accountId} Region ${log.region} (the account comes from the access key, the Region from the request's signature)`;
  if (regions.length > 0) {
    return {
      cause: `elsewhere:${log.accountId}/${log.region}/${wanted}`,
      message: `${where}, but it is in Region ${regions.slice(0, 3).join(', ')}: point the client at that Region (AWS_REGION, --region)`,
    };
  }
  if (accounts.length > 0) {
    return {
      cause: `elsewhere:${log.accountId}/${log.region}/${wanted}`,
      message:
        `${where}, but it is in account ${accounts.slice(0, 3).join(', ')}: use an access key of that account ` +
        '(--credentials KEY:SECRET:ACCOUNT, or the 12-digit account id as the access key id)',
    };
  }
  return undefined;
}

/** A key id, a key ARN's key id, an alias name or an alias ARN's alias name; undefined for anything else. */
function keyOrAliasName(keyId: string): string | undefined {
  if (keyId.startsWith('arn:')) {
    const resource = keyId.split(':').slice(5).join(':');
    if (resource.startsWith('key/')) return resource.slice(4);
    if (resource.startsWith('alias/')) return resource;
    return undefined;
  }
  return keyId;
}
