/**
 * Data directories for the persistence tests: copies of the files as a crash leaves them, their exact bytes and
 * modification times (a refused directory must be left byte for byte as it was), and edits that keep a file's
 * checksums right (what a kmslite bug, or a hand edit that knows the format, would leave).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealJson } from '../../src/store/lowdbStateFile.js';
import { checkedLine, headerLine, type LogHeader } from '../../src/store/sequencedLog.js';

export const STATE = 'kmslite-state.json';
export const JOURNAL = 'kmslite-journal.jsonl';
export const AUDIT = 'kmslite-audit.jsonl';

export const newDataDirectory = () => mkdtempSync(join(tmpdir(), 'kmslite-data-'));

/** Every file of the directory: its bytes and its modification time. */
export function filesOf(directory: string): Record<string, { bytes: Buffer; mtimeMs: number }> {
  return Object.fromEntries(
    readdirSync(directory)
      .sort()
      .map((name) => [name, { bytes: readFileSync(join(directory, name)), mtimeMs: statSync(join(directory, name)).mtimeMs }]),
  );
}

/**
 * Whether two filesOf() results are the same: names, bytes and mtimes. (Jest's toEqual compares Buffers byte by
 * byte through its generic equality, which takes a tenth of a second for a data directory.)
 */
export function sameFiles(before: ReturnType<typeof filesOf>, after: ReturnType<typeof filesOf>): string[] {
  const differences: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [a, b] = [before[name], after[name]];
    if (!a || !b) differences.push(`${name} ${a ? 'removed' : 'added'}`);
    else if (!a.bytes.equals(b.bytes)) differences.push(`${name} changed`);
    else if (a.mtimeMs !== b.mtimeMs) differences.push(`${name} touched (mtime ${a.mtimeMs} → ${b.mtimeMs})`);
  }
  return differences;
}

/** The data files as they are now (without the lock), to be put back with restoreFiles: what a SIGKILL leaves. */
export function copyDataFiles(directory: string): [string, Buffer][] {
  return readdirSync(directory)
    .filter((name) => name !== 'kmslite.lock' && !name.startsWith('.'))
    .map((name) => [name, readFileSync(join(directory, name))]);
}

export function restoreFiles(directory: string, files: [string, Buffer][]): void {
  for (const [name, content] of files) writeFileSync(join(directory, name), content);
}

/** The lines of a log file, the last one without its newline ('' when the file ends with one). */
export function linesOf(directory: string, name: string): string[] {
  return readFileSync(join(directory, name), 'utf8').split('\n');
}

export function writeLines(directory: string, name: string, lines: string[]): void {
  writeFileSync(join(directory, name), lines.join('\n'));
}

/** A log line (header or record) rewritten by `edit` with a checksum that matches again. */
export function rewriteLine(line: string, edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(line.slice(17)) as Record<string, unknown>;
  if (typeof json.written === 'string') {
    const header = { ...json, written: Number(json.written) } as unknown as LogHeader;
    edit(header as unknown as Record<string, unknown>);
    return headerLine(header).trimEnd();
  }
  edit(json);
  return checkedLine(JSON.stringify(json)).trimEnd();
}

/** The state file's document (without its checksum). */
export function readStateDocument(directory: string): any {
  const document = JSON.parse(readFileSync(join(directory, STATE), 'utf8'));
  delete document.checksum;
  return document;
}

/** Writes the state file with a checksum that matches, as kmslite would. */
export function writeSealedState(directory: string, document: object): void {
  writeFileSync(join(directory, STATE), sealJson(document));
}
