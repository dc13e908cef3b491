/**
 * The line format of the journal (kmslite-journal.jsonl) and the audit log (kmslite-audit.jsonl) since format
 * version 2, and the checks that make a damaged one stop start-up (docs/persistence.md, "What is detected"):
 *
 *   line 1   <hash> {"format":…,"version":2,"id":"<16 hex>","firstSequence":F,"written":"<16 digits>",…}
 *   line k   <hash> {"sequence":F+k-2,…}
 *
 * <hash> is 16 hex digits of the SHA-256 of the JSON after it: an edited or damaged line is seen. Every line
 * after the header carries the next sequence number: a line deleted, repeated or moved is seen. The header's
 * `written` is the sequence number of the last line appended and synced; the header keeps its length, so it is
 * rewritten in place (one positional write, no sync of its own) after every append and before that append is
 * acknowledged: a file with fewer complete lines than `written` says was cut, and is seen too. `id` is random
 * per file, so a file from elsewhere is told from the one expected.
 *
 * The one damage that is not refused is the one a crash leaves: a last line without its newline, whose write
 * never finished and so was never acknowledged. It is dropped with a warning. What cannot be detected, and why,
 * is in docs/persistence.md.
 *
 * Version 1 files (a header of plain JSON, lines without sequence numbers) are still read, by version 1's rules,
 * so a data directory written by version 1 can be migrated.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DATA_FILE_MODE, StateFileError, replaceFileAtomically } from './lowdbStateFile.js';
import { DataFormatError } from './recordChecks.js';

export const LOG_VERSION = 2;
const WRITTEN_DIGITS = 16;

export interface LogHeader {
  format: string;
  version: number;
  /** Random per file: the state file names the journal that continues it. */
  id: string;
  /** The sequence number of the first line after the header. */
  firstSequence: number;
  /** The sequence number of the last line appended and synced (firstSequence - 1 when there is none). */
  written: number;
  /** The journal's generation (the state file's). */
  generation?: number;
}

/** What reading a log found. `version` 1: a version 1 file, read without its sequence checks. */
export interface LogContents {
  version: number;
  header: LogHeader | { format: string; version: number; generation?: number };
  /** The sequence number of the last complete line (version 2). */
  lastSequence: number;
  /** Bytes after the last newline: a line a crash cut off (dropped), or 0. */
  tornBytes: number;
}

export function newLogId(): string {
  return randomBytes(8).toString('hex');
}

/** 16 hex digits of SHA-256: enough to tell a damaged line from a good one. */
export function lineHash(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function checkedLine(json: string): string {
  return `${lineHash(json)} ${json}\n`;
}

/** The header line; its length depends only on what never changes in a file (everything but `written`). */
export function headerLine(header: LogHeader): string {
  const { written, ...fixed } = header;
  return checkedLine(JSON.stringify({ ...fixed, written: String(written).padStart(WRITTEN_DIGITS, '0') }));
}

/**
 * Reads a log line by line (streaming: it can be tens of MB) and checks it. `checkHeader` may throw to refuse a
 * header (an unexpected id or first sequence); `onRecord` receives each line's JSON and may throw
 * DataFormatError. Every refusal is a StateFileError whose message names the file, the line and the problem.
 * Throws ENOENT errors as they are (the caller decides what a missing file means).
 */
export async function readSequencedLog(
  path: string,
  format: string,
  /** What one line holds, for messages: "change" (journal), "batch" (audit log). */
  item: string,
  checkHeader: (header: LogContents['header'], version: number) => void,
  onRecord: (record: Record<string, unknown>, lineNumber: number) => void,
): Promise<LogContents> {
  let contents: LogContents | undefined;
  let lineNumber = 0;
  const refuse = (line: number, problem: string) => new StateFileError(`${path} line ${line}${line === 1 ? ' (the header)' : ''}: ${problem}`);
  const onLine = (line: string) => {
    lineNumber++;
    if (contents === undefined) {
      contents = parseHeader(line, format, (problem) => refuse(1, problem));
      try {
        checkHeader(contents.header, contents.version);
      } catch (error) {
        throw refuse(1, (error as Error).message);
      }
      return;
    }
    const json = parseChecked(line, (problem) => refuse(lineNumber, problem));
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(json) as Record<string, unknown>;
    } catch (error) {
      throw refuse(lineNumber, `not JSON (${(error as Error).message})`);
    }
    if (contents.version >= 2) {
      const expected = contents.lastSequence + 1;
      const sequence = typeof record === 'object' && record !== null ? record.sequence : undefined;
      if (sequence !== expected) {
        const problem =
          typeof sequence !== 'number'
            ? 'no sequence number'
            : sequence < expected
              ? `holds ${item} ${sequence} where ${item} ${expected} belongs: a line is repeated or out of order`
              : `holds ${item} ${sequence} where ${item} ${expected} belongs: a line is missing or out of order`;
        throw refuse(lineNumber, problem);
      }
      contents.lastSequence = expected;
    }
    try {
      onRecord(record, lineNumber);
    } catch (error) {
      // A record that is not what kmslite writes can fail in any way once past its checks: all of it is damage here.
      if (error instanceof StateFileError) throw error;
      throw refuse(lineNumber, error instanceof DataFormatError ? error.message : `unreadable record (${(error as Error).message})`);
    }
  };

  let rest = '';
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const text = rest + (chunk as string);
      bytes += (chunk as string).length;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        onLine(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if (error instanceof StateFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new StateFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (bytes === 0) throw new StateFileError(`${path} is empty (0 bytes): its header and everything after it are gone`);
  // The header is written with the whole file (temporary file, sync, rename), never appended: it cannot be torn.
  if (contents === undefined) throw refuse(1, `incomplete (${Buffer.byteLength(rest)} bytes, no newline): the file was cut`);
  const tornBytes = Buffer.byteLength(rest);
  if (contents.version >= 2) {
    const { written } = contents.header as LogHeader;
    if (contents.lastSequence < written) {
      const last = contents.lastSequence >= (contents.header as LogHeader).firstSequence ? `${item} ${contents.lastSequence} (line ${lineNumber})` : 'its header (line 1)';
      const missing = written - contents.lastSequence;
      const items = missing === 1 ? `${item} is` : `${item}${item.endsWith('ch') ? 'es' : 's'} are`;
      throw new StateFileError(
        `${path}: ends after ${last}${tornBytes > 0 ? ` and ${tornBytes} bytes of an incomplete line` : ''}, but its header records that ${item} ${written} was written: ` +
          `the file was cut short, ${missing} written ${items} missing`,
      );
    }
  }
  contents.tornBytes = tornBytes;
  return contents;
}

function parseHeader(line: string, format: string, refuse: (problem: string) => Error): LogContents {
  // Version 1: the header is plain JSON.
  const json = line.startsWith('{') ? line : parseChecked(line, refuse);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(json) as Record<string, unknown>;
  } catch (error) {
    throw refuse(`not JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || header.format !== format) throw refuse(`no "format": "${format}"`);
  const version = header.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw refuse(`unknown format version ${JSON.stringify(version)}`);
  if (version > LOG_VERSION) throw refuse(`format version ${version} is newer than this kmslite reads (${LOG_VERSION})`);
  if (version === 1) {
    if (!line.startsWith('{')) throw refuse('a version 1 header must be plain JSON');
    return { version, header: header as LogContents['header'], lastSequence: 0, tornBytes: 0 };
  }
  if (line.startsWith('{')) throw refuse(`a version ${version} header must carry its checksum`);
  const written = typeof header.written === 'string' && /^[0-9]{16}$/.test(header.written) ? Number(header.written) : NaN;
  if (typeof header.id !== 'string' || !Number.isSafeInteger(header.firstSequence) || (header.firstSequence as number) < 1 || !Number.isSafeInteger(written)) {
    throw refuse('missing or invalid id, firstSequence or written');
  }
  if (written < (header.firstSequence as number) - 1) throw refuse(`written ${written} is before firstSequence ${String(header.firstSequence)}`);
  const parsed = { ...header, written } as unknown as LogHeader;
  return { version, header: parsed, lastSequence: parsed.firstSequence - 1, tornBytes: 0 };
}

function parseChecked(line: string, refuse: (problem: string) => Error): string {
  const json = line.indexOf(' ') === 16 ? line.slice(17) : undefined;
  if (json === undefined || lineHash(json) !== line.slice(0, 16)) throw refuse('damaged (checksum mismatch)');
  return json;
}

/**
 * An open log: appends numbered, checksummed lines and keeps the header's `written` up to date. Writes are
 * positional, so a failed append is cut off again and the next one takes its place.
 */
export class SequencedLogWriter {
  private broken: Error | undefined;

  private constructor(
    private file: FileHandle | undefined,
    private readonly header: LogHeader,
    private size: number,
  ) {}

  /**
   * A new file (temporary file, sync, rename over `path`, sync the directory) with its header and the lines
   * `fill` appends, then open for appending.
   */
  static async create(
    path: string,
    header: Omit<LogHeader, 'written' | 'version'>,
    fill?: (append: (build: (sequence: number) => string) => Promise<void>) => Promise<void>,
  ): Promise<SequencedLogWriter> {
    const full: LogHeader = { ...header, version: LOG_VERSION, written: header.firstSequence - 1 };
    let writer!: SequencedLogWriter;
    await replaceFileAtomically(path, async (file) => {
      writer = new SequencedLogWriter(file, full, 0);
      writer.size = await writeAll(file, headerLine(full), 0);
      if (fill) await fill((build) => writer.writeLine(build));
      await writeAll(file, headerLine(full), 0);
    });
    writer.file = await open(path, 'r+', DATA_FILE_MODE);
    return writer;
  }

  /** Bytes in the file. */
  get bytes(): number {
    return this.size;
  }

  /** The sequence number of the last line written (firstSequence - 1 when there is none). */
  get written(): number {
    return this.header.written;
  }

  /**
   * Appends the line `build` makes for the next sequence number, syncs it (fdatasync), then records it in the
   * header. Resolves once all three are done: only then may the change be acknowledged.
   */
  async append(build: (sequence: number) => string): Promise<void> {
    if (this.broken) throw this.broken;
    if (!this.file) throw new Error('the file is closed');
    await this.writeLine(build);
    await this.file.datasync();
    await writeAll(this.file, headerLine(this.header), 0);
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }

  private async writeLine(build: (sequence: number) => string): Promise<void> {
    const file = this.file!;
    const sequence = this.header.written + 1;
    const line = checkedLine(build(sequence));
    try {
      this.size += await writeAll(file, line, this.size);
    } catch (error) {
      // Cut off what part of the line was written, so the file ends with its last whole line again.
      await file.truncate(this.size).catch((truncateError: Error) => {
        this.broken = new Error(`cannot cut off a failed write (${truncateError.message}); restart kmslite`);
      });
      throw error;
    }
    this.header.written = sequence;
  }
}

/** Writes all of `text` at `position` (a write may be short); resolves with the number of bytes written. */
async function writeAll(file: FileHandle, text: string, position: number): Promise<number> {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await file.write(buffer, offset, buffer.length - offset, position + offset);
    offset += bytesWritten;
  }
  return buffer.length;
}
