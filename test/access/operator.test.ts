/**
 * The operator's side of access control: `audit` mode, the audit events' userIdentity and decisions
 * (`?explain=true`), POST /_kmslite/authz/simulate, the principals API and its reset, principals in the seed
 * file (restart, errors). Research §5.1, §5.8, §6.5-6.8.
 */
import { CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RunningKmslite } from '../../src/index.js';
import { errorOf, kmsClient, startTestKmslite, useKmslite, withKmslite } from '../helpers/fixture.js';
import { ACCOUNT_ID, ROOT_ARN, admin, clientFor, deniedText, identityPolicy, refusal, roleSession, user } from './helpers.js';

const plaintext = Buffer.from('secret data');
const alice = user('alice');
const session = roleSession('app', 'ci-run', {
  RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/service/app`,
  Policies: [identityPolicy('encrypt', { Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' })],
});

async function auditEvents(running: RunningKmslite, query: string): Promise<any[]> {
  const response = await admin(running, 'GET', `/_kmslite/audit?${query}`);
  expect(response.status).toBe(200);
  return response.json.events;
}

describe('audit mode', () => {
  let running: RunningKmslite;
  const lines: any[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  useKmslite((server) => ({ running } = server), { accessControl: 'audit', principals: [alice], logLevel: 'warn', logStream });

  test('a request enforce would deny succeeds, is recorded without errorCode but with the decision, and logs one warning', async () => {
    const { KeyMetadata } = await kmsClient(running).send(new CreateKeyCommand({}));
    const keyArn = KeyMetadata!.Arn!;
    await clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    const [event] = await auditEvents(running, 'operation=Encrypt&explain=true');
    expect(event.errorCode).toBeUndefined();
    expect(event.userIdentity).toMatchObject({ type: 'IAMUser', arn: alice.Arn, userName: 'alice', accountId: ACCOUNT_ID, accessKeyId: alice.AccessKeyId });
    expect(event.kmslite).toMatchObject({ mode: 'audit', decision: 'ImplicitDeny', missing: 'identity', checks: [{ action: 'kms:Encrypt', resource: keyArn, decision: 'ImplicitDeny' }] });
    const warnings = lines.filter((line) => line.level === 40 && /would be denied/.test(line.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ principal: alice.Arn, action: 'kms:Encrypt', resource: keyArn });
    expect(JSON.stringify(lines)).not.toContain(alice.SecretAccessKey);
  });

  test('a policy that fails the lockout safety check is stored, and the would-be refusal recorded', async () => {
    const lockingPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.Arn }, Action: 'kms:*', Resource: '*' }] });
    const { KeyMetadata } = await kmsClient(running).send(new CreateKeyCommand({ Policy: lockingPolicy }));
    expect(KeyMetadata!.KeyId).toBeDefined();
    const events = await auditEvents(running, 'operation=CreateKey&explain=true&limit=1');
    expect(events[0].errorCode).toBeUndefined();
    expect(events[0].kmslite).toMatchObject({
      decision: 'ImplicitDeny',
      checks: [
        { action: 'kms:CreateKey', resource: '*', decision: 'Allow' },
        { action: 'kms:PutKeyPolicy (lockout safety check)', resource: KeyMetadata!.Arn, decision: 'ImplicitDeny' },
      ],
    });
  });

  test('a request refused before access control runs is recorded in the account of the declared principal it was for', async () => {
    // Declared without a secret (any secret signs, as for undeclared keys): only the declaration says its account.
    const olga = { AccessKeyId: 'AKIAOLGAOTHERACCT001', Arn: 'arn:aws:iam::444455556666:user/olga' };
    running.kmslite.principals.put(olga);
    const olgaKms = kmsClient(running, undefined, { accessKeyId: olga.AccessKeyId, secretAccessKey: 'any' });
    await errorOf(() => olgaKms.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: Buffer.alloc(0) })));
    const [refused] = await auditEvents(running, 'operation=Encrypt&limit=1');
    expect(refused).toMatchObject({ errorCode: 'ValidationException', recipientAccountId: '444455556666', userIdentity: { type: 'IAMUser', arn: olga.Arn, accountId: '444455556666' } });
    // The same caller, past access control, was already recorded there.
    await errorOf(() => olgaKms.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: plaintext })));
    const [notFound] = await auditEvents(running, 'operation=Encrypt&limit=1');
    expect(notFound).toMatchObject({ errorCode: 'NotFoundException', recipientAccountId: '444455556666' });
  });

  test('without explain=true the events are plain CloudTrail records', async () => {
    const events = await auditEvents(running, 'operation=Encrypt');
    expect(events[0].kmslite).toBeUndefined();
  });
});

describe('enforce: audit events, simulate, principals API', () => {
  let running: RunningKmslite;
  let keyArn: string;
  useKmslite((server) => ({ running } = server), { accessControl: 'enforce', principals: [alice, session], strictCredentials: true });
  beforeAll(async () => {
    keyArn = (await kmsClient(running).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });

  test('a denial is recorded as CloudTrail does: errorCode AccessDenied, the text as errorMessage', async () => {
    await errorOf(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })));
    const events = await auditEvents(running, 'operation=Encrypt&explain=true');
    const event = events[events.length - 1];
    expect(event.errorCode).toBe('AccessDenied');
    expect(event.errorMessage).toBe(deniedText(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity'));
    expect(event.kmslite).toMatchObject({ mode: 'enforce', decision: 'ImplicitDeny', missing: 'identity' });
  });

  test('userIdentity follows the principal: AssumedRole with its session issuer, Root for undeclared keys', async () => {
    await clientFor(running, session).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    await kmsClient(running).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    const events = await auditEvents(running, 'operation=Encrypt&explain=true&limit=2');
    expect(events[0].userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: session.Arn,
      accountId: ACCOUNT_ID,
      accessKeyId: session.AccessKeyId,
      sessionContext: { sessionIssuer: { type: 'Role', arn: session.RoleArn, accountId: ACCOUNT_ID, userName: 'app' } },
    });
    expect(events[0].userIdentity.principalId).toMatch(/^AROA[A-Z0-9]+:ci-run$/);
    expect(events[0].kmslite).toMatchObject({ decision: 'Allow', statements: expect.arrayContaining([expect.objectContaining({ source: 'identity:encrypt' })]) });
    expect(events[1].userIdentity).toEqual({ type: 'Root', principalId: ACCOUNT_ID, arn: ROOT_ARN, accountId: ACCOUNT_ID, accessKeyId: 'test' });
  });

  test('a declared caller refused before access control runs (validation) is still recorded as itself', async () => {
    await errorOf(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.alloc(0) })));
    const events = await auditEvents(running, 'operation=Encrypt&limit=1');
    expect(events[0]).toMatchObject({ errorCode: 'ValidationException', userIdentity: { type: 'IAMUser', arn: alice.Arn } });
  });

  test('simulate agrees with real calls and changes nothing', async () => {
    const before = await admin(running, 'GET', '/_kmslite/audit');
    const denial = await admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: alice.AccessKeyId, operation: 'Encrypt', keyId: keyArn });
    expect(denial.status).toBe(200);
    const real = await refusal(() => clientFor(running, alice).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext })));
    expect(denial.json).toMatchObject({ allowed: false, decision: 'ImplicitDeny', message: real.message, principal: { arn: alice.Arn, type: 'IAMUser' } });
    const allowed = await admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: session.AccessKeyId, operation: 'Encrypt', keyId: keyArn });
    expect(allowed.json).toMatchObject({ allowed: true, decision: 'Allow' });
    const noKey = await admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: alice.AccessKeyId, operation: 'CreateKey', input: { Tags: [{ TagKey: 'a', TagValue: 'b' }] } });
    expect(noKey.json).toMatchObject({ allowed: false, message: deniedText(alice.Arn, 'kms:CreateKey', '*', 'no-identity') });
    // Simulations are not requests: no audit events, no keys.
    expect((await admin(running, 'GET', '/_kmslite/audit')).json.events.length).toBe(before.json.events.length + 1);
    expect((await admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: alice.AccessKeyId, operation: 'Nope' })).status).toBe(400);
  });

  test('GET /_kmslite/principals never returns a secret; PUT adds one until reset', async () => {
    const listed = await admin(running, 'GET', '/_kmslite/principals');
    expect(listed.json.accessControl).toBe('enforce');
    expect(listed.json.principals.map((principal: any) => principal.AccessKeyId)).toEqual([alice.AccessKeyId, session.AccessKeyId]);
    expect(listed.json.principals[0]).toMatchObject({ Arn: alice.Arn, HasSecretAccessKey: true, Source: 'seed', Type: 'IAMUser' });
    expect(JSON.stringify(listed.json)).not.toContain('secret');

    const erin = user('erin', { Policies: [identityPolicy('list', { Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' })] });
    const put = await admin(running, 'PUT', `/_kmslite/principals/${erin.AccessKeyId}`, { ...erin, AccessKeyId: undefined });
    expect(put.status).toBe(200);
    expect(put.json.principal).toMatchObject({ AccessKeyId: erin.AccessKeyId, HasSecretAccessKey: true, Source: 'api' });
    expect(JSON.stringify(put.json)).not.toContain(erin.SecretAccessKey);
    await clientFor(running, erin).send(new ListKeysCommand({}));

    expect((await admin(running, 'PUT', `/_kmslite/principals/${erin.AccessKeyId}`, { Arn: 'arn:aws:iam::1:user/x' })).status).toBe(400);
    expect((await admin(running, 'PUT', `/_kmslite/principals/${erin.AccessKeyId}`, { Arn: erin.Arn, Policies: [{ PolicyName: 'p', PolicyDocument: '{not json' }] })).status).toBe(400);
    expect((await admin(running, 'PUT', `/_kmslite/principals/OTHER`, { AccessKeyId: erin.AccessKeyId, Arn: erin.Arn })).status).toBe(400);

    await admin(running, 'POST', '/_kmslite/reset');
    expect(await errorOf(() => clientFor(running, erin).send(new ListKeysCommand({})))).toMatchObject({ name: 'UnrecognizedClientException' });
    expect((await admin(running, 'GET', '/_kmslite/principals')).json.principals).toHaveLength(2);
  });

  test('simulate makes every check of an alias operation the real request makes: the alias too, not only the key', async () => {
    // Runs after the reset above: its own key and principal.
    const ownKeyArn = (await kmsClient(running).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const teamAliases = user('teamAliases', {
      Policies: [identityPolicy('team-aliases', { Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], Resource: [`arn:aws:kms:*:${ACCOUNT_ID}:key/*`, `arn:aws:kms:*:${ACCOUNT_ID}:alias/team-*`] })],
    });
    expect((await admin(running, 'PUT', `/_kmslite/principals/${teamAliases.AccessKeyId}`, teamAliases)).status).toBe(200);
    const simulate = (operation: string, input: Record<string, unknown>) => admin(running, 'POST', '/_kmslite/authz/simulate', { accessKeyId: teamAliases.AccessKeyId, operation, input });
    const kms = clientFor(running, teamAliases);

    const outside = await simulate('CreateAlias', { AliasName: 'alias/other-app', TargetKeyId: ownKeyArn });
    const real = await refusal(() => kms.send(new CreateAliasCommand({ AliasName: 'alias/other-app', TargetKeyId: ownKeyArn })));
    expect(real.message).toBe(deniedText(teamAliases.Arn, 'kms:CreateAlias', ownKeyArn.replace(/key\/.*/, 'alias/other-app'), 'no-identity'));
    expect(outside.json).toMatchObject({ allowed: false, message: real.message });

    expect((await simulate('CreateAlias', { AliasName: 'alias/team-app', TargetKeyId: ownKeyArn })).json).toMatchObject({ allowed: true });
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/team-app', TargetKeyId: ownKeyArn }));
    const update = await simulate('UpdateAlias', { AliasName: 'alias/team-app', TargetKeyId: ownKeyArn });
    expect(update.json.checks.map((check: any) => [check.action, check.resource])).toEqual([
      ['kms:UpdateAlias', ownKeyArn.replace(/key\/.*/, 'alias/team-app')],
      ['kms:UpdateAlias', ownKeyArn],
      ['kms:UpdateAlias', ownKeyArn],
    ]);
    expect((await simulate('DeleteAlias', { AliasName: 'alias/team-app' })).json).toMatchObject({ allowed: true });
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/team-app' }));
    expect((await simulate('DeleteAlias', { AliasName: 'alias/team-app' })).status).toBe(404);
    expect((await simulate('CreateAlias', { TargetKeyId: ownKeyArn })).status).toBe(400);
  });
});

describe('principals in the seed file', () => {
  const seedWith = (principals: string): string => {
    const directory = mkdtempSync(join(tmpdir(), 'kmslite-principals-'));
    const path = join(directory, 'seed.yaml');
    writeFileSync(path, `Principals:\n${principals}`);
    return path;
  };
  const carolYaml = [
    '  - AccessKeyId: AKIACAROL000000001',
    '    SecretAccessKey: carol-secret',
    '    Arn: arn:aws:iam::111122223333:user/carol',
    '    Tags: { team: payments, level: 3 }',
    '    Policies:',
    '      - PolicyName: use-keys',
    '        PolicyDocument:',
    '          Version: "2012-10-17"',
    '          Statement:',
    '            - { Effect: Allow, Action: [ "kms:Encrypt", "kms:CreateKey" ], Resource: "*" }',
    '',
  ].join('\n');
  const carol = { accessKeyId: 'AKIACAROL000000001', secretAccessKey: 'carol-secret' };

  test('seeded principals survive a restart (data directory); principals added at run time do not', async () => {
    const seedPath = seedWith(carolYaml);
    const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-principals-data-'));
    const first = await startTestKmslite({ accessControl: 'enforce', seedPath, dataPath });
    const keyArn = (await kmsClient(first, undefined, carol).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const erin = user('erin');
    await admin(first, 'PUT', `/_kmslite/principals/${erin.AccessKeyId}`, erin);
    await first.stop();

    await withKmslite({ accessControl: 'enforce', seedPath, dataPath, strictCredentials: true }, async (second) => {
      await kmsClient(second, undefined, carol).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
      expect(await errorOf(() => clientFor(second, erin).send(new ListKeysCommand({})))).toMatchObject({ name: 'UnrecognizedClientException' });
      const listed = (await admin(second, 'GET', '/_kmslite/principals')).json.principals;
      expect(listed).toEqual([expect.objectContaining({ AccessKeyId: carol.accessKeyId, Tags: { team: 'payments', level: '3' }, Source: 'seed' })]);
    });
  });

  test.each([
    ['a malformed ARN', '  - AccessKeyId: AKIABAD\n    Arn: arn:aws:iam::12:user/x\n', 'entry Principals.0 (AccessKeyId AKIABAD)'],
    ['a duplicated access key', `${carolYaml}${carolYaml}`, 'entry Principals.1 (AccessKeyId AKIACAROL000000001)'],
    [
      'an unparseable policy',
      '  - AccessKeyId: AKIAPOLICY\n    Arn: arn:aws:iam::111122223333:user/p\n    Policies: [ { PolicyName: broken, PolicyDocument: "{not json" } ]\n',
      'entry Principals.0 (AccessKeyId AKIAPOLICY)',
    ],
    ['a missing Arn', '  - AccessKeyId: AKIANOARN\n', 'entry Principals.0'],
  ])('%s stops start-up with a message naming the file and the entry', async (_case, yaml, entry) => {
    const seedPath = seedWith(yaml);
    const error = await errorOf(() => startTestKmslite({ seedPath }));
    expect(error.message).toContain(seedPath);
    expect(error.message).toContain(entry);
  });
});

describe('settings', () => {
  test('KMSLITE_ACCESS_CONTROL and KMSLITE_ASSUME_SECURE_TRANSPORT are read from the environment; a bad mode stops start-up', async () => {
    await withKmslite({ env: { KMSLITE_ACCESS_CONTROL: 'audit', KMSLITE_ASSUME_SECURE_TRANSPORT: 'false' } }, async (running) => {
      expect(running.kmslite.config).toMatchObject({ accessControl: 'audit', assumeSecureTransport: false });
      expect((await admin(running, 'GET', '/_kmslite/principals')).json).toEqual({ accessControl: 'audit', principals: [] });
    });
    expect((await errorOf(() => startTestKmslite({ env: { KMSLITE_ACCESS_CONTROL: 'strict' } }))).message).toBe(
      "Invalid access control mode 'strict': it must be off, audit or enforce",
    );
  });

  test.each([
    [true, undefined],
    [false, 'explicit-resource'],
  ] as const)('aws:SecureTransport is %s for plain HTTP as configured', async (assumeSecureTransport, refusedAs) => {
    await withKmslite({ accessControl: 'enforce', assumeSecureTransport }, async (running) => {
      const kms = kmsClient(running);
      const keyPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT_ARN }, Action: 'kms:*', Resource: '*' },
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      });
      const keyArn = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy }))).KeyMetadata!.Arn!;
      const call = () => kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
      if (refusedAs) expect((await refusal(call)).message).toBe(deniedText(ROOT_ARN, 'kms:Encrypt', keyArn, refusedAs));
      else await call();
    });
  });

  test('the debug log names the deciding statements, never the policy document or a secret', async () => {
    const lines: any[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    await withKmslite({ accessControl: 'enforce', principals: [session], logLevel: 'debug', logStream }, async (running) => {
      const keyArn = (await kmsClient(running).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      await clientFor(running, session).send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
      const decision = lines.find((line) => line.msg === 'access control decision' && line.principal === session.Arn);
      expect(decision).toMatchObject({ level: 20, action: 'kms:Encrypt', resource: keyArn, decision: 'Allow' });
      expect(decision.statements).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'identity:encrypt' })]));
      const text = JSON.stringify(lines);
      expect(text).not.toContain(session.SecretAccessKey);
      expect(text).not.toContain('"Statement"');
    });
  });
});
