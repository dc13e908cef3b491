/**
 * The test fixture's own rules that suites rely on: `running` and `kms` belong to the file's first useKmslite (a
 * second server for one describe block does not replace them, nor leave them pointing at a stopped server), and
 * useTemporaryDirectory's directory exists for its block's tests and is gone after.
 */
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { existsSync } from 'node:fs';
import { kms, running, useKmslite, useTemporaryDirectory } from '../helpers/fixture.js';
import type { RunningKmslite } from '../../src/index.js';

let first: RunningKmslite;
useKmslite((server) => (first = server.running));

describe('a second server for one describe block', () => {
  let second: RunningKmslite;
  useKmslite((server) => (second = server.running));

  test('is handed to its onStart only: running stays the first server', () => {
    expect(second).not.toBe(first);
    expect(running).toBe(first);
  });
});

test('after that block (its server stopped), running and kms are still the first server and its client', async () => {
  expect(running).toBe(first);
  expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
});

let directory = '';
describe('useTemporaryDirectory', () => {
  useTemporaryDirectory('kmslite-fixture-', (path) => (directory = path));

  test('the directory exists for the block', () => {
    expect(existsSync(directory)).toBe(true);
  });
});

test('the directory is removed after its block', () => {
  expect(directory).not.toBe('');
  expect(existsSync(directory)).toBe(false);
});
