/**
 * Checks of the data directory made at start-up, before kmslite's own persistence opens it
 * (src/store/filePersistence.ts), so that two situations local-kms users meet end with a message saying what to do:
 * - the directory holds local-kms's LevelDB database (its KMS_DATA_PATH): kmslite cannot read it;
 * - the directory (or, when it does not exist yet, the nearest existing parent) is not writable by this process:
 *   in Docker, a bind-mounted host directory owned by another uid than the image's (1000).
 * Throws an Error whose message is the whole explanation; the directory is never changed.
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function checkDataDirectory(path: string): void {
  const directory = resolve(path);
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) throw new Error(`the data path ${directory} is not a directory`);
    refuseLevelDb(directory);
    requireWritable(directory, directory);
    return;
  }
  let parent = dirname(directory);
  while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
  requireWritable(parent, directory);
}

/** LevelDB's own files: CURRENT and a MANIFEST-<n>, or table files (*.ldb, *.sst). */
export function levelDbFilesIn(names: string[]): string[] {
  const manifests = names.filter((name) => /^MANIFEST-\d+$/.test(name));
  const tables = names.filter((name) => /^\d+\.(ldb|sst)$/.test(name));
  if (!(names.includes('CURRENT') && manifests.length > 0) && tables.length === 0) return [];
  return names.filter((name) => ['CURRENT', 'LOCK', 'LOG', 'LOG.old'].includes(name) || /^MANIFEST-\d+$/.test(name) || /^\d+\.(ldb|sst|log)$/.test(name)).sort();
}

function refuseLevelDb(directory: string): void {
  const found = levelDbFilesIn(readdirSync(directory));
  if (found.length === 0) return;
  const shown = found.length > 5 ? `${found.slice(0, 5).join(', ')}, …` : found.join(', ');
  throw new Error(
    `the data directory ${directory} holds a LevelDB database (${shown}): local-kms's KMS_DATA_PATH. kmslite cannot read ` +
      "local-kms's database and leaves it untouched. To move your keys over, give kmslite the seed file local-kms was " +
      'started with (KMS_SEED_PATH: the same format is read, and ciphertexts local-kms made with seeded key material decrypt) ' +
      'and an empty or new directory as KMS_DATA_PATH; keys local-kms created at run time exist only in its database and ' +
      'cannot be carried over. docs/migrating.md, "Coming from local-kms".',
  );
}

function requireWritable(existing: string, dataPath: string): void {
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const owner = statSync(existing).uid;
    throw new Error(
      `cannot write to the data directory ${dataPath} (EACCES: ${existing} belongs to uid ${owner}, kmslite runs as uid ${uid ?? '?'}). ` +
        'Make it writable by that user: on the host, `sudo chown -R ' +
        `${uid ?? 1000}:${uid ?? 1000} <host directory>\`; or in Docker run the container as the directory's owner, \`docker run --user "$(id -u):$(id -g)" …\` ` +
        '(the image runs as uid 1000, user node); or use a named volume (`-v kms-data:/data`), which Docker creates writable. docs/docker.md.',
    );
  }
}
