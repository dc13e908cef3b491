/**
 * The web console's files (docs/console.md): a plain HTML page, a stylesheet and ES modules from src/console,
 * served at /_kmslite/console/ by the admin app, so they sit behind the same gate as every operator route.
 * Also GET /_kmslite/, the operator surface's index, which links to the console.
 *
 * The console is static: it holds no data and reads everything through the operator API. Its files are read
 * once, on first request, from the folder found next to the running code (src/console when run from the
 * sources, dist/console in the package and the image: scripts/bundle.mjs copies it there).
 */
import type { Express, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KmsError } from '../protocol/errors.js';
import { CONSOLE_PATH } from './consolePath.js';

/** Every file the console has; nothing else is served from its folder. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'keys.js': 'text/javascript; charset=utf-8',
  'activity.js': 'text/javascript; charset=utf-8',
  'tools.js': 'text/javascript; charset=utf-8',
};

/**
 * This module runs from src/server (tests), dist/src/server (tsc output) or dist/bundle/server.cjs (bundled);
 * the console folder is src/console or dist/console.
 */
const CONSOLE_DIR = ['../console/', '../../console/']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((path) => existsSync(`${path}index.html`));

/**
 * No script or style from anywhere but this server, no inline code, no framing (clickjacking), no form posts
 * elsewhere; connect-src 'self' keeps the page's own requests on kmslite.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

interface ConsoleFile {
  body: Buffer;
  etag: string;
}

export function addConsoleRoutes(app: Express): void {
  const cache = new Map<string, ConsoleFile>();
  const load = (name: string): ConsoleFile | undefined => {
    if (!CONSOLE_DIR || FILES[name] === undefined) return undefined;
    let file = cache.get(name);
    if (!file) {
      const body = readFileSync(`${CONSOLE_DIR}${name}`);
      file = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      cache.set(name, file);
    }
    return file;
  };

  // Express matches these with and without the trailing slash: the slash-less form redirects, so the page's
  // relative links resolve under the folder.
  app.get('/_kmslite', (request, response) => {
    if (!request.path.endsWith('/')) {
      response.redirect(301, '/_kmslite/');
      return;
    }
    if (request.accepts(['json', 'html']) === 'html') {
      send(response, 'text/html; charset=utf-8', Buffer.from(INDEX_HTML));
      return;
    }
    response.json({ console: CONSOLE_PATH, endpoints: ENDPOINTS });
  });
  app.get('/_kmslite/console', (request, response, next) => {
    if (!request.path.endsWith('/')) response.redirect(301, CONSOLE_PATH);
    else serve('index.html', request.headers['if-none-match'], response, next);
  });
  app.get('/_kmslite/console/:name', (request, response, next) => serve(request.params.name, request.headers['if-none-match'], response, next));

  function serve(name: string, ifNoneMatch: string | undefined, response: Response, next: (error: unknown) => void): void {
    const file = load(name);
    if (!file) {
      next(new KmsError('NotFoundException', CONSOLE_DIR ? `The console has no file ${name}` : 'The console files are not installed with this kmslite', { status: 404 }));
      return;
    }
    response.setHeader('etag', file.etag);
    response.setHeader('cache-control', 'no-cache');
    if (ifNoneMatch === file.etag) {
      for (const [header, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(header, value);
      response.status(304).end();
      return;
    }
    send(response, FILES[name]!, file.body);
  }
}

function send(response: Response, contentType: string, body: Buffer): void {
  for (const [header, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(header, value);
  response.status(200).type(contentType).send(body);
}

const ENDPOINTS = [
  'GET /_kmslite/health',
  'GET /_kmslite/state',
  'GET /_kmslite/stores',
  'GET /_kmslite/keys?account=&region=',
  'GET /_kmslite/keys/<account>/<region>/<keyId>',
  'GET /_kmslite/audit',
  'POST /_kmslite/ciphertext/inspect',
  'GET /_kmslite/clock',
  'POST /_kmslite/clock/advance',
  'POST /_kmslite/clock/set',
  'POST /_kmslite/clock/reset',
  'POST /_kmslite/reset',
];

const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kmslite operator API</title></head>
<body><h1>kmslite operator API</h1>
<p><a href="${CONSOLE_PATH}">Open the web console</a></p>
<ul>${ENDPOINTS.map((endpoint) => `<li><code>${endpoint.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code></li>`).join('')}</ul>
</body></html>
`;
