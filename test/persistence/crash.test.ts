/**
 * Crash test: the kmslite command (the bundle, as users run it) with a data directory under a write load is
 * killed with SIGKILL at random moments, 20 times, and restarted on the same directory; every change that was
 * acknowledged before the kill must be there after the restart. Also: the full scenario of restart.test.ts
 * survives a SIGKILL, and a second kmslite process on the same directory is refused.
 */
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, TagResourceCommand } from '@aws-sdk/client-kms';
import { afterEach, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScenario, runScenario } from '../helpers/persistenceScenario.js';

const BIN = fileURLToPath(new URL('../../dist/bundle/kmslite.cjs', import.meta.url));
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Server {
  child: ChildProcess;
  endpoint: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the bundled kmslite on a free port; resolves once it listens. */
async function startServer(dataPath: string): Promise<Server> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--host', '127.0.0.1', '--no-seed', '--data-path', dataPath, '--allow-key-material-export'], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 400; i++) {
    const match = /"endpoint":"(http:\/\/[^"]+)"/.exec(output);
    if (match) {
      const server = { child, endpoint: match[1]!, output: () => output, exited };
      running.add(server);
      return server;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  throw new Error(`kmslite did not start:\n${output}`);
}

async function kill(server: Server): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
  running.delete(server);
}

/** Servers still alive when a test fails: killed, so Jest does not wait on them forever. */
const running = new Set<Server>();
afterEach(async () => {
  for (const server of [...running]) await kill(server);
});

const client = (endpoint: string, region = 'eu-west-2', credentials = CREDENTIALS) => new KMSClient({ endpoint, region, credentials, maxAttempts: 1 });

interface Acknowledged {
  keys: Map<string, string>; // key id → description
  aliases: Map<string, string>; // alias name → key id
  tags: Map<string, string>; // key id → value of tag "round"
  ciphertexts: { keyId: string; blob: Uint8Array; plaintext: string }[];
}

/** Resolves once `count` keys are acknowledged (checked every millisecond; the writers run meanwhile). */
function keysAcknowledged(acknowledged: Acknowledged, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (acknowledged.keys.size >= count ? resolve() : setTimeout(check, 1));
    check();
  });
}

/** Writers that record each change once kmslite has answered it; they stop at the first failed call (the kill). */
async function writeLoad(endpoint: string, round: number, acknowledged: Acknowledged): Promise<void> {
  const kms = client(endpoint);
  const writer = async (writerId: number) => {
    for (let i = 0; ; i++) {
      const description = `round ${round} writer ${writerId} key ${i}`;
      const keyId = (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!.KeyId!;
      acknowledged.keys.set(keyId, description);
      if (i % 3 === 0) {
        const aliasName = `alias/r${round}-w${writerId}-${i}`;
        await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
        acknowledged.aliases.set(aliasName, keyId);
      }
      if (i % 3 === 1) {
        await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'round', TagValue: String(round) }] }));
        acknowledged.tags.set(keyId, String(round));
      }
      if (i % 5 === 0) {
        const plaintext = `secret ${description}`;
        const blob = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext) }))).CiphertextBlob!;
        acknowledged.ciphertexts.push({ keyId, blob, plaintext });
      }
    }
  };
  await Promise.allSettled(Array.from({ length: 8 }, (_, writerId) => writer(writerId)));
  kms.destroy();
}

interface ExportedState {
  stores: {
    accountId: string;
    region: string;
    keys: { metadata: { KeyId: string; Description: string }; tags: { TagKey: string; TagValue: string }[]; lastUsage?: unknown }[];
    aliases: { AliasName: string; TargetKeyId: string }[];
  }[];
}

/** The admin API's state export, without last usage (written lazily with the audit events; nobody waits for it). */
async function stateOf(endpoint: string) {
  const response = await fetch(`${endpoint}/_kmslite/state?includeKeyMaterial=true`);
  const state = (await response.json()) as ExportedState;
  for (const store of state.stores) for (const key of store.keys) delete key.lastUsage;
  return state;
}

test('SIGKILL at 20 random moments under a write load: every acknowledged change survives', async () => {
  const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-crash-'));
  const acknowledged: Acknowledged = { keys: new Map(), aliases: new Map(), tags: new Map(), ciphertexts: [] };
  const kills: number[] = [];
  for (let round = 0; round < 20; round++) {
    const server = await startServer(dataPath);
    // Every round checks everything acknowledged in all rounds before it.
    const state = (await stateOf(server.endpoint)).stores.find((store) => store.region === 'eu-west-2');
    const keys = new Map((state?.keys ?? []).map((key) => [key.metadata.KeyId, key]));
    const aliases = new Map((state?.aliases ?? []).map((alias) => [alias.AliasName, alias.TargetKeyId]));
    const missing = [...acknowledged.keys].filter(([keyId, description]) => keys.get(keyId)?.metadata.Description !== description);
    expect(missing).toEqual([]);
    expect([...acknowledged.aliases].filter(([name, keyId]) => aliases.get(name) !== keyId)).toEqual([]);
    expect([...acknowledged.tags].filter(([keyId, value]) => !keys.get(keyId)?.tags.some((tag) => tag.TagKey === 'round' && tag.TagValue === value))).toEqual([]);

    // Kill at a random moment, counted in acknowledged keys rather than milliseconds so that a slow or busy machine
    // still kills in the middle of the load: sometimes before it starts (0), mostly after 1-40 keys, plus 0-9 ms so
    // the kill also lands between an answer and the next write.
    const target = round % 5 === 0 ? 0 : 1 + Math.floor(Math.random() * 40);
    const extraMs = Math.floor(Math.random() * 10);
    kills.push(target);
    const reached = keysAcknowledged(acknowledged, acknowledged.keys.size + target);
    const load = writeLoad(server.endpoint, round, acknowledged);
    // The writers only stop by themselves on a failed call: then the count check below fails, not the timeout.
    await Promise.race([reached, load]);
    await new Promise((resolve) => setTimeout(resolve, extraMs));
    await kill(server);
    await load;
  }

  const server = await startServer(dataPath);
  try {
    const kms = client(server.endpoint);
    for (const { keyId, blob, plaintext } of acknowledged.ciphertexts) {
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect([decrypted.KeyId?.endsWith(keyId), Buffer.from(decrypted.Plaintext!).toString()]).toEqual([true, plaintext]);
    }
    kms.destroy();
    const stores = (await stateOf(server.endpoint)).stores;
    expect(stores.find((store) => store.region === 'eu-west-2')!.keys.length).toBeGreaterThanOrEqual(acknowledged.keys.size);
  } finally {
    await kill(server);
  }
  // The load really ran: every round but the kill-at-start ones reached its target before its kill.
  expect(acknowledged.keys.size).toBeGreaterThanOrEqual(kills.reduce((sum, target) => sum + target, 0));
  console.log(`crash test: 20 SIGKILLs after ${kills.join(', ')} acknowledged keys; ${acknowledged.keys.size} keys, ${acknowledged.aliases.size} aliases, ${acknowledged.tags.size} tags, ${acknowledged.ciphertexts.length} ciphertexts acknowledged and all present`);
  expect(kills).toHaveLength(20);
}, 120_000);

test('the whole scenario (every kind of state) survives a SIGKILL right after its last answer', async () => {
  const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-crash-'));
  const first = await startServer(dataPath);
  const clients: KMSClient[] = [];
  const clientFor = (endpoint: string) => (region = 'eu-west-2', credentials = CREDENTIALS) => {
    const kms = client(endpoint, region, credentials);
    clients.push(kms);
    return kms;
  };
  const facts = await runScenario(clientFor(first.endpoint));
  const before = await stateOf(first.endpoint);
  await kill(first);
  const second = await startServer(dataPath);
  try {
    expect(await stateOf(second.endpoint)).toEqual(before);
    await checkScenario(clientFor(second.endpoint), facts);
  } finally {
    clients.forEach((kms) => kms.destroy());
    await kill(second);
  }
}, 60_000);

test('a second kmslite process on the same data directory is refused with a message and exit code 1', async () => {
  const dataPath = mkdtempSync(join(tmpdir(), 'kmslite-crash-'));
  const first = await startServer(dataPath);
  try {
    const second = spawn(process.execPath, [BIN, '--port', '0', '--no-seed', '--data-path', dataPath], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
    expect(stderr).toContain(`data directory ${dataPath} is in use by another kmslite (pid ${first.child.pid}`);
  } finally {
    await kill(first);
  }
});
