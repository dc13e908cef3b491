/**
 * `--access-control enforce` seen from the real aws CLI (when installed; skipped with the reason otherwise):
 * a declared principal's refusal prints AWS's AccessDenied text, the account root's call works.
 */
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningKmslite } from '../../src/index.js';
import { TEST_CREDENTIALS, kmsClient, startTestKmslite } from '../helpers/kmslite.js';
import { REGION, deniedText, user } from './helpers.js';

function available(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  } catch {
    return false;
  }
}
const HAS_AWS_CLI = available('aws', ['--version']);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws kms ...` with only these credentials (no user config; AccessDenied is not retried, so retries stay at their default and the CLI prints no "(reached max retries: N)"). Asynchronous: kmslite runs in this process. */
function awsKms(running: RunningKmslite, credentials: { accessKeyId: string; secretAccessKey: string }, args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  return new Promise((resolve) => {
    execFile('aws', ['kms', ...args, '--endpoint-url', running.endpoint, '--region', REGION, '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

(HAS_AWS_CLI ? describe : describe.skip)(`the aws CLI in enforce mode${HAS_AWS_CLI ? '' : ' — SKIPPED: aws CLI not found'}`, () => {
  const alice = user('alice');
  let running: RunningKmslite;
  let keyArn: string;
  let directory: string;
  beforeAll(async () => {
    running = await startTestKmslite({ accessControl: 'enforce', principals: [alice] });
    keyArn = (await kmsClient(running).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    directory = mkdtempSync(join(tmpdir(), 'kmslite-cli-'));
    writeFileSync(join(directory, 'plaintext'), 'secret data');
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await running.stop();
  });

  test('a user without an IAM policy: the CLI fails and prints the AccessDenied text; the account root encrypts', async () => {
    const args = ['encrypt', '--key-id', keyArn, '--plaintext', `fileb://${join(directory, 'plaintext')}`];
    const refused = await awsKms(running, { accessKeyId: alice.AccessKeyId, secretAccessKey: alice.SecretAccessKey! }, args);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(
      `An error occurred (AccessDeniedException) when calling the Encrypt operation: ${deniedText(alice.Arn, 'kms:Encrypt', keyArn, 'no-identity')}`,
    );
    const allowed = await awsKms(running, TEST_CREDENTIALS, args);
    expect(allowed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(allowed.stdout).KeyId).toBe(keyArn);
  });
});
