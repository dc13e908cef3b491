/**
 * The state snapshot file (kmslite-state.json), kept as a lowdb document. The only file that imports lowdb.
 *
 * lowdb's own JSONFile adapter writes through steno (temp file + rename) but cannot set the file mode nor sync
 * it to disk, so this adapter does the same atomic dance itself: write a temp file created 0600, fsync it,
 * rename it over the old file, fsync the directory. A reader sees the old file or the new one, never half of one.
 *
 * Since format version 2 the text is sealed: it starts `{"checksum":"<SHA-256 of the rest>",` and the rest is the
 * document's other members, so any edit of the file (a flipped byte, a changed value) is seen when it is read.
 */
import { Low, type Adapter } from 'lowdb';
import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateDocument } from './stateCodec.js';

/** Key material is in this file: readable by its owner only, as in AWS, where it never leaves the HSMs. */
export const DATA_FILE_MODE = 0o600;

/** A data file is unreadable or damaged; the message names the file (its full path), where, and the problem. */
export class StateFileError extends Error {}

const SEAL_PREFIX = '{"checksum":"';
const SEAL_LENGTH = SEAL_PREFIX.length + 64 + 2;

/** A document as sealed text: `{"checksum":"<hex>",` then the document's members (what the checksum covers). */
export function sealJson(document: object): string {
  const members = JSON.stringify(document).slice(1);
  if (members === '}') throw new Error('an empty document cannot be sealed');
  return `${SEAL_PREFIX}${createHash('sha256').update(members).digest('hex')}",${members}`;
}

/** What was read: the document (without its checksum) and whether it was sealed (a version 1 file is not). */
export interface ReadDocument {
  document: unknown;
  sealed: boolean;
}

/** Text ⇄ document: JSON.parse errors, a checksum mismatch and unreadable files become StateFileError with the cause. */
class PrivateJsonFile implements Adapter<ReadDocument | null> {
  constructor(private readonly path: string) {}

  async read(): Promise<ReadDocument | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateFileError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    const sealed = text.startsWith(SEAL_PREFIX);
    if (sealed) {
      const checksum = text.slice(SEAL_PREFIX.length, SEAL_PREFIX.length + 64);
      const members = text.slice(SEAL_LENGTH);
      if (!/^[0-9a-f]{64}$/.test(checksum) || text.slice(SEAL_PREFIX.length + 64, SEAL_LENGTH) !== '",' || createHash('sha256').update(members).digest('hex') !== checksum) {
        throw new StateFileError(
          `${this.path}: checksum mismatch: the SHA-256 at its start (bytes 14-77) does not match bytes ${SEAL_LENGTH + 1}-${Buffer.byteLength(text)}: the file was changed after kmslite wrote it`,
        );
      }
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new StateFileError(`${this.path} is not valid JSON (${(error as Error).message})`);
    }
    if (sealed) delete (document as { checksum?: unknown }).checksum;
    return { document, sealed };
  }

  async write(data: ReadDocument | null): Promise<void> {
    await writeFileAtomically(this.path, sealJson(data!.document as object));
  }
}

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await replaceFileAtomically(path, (file) => file.writeFile(text, 'utf8'));
}

/**
 * Replaces `path` with what `fill` writes: a temporary file (mode 0600) in the same directory, fsynced, renamed over
 * `path`, and the directory fsynced, so a crash leaves either the old file or the new one, never a mix.
 */
export async function replaceFileAtomically(path: string, fill: (file: FileHandle) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  const file = await open(temporary, 'w', DATA_FILE_MODE);
  try {
    await fill(file);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes a rename in the directory durable. */
export async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

export class LowdbStateFile {
  private readonly db: Low<ReadDocument | null>;

  constructor(readonly path: string) {
    this.db = new Low<ReadDocument | null>(new PrivateJsonFile(path), null);
  }

  /** The document on disk (its checksum verified when it has one; not yet checked otherwise), or null when there is no file. */
  async read(): Promise<ReadDocument | null> {
    await this.db.read();
    const read = this.db.data;
    this.db.data = null;
    return read;
  }

  async write(document: StateDocument): Promise<void> {
    this.db.data = { document, sealed: true };
    await this.db.write();
    // The document can be large (every key); it is not needed between writes.
    this.db.data = null;
  }
}
