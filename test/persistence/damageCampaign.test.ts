/**
 * Random damage to a real data directory (the scenario of test/helpers/persistenceScenario.ts, then more changes
 * after a restart, the files copied as a SIGKILL leaves them): every damage is either refused, with a message
 * starting with the damaged file's full path and every file byte for byte and mtime as it was, or is exactly a
 * torn last line (the complete lines the header counts are intact, and what follows them has no newline), and
 * then the load is the state before the torn write, with a warning. Never a silent load.
 *
 * Two directories are damaged: one as kmslite leaves it between writes (the header counts every line), and one
 * as a SIGKILL after a journal line's sync and before its header update leaves it (the header counts one line
 * fewer): there, cutting that last line is a torn write and must load as the state before it.
 */
import { CreateAliasCommand, CreateKeyCommand, KMSClient, TagResourceCommand } from '@aws-sdk/client-kms';
import { beforeAll, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail } from '../../src/audit/trail.js';
import { StoreBundle } from '../../src/store/bundle.js';
import { ChangeTracker } from '../../src/store/changeTracker.js';
import { FilePersistence } from '../../src/store/filePersistence.js';
import { encodeState } from '../../src/store/stateCodec.js';
import { AUDIT, JOURNAL, STATE, copyDataFiles, filesOf, sameFiles, newDataDirectory, rewriteLine } from '../helpers/dataDirectory.js';
import { kmsClient, startTestKmslite, TEST_CREDENTIALS } from '../helpers/fixture.js';
import { runScenario } from '../helpers/persistenceScenario.js';

type Files = Record<string, Buffer>;
const DATA_FILES = [STATE, JOURNAL, AUDIT];

interface Loaded {
  ok: boolean;
  message: string;
  warnings: string[];
  state?: unknown;
}

/** Loads a directory the way start-up does (lock, read, check), without a server; closes it when it loaded. */
async function load(directory: string): Promise<Loaded> {
  const warnings: string[] = [];
  const tracker = new ChangeTracker();
  const stores = new StoreBundle(tracker);
  const audit = new AuditTrail({ maxEvents: 10_000 });
  let offset = 0;
  const persistence = await FilePersistence.open(directory, tracker, (message) => warnings.push(message));
  try {
    await persistence.load({ stores, getClockOffset: () => offset, setClockOffset: (value) => (offset = value), audit });
  } catch (error) {
    return { ok: false, message: (error as Error).message, warnings };
  }
  const state = JSON.parse(JSON.stringify({ stores: encodeState(stores, offset, 0, new Date(0)).stores, offset, audit: audit.snapshot() }));
  await persistence.close();
  return { ok: true, message: '', warnings, state };
}

function writeDirectory(files: Files): string {
  const directory = mkdtempSync(join(tmpdir(), 'kmslite-damage-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(directory, name), bytes);
  return directory;
}

interface Base {
  name: string;
  files: Files;
  /** Loads by the number of complete journal lines that may stay (all of them, or all but the last). */
  expected: Map<number, unknown>;
  /** The number of complete lines the header of each log counts (header included): fewer is a cut. */
  counted: Record<string, number>;
}

const completeLines = (bytes: Buffer) => bytes.toString('latin1').split('\n').length - 1;

let bases: Base[];

beforeAll(async () => {
  const directory = newDataDirectory();
  const first = await startTestKmslite({ dataPath: directory });
  const clients: KMSClient[] = [];
  await runScenario((region = 'eu-west-2', credentials = TEST_CREDENTIALS) => {
    const client = kmsClient(first, region, credentials);
    clients.push(client);
    return client;
  });
  clients.forEach((client) => client.destroy());
  await first.stop();
  // After a restart: the scenario is in the state file; these changes are journal lines, one each.
  const second = await startTestKmslite({ dataPath: directory });
  const kms = kmsClient(second);
  for (let i = 0; i < 4; i++) {
    const keyId = (await kms.send(new CreateKeyCommand({ Description: `after the restart ${i}` }))).KeyMetadata!.KeyId!;
    if (i % 2 === 0) await kms.send(new CreateAliasCommand({ AliasName: `alias/after-${i}`, TargetKeyId: keyId }));
    else await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'i', TagValue: String(i) }] }));
    await second.kmslite.commit();
  }
  kms.destroy();
  const exact: Files = Object.fromEntries(copyDataFiles(directory));
  await second.stop();
  rmSync(directory, { recursive: true });

  // The same directory as a SIGKILL between a journal line's sync and its header update leaves it.
  const journalLines = exact[JOURNAL]!.toString('utf8').split('\n');
  const lagging: Files = { ...exact, [JOURNAL]: Buffer.from([rewriteLine(journalLines[0]!, (header) => (header.written = (header.written as number) - 1)), ...journalLines.slice(1)].join('\n')) };
  const beforeLast: Files = { ...lagging, [JOURNAL]: Buffer.from([rewriteLine(journalLines[0]!, (header) => (header.written = (header.written as number) - 1)), ...journalLines.slice(1, -2), ''].join('\n')) };

  const loadFiles = async (files: Files) => {
    const copy = writeDirectory(files);
    const loaded = await load(copy);
    rmSync(copy, { recursive: true });
    expect(loaded.message).toBe('');
    return loaded.state;
  };
  const full = await loadFiles(exact);
  expect(await loadFiles(lagging)).toEqual(full);
  const withoutLast = await loadFiles(beforeLast);
  expect(withoutLast).not.toEqual(full);
  const lines = completeLines(exact[JOURNAL]!);
  const counted = (files: Files, name: string, lag: number) => completeLines(files[name]!) - lag;
  bases = [
    { name: 'as left between writes', files: exact, expected: new Map([[lines, full]]), counted: { [JOURNAL]: counted(exact, JOURNAL, 0), [AUDIT]: counted(exact, AUDIT, 0) } },
    {
      name: 'killed before the header counted the last line',
      files: lagging,
      expected: new Map([
        [lines, full],
        [lines - 1, withoutLast],
      ]),
      counted: { [JOURNAL]: counted(lagging, JOURNAL, 1), [AUDIT]: counted(lagging, AUDIT, 0) },
    },
  ];
  expect(lines).toBeGreaterThanOrEqual(5);
}, 60_000);

// ---------------------------------------------------------------- damage

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; line: number; other: number }
  | { kind: 'editValue'; line: number; leaf: number; value: unknown }
  | { kind: 'appendTorn'; length: number };

const damageArbitrary: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('editValue' as const), line: fc.nat(), leaf: fc.nat(), value: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(42)) }),
  fc.record({ kind: fc.constant('appendTorn' as const), length: fc.integer({ min: 1, max: 200 }) }),
);

/** The damaged bytes, or undefined when this damage cannot apply to this file (it would change nothing). */
function applyDamage(bytes: Buffer, damage: Damage): Buffer | undefined {
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  const last = lines.pop()!; // '' when the file ends with a newline
  const joined = (list: string[]) => Buffer.from(list.map((line) => `${line}\n`).join('') + last, 'utf8');
  switch (damage.kind) {
    case 'truncate':
      return bytes.subarray(0, damage.at % bytes.length);
    case 'flip': {
      const copy = Buffer.from(bytes);
      copy[damage.at % copy.length] ^= damage.mask;
      return copy;
    }
    case 'deleteLine':
      if (lines.length === 0) return undefined;
      return joined(lines.filter((_line, index) => index !== damage.line % lines.length));
    case 'duplicateLine': {
      if (lines.length === 0) return undefined;
      const index = damage.line % lines.length;
      return joined([...lines.slice(0, index + 1), lines[index]!, ...lines.slice(index + 1)]);
    }
    case 'swapLines': {
      const a = damage.line % lines.length;
      const b = damage.other % lines.length;
      if (a === b || lines[a] === lines[b]) return undefined;
      const copy = [...lines];
      [copy[a], copy[b]] = [copy[b]!, copy[a]!];
      return joined(copy);
    }
    case 'editValue': {
      // The state file is one JSON text; a log line is "<hash> <json>": the value changes, the checksum does not.
      const single = lines.length === 0;
      const index = single ? 0 : damage.line % lines.length;
      const source = single ? last : lines[index]!;
      const prefix = single ? '' : source.slice(0, 17);
      const json = JSON.parse(single ? source : source.slice(17));
      const leaves: [Record<string, unknown>, string][] = [];
      const walk = (node: unknown) => {
        if (typeof node !== 'object' || node === null) return;
        for (const [key, value] of Object.entries(node)) {
          if (typeof value === 'object' && value !== null) walk(value);
          else leaves.push([node as Record<string, unknown>, key]);
        }
      };
      walk(json);
      const [holder, key] = leaves[damage.leaf % leaves.length]!;
      if (Object.is(holder[key], damage.value)) return undefined;
      holder[key] = damage.value;
      const edited = prefix + JSON.stringify(json);
      if (single) return Buffer.from(edited, 'utf8');
      const copy = [...lines];
      copy[index] = edited;
      return joined(copy);
    }
    case 'appendTorn': {
      // A prefix of a plausible next line, as a write cut off by a crash leaves it.
      const model = lines[lines.length - 1] ?? last;
      return Buffer.concat([bytes, Buffer.from(model.slice(0, Math.min(damage.length, Math.max(1, model.length - 1))), 'utf8')]);
    }
  }
}

/**
 * Whether `damaged` is exactly what a crash can leave of `original`: a prefix of its whole lines with at least the
 * lines the header counts, then bytes without a newline (a torn write) or nothing (a write the header did not
 * count yet, not acknowledged: a kill just before it leaves the same bytes). Resolves with the lines kept.
 */
function crashLeftover(original: Buffer, damaged: Buffer, counted: number): { kept: number; torn: boolean } | undefined {
  const end = damaged.lastIndexOf('\n'.charCodeAt(0)) + 1;
  if (end === 0 || !damaged.subarray(0, end).equals(original.subarray(0, end))) return undefined;
  const kept = completeLines(damaged.subarray(0, end));
  return kept >= counted ? { kept, torn: end < damaged.length } : undefined;
}

test('random damage is refused with every file untouched, or is exactly a torn last line that loads as the state before it', async () => {
  const counts = { tried: 0, refused: 0, torn: 0, uncounted: 0, byFile: { [STATE]: 0, [JOURNAL]: 0, [AUDIT]: 0 } as Record<string, number> };
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: bases.length - 1 }), fc.constantFrom(...DATA_FILES), damageArbitrary, async (baseIndex, name, damage) => {
      const base = bases[baseIndex]!;
      const original = base.files[name]!;
      const damaged = applyDamage(original, damage);
      if (damaged === undefined || damaged.equals(original)) return;
      counts.tried++;
      counts.byFile[name]!++;
      const directory = writeDirectory({ ...base.files, [name]: damaged });
      try {
        const before = filesOf(directory);
        const loaded = await load(directory);
        if (!loaded.ok) {
          counts.refused++;
          expect(loaded.message.startsWith(join(directory, name))).toBe(true);
          expect(loaded.message).toContain('The files were left untouched');
          expect(sameFiles(before, filesOf(directory))).toEqual([]);
          return;
        }
        // Loaded: only what a crash can leave of a log may load, and then as the state before the cut-off write.
        const leftover = name === STATE ? undefined : crashLeftover(original, damaged, base.counted[name]!);
        expect({ damage, name, base: base.name, loadedSilently: leftover === undefined }).toEqual({ damage, name, base: base.name, loadedSilently: false });
        if (leftover!.torn) {
          counts.torn++;
          expect(loaded.warnings.join('\n')).toContain(`${join(directory, name)}: dropped an incomplete last line`);
        } else {
          counts.uncounted++;
        }
        const expectedState = name === JOURNAL ? base.expected.get(leftover!.kept) : base.expected.get(completeLines(base.files[JOURNAL]!));
        expect(expectedState).toBeDefined();
        expect(loaded.state).toEqual(expectedState);
      } finally {
        rmSync(directory, { recursive: true });
      }
    }),
    { numRuns: 500 },
  );
  console.log(`damage campaign: ${counts.tried} damages tried (state ${counts.byFile[STATE]}, journal ${counts.byFile[JOURNAL]}, audit ${counts.byFile[AUDIT]}): ${counts.refused} refused with the files untouched, ${counts.torn} torn last lines and ${counts.uncounted} removed uncounted last lines loaded as the state before them`);
  expect(counts.refused).toBeGreaterThan(200);
  expect(counts.torn).toBeGreaterThan(5);
}, 60_000);
