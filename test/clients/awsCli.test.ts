/**
 * The aws CLI (botocore) against kmslite, end to end. Skipped where the CLI is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useKmslite, running, useTemporaryDirectory } from '../helpers/fixture.js';

const hasCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const describeCli = hasCli ? describe : describe.skip;

describeCli('aws CLI (skipped when `aws` is not installed)', () => {
  let dir: string;
  useKmslite();
  useTemporaryDirectory('kmslite-cli-', (path) => (dir = path));

  // Asynchronous on purpose: the server runs in this process, so a synchronous spawn would block it.
  function aws(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_MAX_ATTEMPTS: '1',
      AWS_PAGER: '',
    };
    const argv = ['kms', ...args, '--endpoint-url', running.endpoint, '--region', 'eu-west-2', '--output', 'json'];
    return new Promise((resolve) => {
      execFile('aws', argv, { encoding: 'utf8', env }, (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  test('create-key, create-alias, encrypt (fileb://), decrypt, list-keys', async () => {
    const created = await aws('create-key', '--description', 'from the cli');
    expect(created.status).toBe(0);
    const metadata = JSON.parse(created.stdout).KeyMetadata;
    expect(metadata.Description).toBe('from the cli');
    expect((await aws('create-alias', '--alias-name', 'alias/cli', '--target-key-id', metadata.KeyId)).status).toBe(0);

    writeFileSync(join(dir, 'plain.bin'), Buffer.from('hello from the aws cli'));
    const encrypted = await aws('encrypt', '--key-id', 'alias/cli', '--plaintext', `fileb://${join(dir, 'plain.bin')}`);
    expect(encrypted.status).toBe(0);
    const ciphertext = Buffer.from(JSON.parse(encrypted.stdout).CiphertextBlob, 'base64');
    writeFileSync(join(dir, 'cipher.bin'), ciphertext);
    const decrypted = await aws('decrypt', '--ciphertext-blob', `fileb://${join(dir, 'cipher.bin')}`);
    expect(decrypted.status).toBe(0);
    const output = JSON.parse(decrypted.stdout);
    expect(Buffer.from(output.Plaintext, 'base64').toString()).toBe('hello from the aws cli');
    expect(output.KeyId).toBe(metadata.Arn);

    const listed = JSON.parse((await aws('list-keys')).stdout);
    expect(listed.Keys.map((key: { KeyId: string }) => key.KeyId)).toContain(metadata.KeyId);
  });

  test('errors reach the CLI with their AWS code and message', async () => {
    const result = await aws('describe-key', '--key-id', 'fake-key-id');
    expect(result.status).not.toBe(0);
    // aws CLI v2 (Debian's, which CI installs) adds "(reached max retries: 0)" under AWS_MAX_ATTEMPTS=1; v1 does not.
    expect(result.stderr).toMatch(/An error occurred \(NotFoundException\) when calling the DescribeKey operation( \(reached max retries: 0\))?: Invalid keyId 'fake-key-id'/);
  });
});
