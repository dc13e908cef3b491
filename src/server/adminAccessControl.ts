/**
 * The admin API of access control (docs/access-control.md):
 *   GET  /_kmslite/principals                  the declared principals (never a SecretAccessKey)
 *   PUT  /_kmslite/principals/<accessKeyId>    declares or replaces one (a seed `Principals:` entry; gone at reset)
 *   POST /_kmslite/authz/simulate              "may this caller do this action on this key?", without side effects
 * Simulate runs the same code as a real request (kms/authorize.ts) in `audit` mode, so it never
 * refuses and changes nothing; it works whatever --access-control says.
 */
import type { Express } from 'express';
import { KmsError } from '../protocol/errors.js';
import type { AdminTarget } from './adminTarget.js';
import { AccessControl, type PrincipalDeclaration } from './accessControl.js';
import { validateSeed } from '../config/generated/seedValidator.js';
import { OPERATION_NAMES, type OperationName } from '../model/generated/operations.js';
import type { OperationContext, RequestAuthz } from '../kms/context.js';
import { authorizeKey, authorizeOperationWithoutKey, authorizeWithoutKey, hasNoKeyResource } from '../kms/authorize.js';
import type { KeyRecord } from '../store/records.js';
import type { RegionStore } from '../store/regionStore.js';
import { parseArn } from '../util/arn.js';
import { newRequestId } from '../util/ids.js';

export function addAccessControlRoutes(app: Express, kmslite: AdminTarget): void {
  app.get('/_kmslite/principals', (_request, response) => {
    response.json({ accessControl: kmslite.config.accessControl, principals: kmslite.principals.list() });
  });

  app.put('/_kmslite/principals/:accessKeyId', (request, response) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object shaped as a seed Principals: entry');
    const accessKeyId = request.params.accessKeyId!;
    if (body.AccessKeyId !== undefined && body.AccessKeyId !== accessKeyId) throw badRequest(`AccessKeyId ${String(body.AccessKeyId)} does not match the path (${accessKeyId})`);
    const declaration = { ...body, AccessKeyId: accessKeyId };
    if (!validateSeed({ Principals: [declaration] })) {
      const [first] = (validateSeed as unknown as { errors?: { instancePath: string; message?: string }[] }).errors ?? [];
      const where = first?.instancePath ? first.instancePath.replace(/^\/Principals\/0\/?/, '').replace(/\//g, '.') : '';
      throw badRequest(`Invalid principal${where ? ` ${where}` : ''}: ${first?.message ?? 'is invalid'}`);
    }
    let view;
    try {
      view = kmslite.principals.put(declaration as unknown as PrincipalDeclaration);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    response.json({ principal: view });
  });

  app.post('/_kmslite/authz/simulate', (request, response) => {
    response.json(simulate(kmslite, (request.body ?? {}) as Record<string, unknown>));
  });
}

const OPERATIONS = new Set<string>(OPERATION_NAMES);

/**
 * Body: `{ accessKeyId, operation, keyId?, action?, input?, region? }`. `action` picks one check of an operation
 * that makes several (ReEncryptFrom / ReEncryptTo); `input` is the request's parameters as the SDK sends them
 * (condition keys come from it: EncryptionContext, Tags, ...). Alias operations take the alias from
 * input.AliasName and the new target from keyId or input.TargetKeyId, and make every check the real request makes.
 */
function simulate(kmslite: AdminTarget, body: Record<string, unknown>) {
  const accessKeyId = body.accessKeyId;
  if (typeof accessKeyId !== 'string' || accessKeyId === '') throw badRequest('accessKeyId is required: the access key of the caller to simulate');
  const operation = body.operation;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) throw badRequest('operation must be a KMS operation name (Encrypt, CreateKey, ...)');
  const region = typeof body.region === 'string' ? body.region : kmslite.config.region;
  const input = body.input === undefined ? {} : body.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('input must be an object (the request parameters)');
  const action = typeof body.action === 'string' ? body.action : operation;

  const credential = kmslite.config.credentials.get(accessKeyId);
  const claimedAccount = credential?.accountId ?? (/^\d{12}$/.test(accessKeyId) ? accessKeyId : kmslite.config.accountId);
  const principal = (kmslite.accessControl ?? simulationAccessControl(kmslite)).principalFor(accessKeyId, claimedAccount, region);
  const now = new Date(kmslite.clock.now());
  const context: OperationContext = {
    requestId: newRequestId(),
    operation: operation as OperationName,
    accountId: principal.accountId,
    region,
    accessKeyId,
    now,
    store: kmslite.stores.get(principal.accountId, region),
    stores: kmslite.stores,
  };
  const authz: RequestAuthz = {
    mode: 'audit',
    requestId: context.requestId,
    principal,
    environment: { now, region, secureTransport: kmslite.config.assumeSecureTransport },
    input: input as Record<string, unknown>,
    decisions: [],
  };
  context.authz = authz;
  // As the pipeline does for every request: the checks without a key resource (CreateKey, ListKeys...; ReplicateKey's
  // kms:CreateKey in the replica Region). A no-op for the other operations.
  authorizeOperationWithoutKey(context);
  if (ALIAS_OPERATIONS.has(operation)) {
    simulateAliasOperation(context, kmslite, body, input as Record<string, unknown>);
  } else if (!hasNoKeyResource(operation)) {
    authorizeKey(context, requiredKey(context, kmslite, body.keyId, operation), action, body.keyId as string);
  }
  const denial = authz.decisions.find((recorded) => !recorded.decision.allowed);
  return {
    principal: { arn: principal.arn, type: principal.kind, accountId: principal.accountId },
    allowed: denial === undefined,
    decision: denial ? denial.decision.decision : 'Allow',
    ...(denial?.decision.message !== undefined ? { message: denial.decision.message } : {}),
    checks: authz.decisions.map((recorded) => ({ action: recorded.action, resource: recorded.resource, ...recorded.decision })),
  };
}

const ALIAS_OPERATIONS = new Set(['CreateAlias', 'UpdateAlias', 'DeleteAlias']);

function requiredKey(context: OperationContext, kmslite: AdminTarget, keyId: unknown, operation: string): KeyRecord {
  if (typeof keyId !== 'string') throw badRequest(`keyId is required for ${operation} (key id, key ARN, alias name or alias ARN)`);
  const key = findKeyWithoutSideEffects(context.store, kmslite, keyId);
  if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`, { status: 404 });
  return key;
}

/**
 * The checks of an alias operation, in the order the operation makes them (kms/aliasChanges.ts: createAliasTo,
 * moveAlias, removeAlias): the alias ARN against identity policies, then the key the alias points to now
 * (UpdateAlias, DeleteAlias), then the new target key (CreateAlias, UpdateAlias: input.TargetKeyId, or keyId).
 */
function simulateAliasOperation(context: OperationContext, kmslite: AdminTarget, body: Record<string, unknown>, input: Record<string, unknown>): void {
  const operation = context.operation;
  const aliasName = input.AliasName;
  if (typeof aliasName !== 'string' || !aliasName.startsWith('alias/')) throw badRequest(`input.AliasName (alias/...) is required for ${operation}`);
  authorizeWithoutKey(context, operation, context.store.aliasArn(aliasName));
  const alias = context.store.aliases.get(aliasName);
  const current = alias ? context.store.keys.get(alias.TargetKeyId) : undefined;
  if (operation !== 'CreateAlias') {
    if (!current) throw new KmsError('NotFoundException', `Alias ${context.store.aliasArn(aliasName)} is not found.`, { status: 404 });
    authorizeKey(context, current, operation);
  }
  if (operation !== 'DeleteAlias') {
    const target = body.keyId ?? input.TargetKeyId;
    authorizeKey(context, requiredKey(context, kmslite, target, operation), operation, target as string);
  }
}

/** With --access-control off there is no AccessControl; simulate still answers, with the same principal rules. */
function simulationAccessControl(kmslite: AdminTarget): AccessControl {
  return new AccessControl('audit', kmslite.principals, kmslite.config.assumeSecureTransport, kmslite.stores, kmslite.logger);
}

/** Key id, key ARN, alias name or alias ARN → the key, read straight from the store (no elapsed-time updates). */
function findKeyWithoutSideEffects(store: RegionStore, kmslite: AdminTarget, keyId: string): KeyRecord | undefined {
  let target = store;
  let resource = keyId;
  if (keyId.startsWith('arn:')) {
    const parsed = parseArn(keyId);
    const found = parsed && kmslite.stores.find(parsed.accountId, parsed.region);
    if (!parsed || !found) return undefined;
    target = found;
    resource = parsed.resource.startsWith('key/') ? parsed.resource.slice(4) : parsed.resource;
  }
  if (resource.startsWith('alias/')) {
    const alias = target.aliases.get(resource);
    return alias ? target.keys.get(alias.TargetKeyId) : undefined;
  }
  return target.keys.get(resource);
}

function badRequest(message: string): KmsError {
  return new KmsError('ValidationException', message);
}
