/**
 * A damaged data directory stops start-up with a message naming the file (its full path), the line or record,
 * and the problem, and every file is left byte for byte as it was (bytes and modification times compared).
 * One test per kind of damage; test/persistence/damageCampaign.test.ts tries random ones. The one damage that is
 * not refused, a last line a crash cut off, is at the end.
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { cpSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningKmslite } from '../../src/index.js';
import { encodeState } from '../../src/store/stateCodec.js';
import {
  AUDIT,
  JOURNAL,
  STATE,
  copyDataFiles,
  filesOf,
  sameFiles,
  linesOf,
  newDataDirectory,
  readStateDocument,
  restoreFiles,
  rewriteLine,
  writeLines,
  writeSealedState,
} from '../helpers/dataDirectory.js';
import { kmsClient, startTestKmslite } from '../helpers/fixture.js';

const running: RunningKmslite[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) await instance.stop();
});

interface Template {
  directory: string;
  /** Keys in the state file, then keys only in the journal (one journal line each, lines 2 to 7). */
  stateKeyIds: string[];
  journalKeyIds: string[];
}

/**
 * A directory as a SIGKILL leaves it: a state file with three keys, a journal with six changes after it (line 1
 * is the header, lines 2-7 one CreateKey each), and an audit log with a compacted part and lines appended since.
 */
async function makeTemplate(): Promise<Template> {
  const directory = newDataDirectory();
  const first = await startTestKmslite({ dataPath: directory });
  let kms = kmsClient(first);
  const stateKeyIds: string[] = [];
  for (let i = 0; i < 3; i++) stateKeyIds.push((await kms.send(new CreateKeyCommand({ Description: `in the state file ${i}` }))).KeyMetadata!.KeyId!);
  kms.destroy();
  await first.stop();
  const second = await startTestKmslite({ dataPath: directory });
  kms = kmsClient(second);
  const journalKeyIds: string[] = [];
  for (let i = 0; i < 6; i++) {
    journalKeyIds.push((await kms.send(new CreateKeyCommand({ Description: `in the journal ${i}` }))).KeyMetadata!.KeyId!);
    await second.kmslite.commit();
  }
  kms.destroy();
  const files = copyDataFiles(directory);
  await second.stop();
  rmSync(directory, { recursive: true });
  const template = newDataDirectory();
  restoreFiles(template, files);
  return { directory: template, stateKeyIds, journalKeyIds };
}

let template: Template;
beforeAll(async () => {
  template = await makeTemplate();
});

function copyOfTemplate(): string {
  const directory = newDataDirectory();
  cpSync(template.directory, directory, { recursive: true });
  return directory;
}

/** Start-up is refused with a message containing every fragment, and the directory is exactly as it was. */
async function expectRefused(directory: string, ...fragments: (string | RegExp)[]): Promise<string> {
  const before = filesOf(directory);
  let message = '';
  await startTestKmslite({ dataPath: directory }).then(
    (instance) => {
      running.push(instance);
      throw new Error('kmslite started on a damaged data directory');
    },
    (error: Error) => (message = error.message),
  );
  for (const fragment of fragments) expect(message).toMatch(fragment);
  expect(message).toContain('The files were left untouched');
  expect(sameFiles(before, filesOf(directory))).toEqual([]);
  return message;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the template directory loads (so every refusal below is caused by its damage)', () => {
  test('every key of the state file and of the journal is there', async () => {
    const instance = await startTestKmslite({ dataPath: copyOfTemplate() });
    running.push(instance);
    const keys = instance.kmslite.stores.get('111122223333', 'eu-west-2').keys;
    expect([...keys.keys()]).toEqual([...template.stateKeyIds, ...template.journalKeyIds]);
    expect(linesOf(template.directory, JOURNAL)).toHaveLength(8);
    expect(linesOf(template.directory, AUDIT).length).toBeGreaterThanOrEqual(4);
  });
});

describe('the journal (kmslite-journal.jsonl)', () => {
  test('emptied (0 bytes)', async () => {
    const directory = copyOfTemplate();
    writeFileSync(join(directory, JOURNAL), '');
    await expectRefused(directory, `${join(directory, JOURNAL)} is empty (0 bytes)`);
  });

  test('deleted', async () => {
    const directory = copyOfTemplate();
    unlinkSync(join(directory, JOURNAL));
    await expectRefused(directory, `${join(directory, JOURNAL)} is missing: the state file ${join(directory, STATE)} is continued by journal`);
  });

  test('shortened at a line boundary (its last complete line removed)', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    writeLines(directory, JOURNAL, [...lines.slice(0, -2), '']);
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))}: ends after change \\d+ \\(line 6\\), but its header records that change \\d+ was written: the file was cut short, 1 written change is missing`));
  });

  test('cut in the middle of a line in the middle of the file', async () => {
    const directory = copyOfTemplate();
    const text = readFileSync(join(directory, JOURNAL), 'utf8');
    const lines = text.split('\n');
    const cut = lines.slice(0, 3).join('\n').length + 1 + Math.floor(lines[3]!.length / 2);
    writeFileSync(join(directory, JOURNAL), text.slice(0, cut));
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))}: ends after change \\d+ \\(line 3\\) and \\d+ bytes of an incomplete line, but its header records that change \\d+ was written: the file was cut short, 4 written changes are missing`));
  });

  test('a line deleted', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    lines.splice(3, 1);
    writeLines(directory, JOURNAL, lines);
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))} line 4: holds change \\d+ where change \\d+ belongs: a line is missing or out of order`));
  });

  test('a line duplicated', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    lines.splice(3, 0, lines[3]!);
    writeLines(directory, JOURNAL, lines);
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))} line 5: holds change \\d+ where change \\d+ belongs: a line is repeated or out of order`));
  });

  test('two lines swapped', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    [lines[3], lines[4]] = [lines[4]!, lines[3]!];
    writeLines(directory, JOURNAL, lines);
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))} line 4: holds change \\d+ where change \\d+ belongs: a line is missing or out of order`));
  });

  test('a JSON value edited', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    expect(lines[2]).toContain('"in the journal 1"');
    lines[2] = lines[2]!.replace('"in the journal 1"', '"in the journal 7"');
    writeLines(directory, JOURNAL, lines);
    await expectRefused(directory, `${join(directory, JOURNAL)} line 3: damaged (checksum mismatch)`);
  });

  test('"KeyState": 42 with a checksum that matches (a value kmslite never writes)', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    const keyId = template.journalKeyIds[1]!;
    lines[2] = rewriteLine(lines[2]!, (json: any) => (json.stores[0].keys[keyId].metadata.KeyState = 42));
    writeLines(directory, JOURNAL, lines);
    await expectRefused(directory, `${join(directory, JOURNAL)} line 3: stores[0] (111122223333/eu-west-2) key ${keyId} metadata: KeyState 42 is not what kmslite writes there`);
  });

  test('the header edited (the count of written changes lowered to hide a cut)', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    lines[0] = lines[0]!.replace(/"written":"(\d+)"/, (_all, written: string) => `"written":"${String(Number(written) - 1).padStart(16, '0')}"`);
    writeLines(directory, JOURNAL, [...lines.slice(0, -2), '']);
    await expectRefused(directory, `${join(directory, JOURNAL)} line 1 (the header): damaged (checksum mismatch)`);
  });

  test('replaced by the journal of another data directory', async () => {
    const directory = copyOfTemplate();
    const other = (await makeTemplate()).directory;
    writeFileSync(join(directory, JOURNAL), readFileSync(join(other, JOURNAL)));
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))} line 1 \\(the header\\): journal [0-9a-f]{16} \\(generation \\d+\\) is not the one the state file ${escape(join(directory, STATE))} names: [0-9a-f]{16} \\(generation \\d+, from change \\d+\\); it belongs to another state file`));
  });

  test('changes without their state file (the state file deleted)', async () => {
    const directory = copyOfTemplate();
    unlinkSync(join(directory, STATE));
    await expectRefused(directory, new RegExp(`${escape(join(directory, JOURNAL))} line 1 \\(the header\\): generation \\d+ continues a state file, but ${escape(join(directory, STATE))} is missing`));
  });
});

describe('the state file (kmslite-state.json)', () => {
  const keyRecord = (document: any, keyId: string) => document.stores[0].keys.find((key: any) => key.metadata.KeyId === keyId);

  test('one byte flipped', async () => {
    const directory = copyOfTemplate();
    const bytes = readFileSync(join(directory, STATE));
    const position = Math.floor(bytes.length / 2);
    bytes[position] = bytes[position]! ^ 0x01;
    writeFileSync(join(directory, STATE), bytes);
    await expectRefused(directory, `${join(directory, STATE)}: checksum mismatch: the SHA-256 at its start (bytes 14-77) does not match bytes 80-${bytes.length}: the file was changed after kmslite wrote it`);
  });

  test('"KeyState": 42, as a text edit', async () => {
    const directory = copyOfTemplate();
    const text = readFileSync(join(directory, STATE), 'utf8');
    writeFileSync(join(directory, STATE), text.replace('"KeyState":"Enabled"', '"KeyState":42'));
    await expectRefused(directory, `${join(directory, STATE)}: checksum mismatch`);
  });

  test('"KeyState": 42 with a checksum that matches: the record is named', async () => {
    const directory = copyOfTemplate();
    const document = readStateDocument(directory);
    keyRecord(document, template.stateKeyIds[1]!).metadata.KeyState = 42;
    writeSealedState(directory, document);
    await expectRefused(directory, `${join(directory, STATE)}: stores[0] (111122223333/eu-west-2) keys[1] (key ${template.stateKeyIds[1]}) metadata: KeyState 42 is not what kmslite writes there`);
  });

  test('a character of key material changed, as a text edit', async () => {
    const directory = copyOfTemplate();
    const document = readStateDocument(directory);
    const material: string = keyRecord(document, template.stateKeyIds[0]!).materials[0].bytes.$base64;
    const changed = `${material[0] === 'A' ? 'B' : 'A'}${material.slice(1)}`;
    const text = readFileSync(join(directory, STATE), 'utf8');
    writeFileSync(join(directory, STATE), text.replace(material, changed));
    const message = await expectRefused(directory, `${join(directory, STATE)}: checksum mismatch`);
    expect(message).not.toContain(material);
  });

  test('a character of key material changed with a checksum that matches: the material no longer matches its id', async () => {
    const directory = copyOfTemplate();
    const document = readStateDocument(directory);
    const material = keyRecord(document, template.stateKeyIds[0]!).materials[0].bytes;
    const original: string = material.$base64;
    material.$base64 = `${original[0] === 'A' ? 'B' : 'A'}${original.slice(1)}`;
    writeSealedState(directory, document);
    const message = await expectRefused(directory, new RegExp(`${escape(join(directory, STATE))}: stores\\[0\\] \\(111122223333/eu-west-2\\) keys\\[0\\] \\(key ${template.stateKeyIds[0]}\\) materials\\[0\\]: the key material does not match its id [0-9a-f]{64}`));
    expect(message).not.toContain(original.slice(1));
  });

  test('a character of key material made one that is not base64, with a checksum that matches', async () => {
    const directory = copyOfTemplate();
    const document = readStateDocument(directory);
    const material = keyRecord(document, template.stateKeyIds[2]!).materials[0].bytes;
    const original: string = material.$base64;
    material.$base64 = `${original.slice(0, 5)}!${original.slice(6)}`;
    writeSealedState(directory, document);
    const message = await expectRefused(directory, `${join(directory, STATE)}: stores[0] (111122223333/eu-west-2) keys[2] (key ${template.stateKeyIds[2]}): invalid base64`);
    expect(message).not.toContain(original.slice(6));
  });

  test('a required member missing, with a checksum that matches', async () => {
    const directory = copyOfTemplate();
    const document = readStateDocument(directory);
    delete keyRecord(document, template.stateKeyIds[0]!).metadata.Enabled;
    writeSealedState(directory, document);
    await expectRefused(directory, `${join(directory, STATE)}: stores[0] (111122223333/eu-west-2) keys[0] (key ${template.stateKeyIds[0]}) metadata: Enabled (missing) is not what kmslite writes there`);
  });

  test('a state file without its checksum (the checksum member removed)', async () => {
    const directory = copyOfTemplate();
    writeFileSync(join(directory, STATE), JSON.stringify(readStateDocument(directory)));
    await expectRefused(directory, `${join(directory, STATE)}: no checksum at its start`);
  });

  test('not JSON', async () => {
    const directory = copyOfTemplate();
    writeFileSync(join(directory, STATE), readFileSync(join(directory, STATE), 'utf8').slice(0, 100));
    await expectRefused(directory, `${join(directory, STATE)}: checksum mismatch`);
  });

  test('from a newer format version', async () => {
    const directory = copyOfTemplate();
    writeSealedState(directory, { ...readStateDocument(directory), version: 7 });
    await expectRefused(directory, `${join(directory, STATE)}: format version 7 is newer than this kmslite reads (2)`);
  });
});

describe('the audit log (kmslite-audit.jsonl)', () => {
  test('emptied (0 bytes)', async () => {
    const directory = copyOfTemplate();
    writeFileSync(join(directory, AUDIT), '');
    await expectRefused(directory, `${join(directory, AUDIT)} is empty (0 bytes)`);
  });

  test('deleted', async () => {
    const directory = copyOfTemplate();
    unlinkSync(join(directory, AUDIT));
    await expectRefused(directory, `${join(directory, AUDIT)} is missing`);
  });

  test('shortened at a line boundary', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, AUDIT);
    writeLines(directory, AUDIT, [...lines.slice(0, -2), '']);
    await expectRefused(directory, new RegExp(`${escape(join(directory, AUDIT))}: ends after batch \\d+ \\(line \\d+\\), but its header records that batch \\d+ was written: the file was cut short, 1 written batch is missing`));
  });

  test('a line deleted, duplicated or swapped', async () => {
    for (const edit of [(lines: string[]) => lines.splice(2, 1), (lines: string[]) => lines.splice(2, 0, lines[2]!), (lines: string[]) => ([lines[2], lines[3]] = [lines[3]!, lines[2]!])]) {
      const directory = copyOfTemplate();
      const lines = linesOf(directory, AUDIT);
      edit(lines);
      writeLines(directory, AUDIT, lines);
      await expectRefused(directory, new RegExp(`${escape(join(directory, AUDIT))} line [34]: holds batch \\d+ where batch \\d+ belongs`));
    }
  });

  test('an event edited', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, AUDIT);
    const index = lines.findIndex((line) => line.includes('"eventName":"CreateKey"'));
    lines[index] = lines[index]!.replace('"CreateKey"', '"DeleteKey"');
    writeLines(directory, AUDIT, lines);
    await expectRefused(directory, `${join(directory, AUDIT)} line ${index + 1}: damaged (checksum mismatch)`);
  });

  test('from a newer format version', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, AUDIT);
    lines[0] = rewriteLine(lines[0]!, (header) => (header.version = 3));
    writeLines(directory, AUDIT, lines);
    await expectRefused(directory, `${join(directory, AUDIT)} line 1 (the header): format version 3 is newer than this kmslite reads (2)`);
  });
});

describe('a last line a crash cut off is dropped with a warning, and only that', () => {
  async function startLogged(directory: string) {
    const logs: string[] = [];
    const instance = await startTestKmslite({ dataPath: directory, logLevel: 'warn', logStream: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream });
    running.push(instance);
    return { instance, logs: () => logs.join('') };
  }

  const stateOf = (instance: RunningKmslite) => JSON.parse(JSON.stringify(encodeState(instance.kmslite.stores, instance.kmslite.clock.offset, 0, new Date(0)).stores));

  test('a write the crash cut off before its sync finished (never acknowledged): the state before it', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    const next = rewriteLine(lines[6]!, (json) => (json.sequence = (json.sequence as number) + 1));
    writeLines(directory, JOURNAL, [...lines.slice(0, -1), next.slice(0, next.length - 40)]);
    const { instance, logs } = await startLogged(directory);
    expect(logs()).toContain(`${join(directory, JOURNAL)}: dropped an incomplete last line (`);
    expect(instance.kmslite.stores.get('111122223333', 'eu-west-2').keys.size).toBe(9);
  });

  test('killed after the sync but before the header recorded it (acknowledged only after both): that line complete or cut, both load', async () => {
    const directory = copyOfTemplate();
    const lines = linesOf(directory, JOURNAL);
    // The header as it was before the last append was recorded in it.
    lines[0] = rewriteLine(lines[0]!, (header) => (header.written = (header.written as number) - 1));
    writeLines(directory, JOURNAL, lines);
    const complete = await startLogged(directory);
    expect(complete.instance.kmslite.stores.get('111122223333', 'eu-west-2').keys.has(template.journalKeyIds[5]!)).toBe(true);
    expect(complete.logs()).toBe('');
    for (const instance of running.splice(0)) await instance.stop();

    const cutDirectory = copyOfTemplate();
    writeLines(cutDirectory, JOURNAL, [...lines.slice(0, -2), lines[6]!.slice(0, 100)]);
    const beforeLast = copyOfTemplate();
    writeLines(beforeLast, JOURNAL, [rewriteLine(lines[0]!, () => undefined), ...lines.slice(1, -2), '']);
    const cut = await startLogged(cutDirectory);
    expect(cut.logs()).toContain('dropped an incomplete last line (100 bytes)');
    const expected = await startLogged(beforeLast);
    expect(stateOf(cut.instance)).toEqual(stateOf(expected.instance));
    const kms = kmsClient(cut.instance);
    await expect(kms.send(new DescribeKeyCommand({ KeyId: template.journalKeyIds[5]! }))).rejects.toMatchObject({ name: 'NotFoundException' });
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/after-the-cut', TargetKeyId: template.journalKeyIds[4]! }));
    kms.destroy();
  });

  test('nothing is written before the checks: a refused directory has no new file (no lock left, no temporary file)', async () => {
    const directory = copyOfTemplate();
    writeFileSync(join(directory, JOURNAL), '');
    await expectRefused(directory, 'is empty');
    expect(existsSync(join(directory, 'kmslite.lock'))).toBe(false);
  });
});
