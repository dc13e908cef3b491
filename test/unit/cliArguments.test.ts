/**
 * The `kmslite` command reads plain `--flag value` pairs itself and leaves everything else to commander
 * (src/cliArguments.ts): for every command line it reads, the options must be the ones commander gives; for
 * every other one it must decline, so commander's help, version and error answers stay as they are.
 */
import { kmsliteProgram, readPlainFlags } from '../../src/cliArguments.js';

function commanderReading(args: string[]): Record<string, unknown> {
  const program = kmsliteProgram().exitOverride();
  program.parse(['node', 'kmslite', ...args]);
  return { ...program.opts() };
}

const plainCommandLines: string[][] = [
  [],
  ['--port', '8080'],
  ['--port', '4566', '--log-level', 'warn'],
  ['--port', '', '--host', '0.0.0.0'],
  ['--port', 'abc'],
  ['--no-seed', '--log-level', 'info', '--port', '1'],
  ['--seed-path', '/init/seed.yaml', '--data-path', '/data', '--region', 'us-east-1', '--account-id', '000000000000'],
  ['--credentials', 'a:b,c:d:111122223333', '--strict-credentials', '--single-region', '--allow-custom-regions'],
  ['--audit-max-events', '0', '--audit-file', '/tmp/audit.jsonl', '--audit-max-bytes', '1024'],
  ['--access-control', 'enforce', '--no-assume-secure-transport', '--allowed-hosts', '*', '--admin-token', 'secret'],
  ['--allow-key-material-export', '--log-format', 'pretty'],
  ['--log-level', 'silent', '--log-format', 'json', '--access-control', 'off'],
];

test.each(plainCommandLines)('%j is read as commander reads it', (...args) => {
  expect(readPlainFlags(args)).toEqual(commanderReading(args));
});

const otherCommandLines: string[][] = [
  ['--help'],
  ['-h'],
  ['--version'],
  ['-V'],
  ['-p', '8080'],
  ['--port=8080'],
  ['--port'],
  ['--port', '1', '--port', '2'],
  ['--host', '-x'],
  ['--log-level', 'verbose'],
  ['--access-control', 'on'],
  ['--log-format', 'text'],
  ['--unknown-flag'],
  ['--seed'],
  ['positional'],
  ['--', '--port', '1'],
];

test.each(otherCommandLines)('%j is left to commander', (...args) => {
  expect(readPlainFlags(args)).toBeUndefined();
});
