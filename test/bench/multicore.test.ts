/**
 * bench/multicore (issue 12 item 6): the prototype, one owner running the pipeline and two fronts (processes, or
 * worker threads where node has reusePort) doing the HTTP work, must answer as kmslite answers, keep one audit trail with every request in
 * order, and stop cleanly, so its measurement (bench/multicore/run.mjs) cannot rot silently.
 * The prototype runs kmslite from dist/src: `npm test` builds it first.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type ListenOptions, type Server } from 'node:net';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { REGION, TEST_CREDENTIALS } from '../helpers/kmslite.js';

interface Multicore {
  port: number;
  ownerPort: number;
  pids: number[];
  frontPids: number[];
}
interface StartModule {
  startMulticore(options: { port?: number; fronts: number; threads?: boolean; logLevel?: string }): Promise<Multicore>;
  stopMulticore(server: Multicore): Promise<number | null>;
}

const START = new URL('../../bench/multicore/start.mjs', import.meta.url);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Two sockets on one port (`reusePort`, Node 22.12+ on Linux): the worker-thread variant needs it. */
async function supportsReusePort(): Promise<boolean> {
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1', reusePort: true } as ListenOptions, () => resolve(server));
    });
  const first = await listen(0);
  try {
    (await listen((first.address() as AddressInfo).port)).close();
    return true;
  } catch {
    return false;
  } finally {
    first.close();
  }
}

test('two front processes and one owner: SDK round trips, one ordered audit trail, a clean stop', async () => {
  await checkPrototype(false);
});

// Skipped (and shown as skipped) on a Node without reusePort, such as Node 20.
const onReusePort = (await supportsReusePort()) ? test : test.skip;
onReusePort('two front threads (reusePort, Node 22.12+) and one owner: the same checks', async () => {
  await checkPrototype(true);
});

async function checkPrototype(threads: boolean): Promise<void> {
  if (!existsSync(new URL('../../dist/src/server/pipeline.js', import.meta.url))) throw new Error('dist/src is missing: run `npm run build` first');
  const { startMulticore, stopMulticore } = (await import(START.href)) as StartModule;
  const server = await startMulticore({ port: 0, fronts: 2, threads, logLevel: 'silent' });
  let stopped = false;
  try {
    expect(server.frontPids).toHaveLength(threads ? 0 : 2);
    const client = new KMSClient({ endpoint: `http://127.0.0.1:${server.port}`, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const requestIds: string[] = [];
    const created = await client.send(new CreateKeyCommand({ Description: 'multicore' }));
    requestIds.push(created.$metadata.requestId!);
    const keyId = created.KeyMetadata!.KeyId!;

    // In parallel, over several connections (node:cluster hands them to both fronts in turn).
    const plaintexts = Array.from({ length: 12 }, (_, i) => Buffer.from(`plaintext number ${i}`));
    const encrypted = await Promise.all(plaintexts.map((Plaintext) => client.send(new EncryptCommand({ KeyId: keyId, Plaintext }))));
    const decrypted = await Promise.all(encrypted.map(({ CiphertextBlob }) => client.send(new DecryptCommand({ CiphertextBlob }))));
    decrypted.forEach((answer, i) => {
      expect(Buffer.from(answer.Plaintext!).toString()).toBe(plaintexts[i]!.toString());
      expect(answer.KeyId).toBe(created.KeyMetadata!.Arn);
    });

    // Sequential requests: the audit trail must have them in this order, after the parallel ones.
    const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata!.Description).toBe('multicore');
    const missing = await client.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundException);
    const sequential = [described.$metadata.requestId!, (missing as NotFoundException).$metadata.requestId!];

    // The owner's admin API: one audit trail holding every request the fronts handed over.
    const audit = (await (await fetch(`http://127.0.0.1:${server.ownerPort}/_kmslite/audit`)).json()) as { events: { requestID: string; eventName: string; errorCode?: string }[] };
    const ids = audit.events.map((event) => event.requestID);
    const parallel = [...encrypted, ...decrypted].map((answer) => answer.$metadata.requestId!);
    expect(ids).toHaveLength(1 + parallel.length + sequential.length);
    expect(ids[0]).toBe(requestIds[0]);
    expect(new Set(ids.slice(1, 1 + parallel.length))).toEqual(new Set(parallel));
    expect(ids.slice(-2)).toEqual(sequential);
    expect(audit.events.at(-1)).toMatchObject({ eventName: 'DescribeKey', errorCode: 'NotFoundException' });
    client.destroy();

    expect(await stopMulticore(server)).toBe(0);
    stopped = true;
    for (const pid of server.pids) expect(alive(pid)).toBe(false);
  } finally {
    if (!stopped) await stopMulticore(server);
  }
}
