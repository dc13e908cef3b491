/**
 * The operator surface, under /_kmslite/ (a prefix the AWS protocol never uses): health, reset, state
 * export and clock control. Express serves only this; errors are AWS-shaped JSON, never HTML.
 * Every route is behind operatorGuard (Host, token, cross-site checks; README "Security").
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KmsError, errorBody } from '../protocol/errors.js';
import { newRequestId } from '../util/ids.js';
import type { AdminTarget } from './adminTarget.js';
import { exportState } from './stateExport.js';
import { parseAuditFilter, type AuditFilter } from '../audit/trail.js';
import { addKeyRoutes } from './adminKeys.js';
import { addConsoleRoutes } from './adminConsole.js';
import { kmsliteVersion } from '../version.js';
import { addAccessControlRoutes } from './adminAccessControl.js';
import { operatorGuard } from './operatorGuard.js';

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

export function createAdminApp(kmslite: AdminTarget): (request: IncomingMessage, response: ServerResponse) => void {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((_request, response, next) => {
    response.setHeader('x-amzn-requestid', newRequestId());
    next();
  });
  // Every operator route, now and later, sits behind this one gate (operatorGuard.ts): mount routes after it.
  app.use(['/_kmslite', '/moto-api'], operatorGuard({
    boundHost: kmslite.config.host,
    allowedHosts: kmslite.config.allowedHosts,
    adminToken: kmslite.config.adminToken,
    strictCredentials: kmslite.config.strictCredentials,
  }));
  app.use('/_kmslite', express.json({ limit: '64kb', type: () => true }));

  const startedAt = Date.now();
  app.get('/_kmslite/health', (_request, response) => {
    response.json({ status: 'ok', version: kmsliteVersion(), uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  const reset = async (_request: Request, response: Response) => {
    const report = await kmslite.reset();
    response.json({ status: 'reset', seededKeys: report?.keys ?? 0, seededAliases: report?.aliases ?? 0 });
  };
  app.post('/_kmslite/reset', reset);
  // moto's server mode (TEST_SERVER_MODE=true) POSTs here before and after every test: answering it as our own
  // reset lets moto's test suites, and suites written in moto's style, run unchanged against kmslite.
  app.post('/moto-api/reset', reset);

  app.get('/_kmslite/state', (request, response) => {
    const includeKeyMaterial = request.query.includeKeyMaterial === 'true';
    if (includeKeyMaterial && !kmslite.config.allowKeyMaterialExport) {
      throw new KmsError(
        'AccessDeniedException',
        'Key material export is off: start kmslite with --allow-key-material-export (KMSLITE_ALLOW_KEY_MATERIAL_EXPORT=true) to allow includeKeyMaterial=true.',
        { status: 403 },
      );
    }
    response.json(exportState(kmslite.stores, { includeKeyMaterial, usage: kmslite.audit }));
  });

  // The audit trail: CloudTrail-shaped events, oldest first (docs/audit.md). Filters: account, region, keyId
  // (bare id or ARN), operation (eventName), from / to (ISO 8601 or epoch seconds), limit (the most recent N).
  app.get('/_kmslite/audit', (request, response) => {
    let filter: AuditFilter;
    try {
      filter = parseAuditFilter(request.query as Record<string, unknown>);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    response.json({ events: kmslite.audit.query(filter, request.query.explain === 'true') });
  });

  app.get('/_kmslite/clock', (_request, response) => response.json(clockState(kmslite)));

  app.post('/_kmslite/clock/advance', async (request, response) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    let totalMs = 0;
    for (const [unit, factor] of Object.entries(DURATION_UNITS_MS)) {
      const value = body[unit];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${unit} must be a number`);
      totalMs += value * factor;
    }
    if (totalMs === 0 && !Object.keys(DURATION_UNITS_MS).some((unit) => unit in body)) {
      throw badRequest('Give the amount to advance as one or more of: milliseconds, seconds, minutes, hours, days');
    }
    kmslite.clock.advance(totalMs);
    await kmslite.commit();
    response.json(clockState(kmslite));
  });

  app.post('/_kmslite/clock/set', async (request, response) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const epochMs =
      typeof body.epochSeconds === 'number' ? body.epochSeconds * 1000 : typeof body.time === 'string' ? Date.parse(body.time) : Number.NaN;
    if (!Number.isFinite(epochMs)) throw badRequest('Give either epochSeconds (number) or time (ISO 8601 string)');
    kmslite.clock.set(epochMs);
    await kmslite.commit();
    // Report the instant that was set: the clock keeps running, and a read a millisecond later would show that.
    response.json(clockState(kmslite, epochMs));
  });

  app.post('/_kmslite/clock/reset', async (_request, response) => {
    kmslite.clock.reset();
    await kmslite.commit();
    response.json(clockState(kmslite));
  });

  // Principals and the access-control simulator (src/server/adminAccessControl.ts).
  addAccessControlRoutes(app, kmslite);

  // The web console and the read-only endpoints it reads (adminConsole.ts, adminKeys.ts; docs/console.md).
  addKeyRoutes(app, kmslite);
  addConsoleRoutes(app);

  app.use('/_kmslite', (request, _response, next) => next(new KmsError('NotFoundException', `No admin endpoint ${request.method} ${request.path}`, { status: 404 })));

  // Not the KMS protocol and not the admin API: answer as an AWS JSON endpoint does, not with a page.
  app.use((request, _response, next) => {
    next(new KmsError('UnknownOperationException', `kmslite serves the KMS API as POST / with X-Amz-Target, and its admin API under /_kmslite/ (got ${request.method} ${request.path}).`));
  });

  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const kmsError =
      error instanceof KmsError
        ? error
        : (error as { type?: string }).type === 'entity.parse.failed'
          ? new KmsError('SerializationException', 'The request body is not valid JSON.', { messageMember: 'Message' })
          : (error as { type?: string }).type === 'entity.too.large'
            ? new KmsError('SerializationException', 'The request body is too large.', { messageMember: 'Message' })
            : new KmsError('KMSInternalException', 'An internal error occurred.');
    if (kmsError.status >= 500) kmslite.logger.error({ err: error }, 'admin request failed');
    response.status(kmsError.status).type('application/x-amz-json-1.1').send(errorBody(kmsError));
  });

  return app as unknown as (request: IncomingMessage, response: ServerResponse) => void;
}

function badRequest(message: string): KmsError {
  return new KmsError('ValidationException', message);
}

function clockState(kmslite: AdminTarget, now = kmslite.clock.now()) {
  return { now: new Date(now).toISOString(), epochSeconds: now / 1000, offsetMs: kmslite.clock.offset };
}
