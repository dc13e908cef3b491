/**
 * The one gate in front of the operator surface (`/_kmslite/*`, `/moto-api/*`, and every page served under them
 * later): adminApp.ts mounts it before any route, so a route added there inherits it. README, "Security".
 *
 * Checks, in order (the first failing one answers, AWS-shaped JSON, HTTP 403):
 *  1. Host: a loopback name or address, the bound address (with a wildcard bind: an address of this machine),
 *     a single-label name (compose service names), or one of --allowed-hosts. A DNS-rebinding page reaches
 *     kmslite under its own multi-label domain name, which none of these match.
 *  2. Who: with --admin-token, `Authorization: Bearer <token>`; without one but with --strict-credentials, only
 *     loopback clients.
 *  3. Cross-site use, for every method but GET/HEAD/OPTIONS: an Origin, when sent, must be this server's own;
 *     Sec-Fetch-Site, when sent, must be same-origin or none; and the request must be one a browser sends only
 *     after a CORS preflight (that kmslite never answers): a non-safelisted Content-Type such as
 *     application/json, or an Authorization / X-Kmslite-Operator header. The one exception is moto's reset
 *     (`POST /moto-api/reset` with no body and no Origin, as moto's client sends it; a browser's POST always
 *     carries an Origin).
 * No Access-Control-* header is ever sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { KmsError } from '../protocol/errors.js';

export interface OperatorGuardSettings {
  /** The address kmslite is bound to (config host). */
  boundHost: string;
  allowedHosts: readonly string[];
  adminToken?: string;
  strictCredentials: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Content types a browser may send cross-site without a preflight (Fetch standard, CORS-safelisted). */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const SINGLE_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const MAX_ECHOED_HOST = 255;

function denied(message: string): KmsError {
  return new KmsError('AccessDeniedException', message, { status: 403 });
}

export function operatorGuard(settings: OperatorGuardSettings): (request: Request, response: Response, next: NextFunction) => void {
  const allowed = new Set(settings.allowedHosts.map((name) => name.toLowerCase()));
  const anyHost = allowed.has('*');
  const bound = normalizeHost(settings.boundHost);
  const wildcard = bound === '0.0.0.0' || bound === '::';
  // With a wildcard bind every address of this machine is "the bound address" (read once: a guard per app).
  const ownAddresses = new Set<string>();
  if (wildcard) for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) ownAddresses.add(entry.address.toLowerCase());
  else ownAddresses.add(bound);
  const tokenDigest = settings.adminToken === undefined ? undefined : digest(settings.adminToken);

  const hostAllowed = (host: string): boolean => {
    if (anyHost || allowed.has(host) || ownAddresses.has(host)) return true;
    if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
    if (isIP(host) === 4) return host.startsWith('127.');
    if (isIP(host) === 6) return host.startsWith('::ffff:127.');
    return SINGLE_LABEL.test(host);
  };

  return (request, _response, next) => {
    const hostHeader = request.headers.host;
    // HTTP/1.0 clients may omit Host; a browser never does, so there is nothing to rebind.
    if (hostHeader !== undefined && !hostAllowed(normalizeHost(hostHeader))) {
      return next(
        denied(
          `Host '${hostHeader.slice(0, MAX_ECHOED_HOST)}' is not allowed for the kmslite operator API: use localhost, the bound address or a single-label name, or add it with --allowed-hosts (KMSLITE_ALLOWED_HOSTS).`,
        ),
      );
    }
    if (tokenDigest !== undefined) {
      if (!bearerMatches(request.headers.authorization, tokenDigest)) {
        return next(denied('The kmslite operator API requires its token: send Authorization: Bearer <token> (the value of KMSLITE_ADMIN_TOKEN / --admin-token).'));
      }
    } else if (settings.strictCredentials && !isLoopback(request.socket.remoteAddress)) {
      return next(denied('With --strict-credentials and no operator token, the kmslite operator API answers loopback clients only; set KMSLITE_ADMIN_TOKEN to allow others.'));
    }
    if (!SAFE_METHODS.has(request.method)) {
      const refusal = crossSiteRefusal(request);
      if (refusal !== undefined) return next(denied(refusal));
    }
    next();
  };
}

/** Why a state-changing request could have come from another site's page; undefined when it cannot have. */
function crossSiteRefusal(request: Request): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, request.headers.host)) {
    return `Cross-site request refused: Origin '${origin.slice(0, MAX_ECHOED_HOST)}' is not this server.`;
  }
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return `Cross-site request refused: Sec-Fetch-Site is '${String(fetchSite).slice(0, 32)}'.`;
  }
  if (isPreflighted(request)) return undefined;
  // originalUrl: `path` is relative to the mount point here.
  if (origin === undefined && request.originalUrl.split('?')[0] === '/moto-api/reset' && hasNoBody(request)) return undefined;
  return 'Operator requests that change state must be sent with Content-Type: application/json (or an X-Kmslite-Operator header), so that no other site can send them.';
}

/** True when a browser would have sent a CORS preflight before this request. */
function isPreflighted(request: IncomingMessage): boolean {
  if (request.headers.authorization !== undefined || request.headers['x-kmslite-operator'] !== undefined) return true;
  const contentType = request.headers['content-type'];
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return !SIMPLE_CONTENT_TYPES.has(mediaType);
}

function hasNoBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false; // includes the opaque origin `null`
  }
}

/** `Name:8080` → `name`; `[::1]:8080` → `::1`; a trailing dot dropped. */
function normalizeHost(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    name = end === -1 ? name.slice(1) : name.slice(1, end);
  } else if (name.indexOf(':') !== name.lastIndexOf(':')) {
    // A bare IPv6 address (config host); Host headers always bracket one.
  } else {
    const colon = name.indexOf(':');
    if (colon !== -1) name = name.slice(0, colon);
  }
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares digests in constant time; the token itself is never logged or echoed. */
function bearerMatches(authorization: string | undefined, expected: Buffer): boolean {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(authorization.slice(7).trim()), expected);
}
