/**
 * The signing half of SigV4 verification (src/server/sigv4.ts runs it): the canonical forms of the URI, the query
 * and header values, and the derived signing key with its HMAC. Only the verifier calls these; nothing here logs or
 * returns a key, a canonical request or a signature.
 */
import { createHmac, hash } from 'node:crypto';
import { SERVICE, TERMINATOR } from './sigv4Texts.js';
import type { QueryParam } from './sigv4Parse.js';

// ---------------------------------------------------------------------------------------------------------------
// Signing-key cache: HMAC chain per (secret, date, region), bounded, oldest evicted first.
// ---------------------------------------------------------------------------------------------------------------

const SIGNING_KEY_CACHE_MAX = 64;
const signingKeyCache = new Map<string, SigningKey>();

/**
 * A derived signing key, kept as its two HMAC-SHA256 pad blocks (RFC 2104: key ⊕ ipad, key ⊕ opad), so the
 * per-request HMAC of the string to sign is two one-shot SHA-256 calls instead of a new Hmac object each time.
 */
interface SigningKey {
  /** 64 bytes key ⊕ 0x36, followed by room for the message. */
  inner: Buffer;
  /** 64 bytes key ⊕ 0x5c, followed by the 32-byte inner digest. */
  outer: Buffer;
}

/** The last key used: a client signs every request of a day with the same secret, date and Region. */
let lastSigningKey: { secret: string; date: string; region: string; key: SigningKey } | undefined;

export function signingKey(secret: string, date: string, region: string): SigningKey {
  const last = lastSigningKey;
  if (last !== undefined && last.date === date && last.region === region && last.secret === secret) return last.key;
  const key = cachedSigningKey(secret, date, region);
  lastSigningKey = { secret, date, region, key };
  return key;
}

function cachedSigningKey(secret: string, date: string, region: string): SigningKey {
  const cacheKey = `${date}\u0000${region}\u0000${secret}`;
  const cached = signingKeyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const kDate = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(SERVICE).digest();
  const kSigning = createHmac('sha256', kService).update(TERMINATOR).digest();
  if (signingKeyCache.size >= SIGNING_KEY_CACHE_MAX) {
    const oldest = signingKeyCache.keys().next().value;
    if (oldest !== undefined) signingKeyCache.delete(oldest);
  }
  const key = padBlocks(kSigning);
  signingKeyCache.set(cacheKey, key);
  return key;
}

const HMAC_BLOCK = 64;

/** The pad blocks of a 32-byte key (shorter than SHA-256's 64-byte block, so it is zero-padded, not hashed). */
function padBlocks(key: Buffer): SigningKey {
  const inner = Buffer.alloc(HMAC_BLOCK + 512, 0x36);
  const outer = Buffer.alloc(HMAC_BLOCK + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i] = key[i]! ^ 0x36;
    outer[i] = key[i]! ^ 0x5c;
  }
  return { inner, outer };
}

/** HMAC-SHA256(key, UTF-8 of message) as lowercase hex: SHA256(outer ‖ SHA256(inner ‖ message)). */
export function hmacHex(key: SigningKey, message: string): string {
  const needed = HMAC_BLOCK + Buffer.byteLength(message, 'utf8');
  if (needed > key.inner.length) {
    const grown = Buffer.alloc(needed * 2);
    key.inner.copy(grown, 0, 0, HMAC_BLOCK);
    key.inner = grown;
  }
  const length = HMAC_BLOCK + key.inner.write(message, HMAC_BLOCK, 'utf8');
  // The inner digest as a latin1 text (one byte per character) written into the outer block: no Buffer per call.
  key.outer.write(hash('sha256', key.inner.subarray(0, length), 'binary'), HMAC_BLOCK, 'latin1');
  return hash('sha256', key.outer, 'hex');
}

/** For tests: empty the signing-key cache. */
export function clearSigningKeyCache(): void {
  signingKeyCache.clear();
  lastSigningKey = undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical forms (all regexes are module-level, compiled once)
// ---------------------------------------------------------------------------------------------------------------

const WHITESPACE_RUN = /[ \t]+/g;
const NEEDS_COLLAPSE = /[ \t][ \t]|\t/;
const RFC3986_EXTRA = /[!'()*]/g;
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** SigV4 URI encoding: every byte except A-Z a-z 0-9 - _ . ~ as %XX (uppercase). */
function uriEncode(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded (it cannot come from a decoded URL; defensive only).
    encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  }
  return encoded.replace(RFC3986_EXTRA, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Canonical URI for every service but S3: remove empty, `.` and `..` segments, then URI-encode the path as
 * received (so an already %-encoded segment is encoded a second time), keeping `/`. Same as botocore and
 * @smithy/signature-v4. KMS always uses `/`.
 */
export function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  if (segments.length === 0) return '/';
  return '/' + segments.join('/') + (path.endsWith('/') ? '/' : '');
}

/** Every parameter except X-Amz-Signature, both halves URI-encoded, sorted by key then value (code-unit order). */
export function canonicalQuery(params: readonly QueryParam[]): string {
  if (params.length === 0) return '';
  const encoded: [string, string][] = [];
  for (const p of params) {
    if (p.key === 'X-Amz-Signature') continue;
    encoded.push([uriEncode(p.key), uriEncode(p.value)]);
  }
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i] as [string, string];
    out += (i === 0 ? '' : '&') + pair[0] + '=' + pair[1];
  }
  return out;
}

/**
 * Trimall: trim, and collapse every inner run of spaces/tabs to one space (as @smithy/signature-v4 does; Node has
 * already rejected CR/LF in header values).
 */
export function canonicalHeaderValue(value: string): string {
  const trimmed = value.trim();
  return NEEDS_COLLAPSE.test(trimmed) ? trimmed.replace(WHITESPACE_RUN, ' ') : trimmed;
}
