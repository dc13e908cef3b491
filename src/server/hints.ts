/**
 * Hints for the mistakes a newcomer makes most (an access key kmslite does not know, an
 * unsigned request, a client clock that is off), logged as a warning the first time each cause is seen and not
 * again: the hint is for the person reading the log, not a second line per failing request.
 *
 * `oncePerCause` is the reusable part: anything else that wants a "log once per cause" line uses it too. It
 * remembers at most `limit` causes (a client could invent unbounded ones: every access key a new cause); past
 * that, new causes are no longer hinted at.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestLog } from './pipeline.js';

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
export function hintFor(log: RequestLog, headers: IncomingHttpHeaders): Hint | undefined {
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
    // NotFoundException for a key held by another Region or account: the pipeline's onNotFound warning
    // (Kmslite.warnWhereElse, src/server/notFoundHint.ts), which sees every member of the request naming a key.
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
