import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorOf, kmsClient, rawRequest, ACCOUNT_ID, REGION, useKmslite, accountClient, expectWireError, createKey as createKeyMetadata } from '../helpers/fixture.js';
import type { RunningKmslite } from '../../src/index.js';

const SEEDED_KEY_ID = '7d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a';
const SEEDED_MATERIAL = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const SEEDED_OLD_MATERIAL = Buffer.from('ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100', 'hex');
/** A seeded key with a free-form id: its blobs name it in UTF-8 (key id form 0x02), so their header is longer. */
const SEEDED_FREE_FORM_KEY_ID = 'seeded-free-form';

let running: RunningKmslite;
let kms: KMSClient;
let keyArn: string;
let keyId: string;

/** A seed file with one known key and its alias; its path. */
function writeSeed(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmslite-seed-'));
  const seedPath = join(dir, 'seed.yaml');
  writeFileSync(
    seedPath,
    `Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ${SEEDED_KEY_ID}
        BackingKeys:
          - ${SEEDED_OLD_MATERIAL.toString('hex')}
          - ${SEEDED_MATERIAL.toString('hex')}
      - Metadata:
          KeyId: ${SEEDED_FREE_FORM_KEY_ID}
        BackingKeys:
          - ${SEEDED_MATERIAL.toString('hex')}
Aliases:
  - AliasName: alias/seeded
    TargetKeyId: ${SEEDED_KEY_ID}
`,
  );
  return seedPath;
}

useKmslite((server) => ({ running, kms } = server), () => ({ seedPath: writeSeed() }));

beforeAll(async () => {
  const created = await kms.send(new CreateKeyCommand({}));
  keyArn = created.KeyMetadata!.Arn!;
  keyId = created.KeyMetadata!.KeyId!;
});

async function createKey(): Promise<{ KeyId: string; Arn: string }> {
  const metadata = await createKeyMetadata(kms);
  return { KeyId: metadata.KeyId!, Arn: metadata.Arn! };
}

function disableKeyDirectly(id: string, state: 'Disabled' | 'PendingDeletion' | 'PendingImport') {
  // Key lifecycle operations have their own tests; here the state is set directly to isolate crypto behaviour.
  const record = running.kmslite.stores.get(ACCOUNT_ID, REGION).keys.get(id)!;
  record.metadata.KeyState = state;
  record.metadata.Enabled = false;
}

describe('Encrypt', () => {
  test('returns the key ARN, SYMMETRIC_DEFAULT and a blob that Decrypt opens without KeyId', async () => {
    const plaintext = randomBytes(100);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    expect(encrypted.KeyId).toBe(keyArn);
    expect(encrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(encrypted.CiphertextBlob!.length).toBe(100 + 78);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(keyArn);
    expect(decrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(decrypted.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['key id', () => keyId],
    ['key ARN', () => keyArn],
    ['alias name', () => 'alias/seeded'],
    ['alias ARN', () => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/seeded`],
  ])('accepts the %s', async (_form, id) => {
    const encrypted = await kms.send(new EncryptCommand({ KeyId: id(), Plaintext: Buffer.from('x') }));
    expect(encrypted.KeyId).toMatch(/^arn:aws:kms:eu-west-2:111122223333:key\//);
  });

  test('a 4096-byte plaintext fits in a 6144-byte ciphertext; 4097 bytes is refused like AWS', async () => {
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: randomBytes(4096) }));
    expect(encrypted.CiphertextBlob!.length).toBeLessThanOrEqual(6144);
    const error = await errorOf(() => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: randomBytes(4097) })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('missing KeyId and unknown keys answer as AWS does', async () => {
    await expectWireError(running, 'Encrypt', { Plaintext: 'aGVsbG8=' }, 'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    const unknownId = '0b8f8c1e-3d6a-4a57-9b52-3c1f5a3f2d10';
    const notFound = await errorOf(() => kms.send(new EncryptCommand({ KeyId: unknownId, Plaintext: Buffer.from('x') })));
    expect(notFound.name).toBe('NotFoundException');
    expect(notFound.message).toBe(`Key 'arn:aws:kms:eu-west-2:111122223333:key/${unknownId}' does not exist`);
    const invalid = await errorOf(() => kms.send(new EncryptCommand({ KeyId: 'fake-key-id', Plaintext: Buffer.from('x') })));
    expect(invalid.message).toBe("Invalid keyId 'fake-key-id'");
    const alias = await errorOf(() => kms.send(new EncryptCommand({ KeyId: 'alias/nope', Plaintext: Buffer.from('x') })));
    expect(alias.name).toBe('NotFoundException');
    expect(alias.message).toBe('Alias arn:aws:kms:eu-west-2:111122223333:alias/nope is not found.');
    const otherRegion = await errorOf(() =>
      kms.send(new EncryptCommand({ KeyId: keyArn.replace('eu-west-2', 'us-east-1'), Plaintext: Buffer.from('x') })),
    );
    expect(otherRegion.message).toBe('Invalid arn us-east-1');
  });

  test('refuses disabled, pending-deletion and pending-import keys with AWS texts', async () => {
    const disabled = await createKey();
    disableKeyDirectly(disabled.KeyId, 'Disabled');
    const e1 = await errorOf(() => kms.send(new EncryptCommand({ KeyId: disabled.KeyId, Plaintext: Buffer.from('x') })));
    expect([e1.name, e1.message]).toEqual(['DisabledException', `${disabled.Arn} is disabled.`]);
    const pending = await createKey();
    disableKeyDirectly(pending.KeyId, 'PendingDeletion');
    const e2 = await errorOf(() => kms.send(new EncryptCommand({ KeyId: pending.KeyId, Plaintext: Buffer.from('x') })));
    expect([e2.name, e2.message]).toEqual(['KMSInvalidStateException', `${pending.Arn} is pending deletion.`]);
    const external = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    const e3 = await errorOf(() => kms.send(new EncryptCommand({ KeyId: external.KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') })));
    expect([e3.name, e3.message]).toEqual(['KMSInvalidStateException', `${external.KeyMetadata!.Arn} is pending import.`]);
  });

  test('an encryption algorithm the key does not offer is refused', async () => {
    const error = await errorOf(() => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })));
    expect(error.name).toBe('InvalidKeyUsageException');
  });

  test('DryRun answers DryRunOperationException when the call would succeed, the real error otherwise', async () => {
    const dry = await errorOf(() => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), DryRun: true })));
    expect([dry.name, dry.message]).toEqual(['DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.']);
    expect(dry.$metadata.httpStatusCode).toBe(400);
    const missing = await errorOf(() => kms.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: Buffer.from('x'), DryRun: true })));
    expect(missing.name).toBe('NotFoundException');
  });
});

describe('Decrypt', () => {
  test('binds the encryption context exactly (AWS: InvalidCiphertextException, no message)', async () => {
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('secret'), EncryptionContext: { a: 'bc' } }));
    const ok = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { a: 'bc' } }));
    expect(Buffer.from(ok.Plaintext!).toString()).toBe('secret');
    for (const context of [undefined, {}, { ab: 'c' }, { a: 'bc', x: 'y' }, { A: 'bc' }]) {
      const raw = await rawRequest(running, 'Decrypt', {
        CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString('base64'),
        ...(context ? { EncryptionContext: context } : {}),
      });
      expect(raw.status).toBe(400);
      expect(raw.json).toEqual({ __type: 'InvalidCiphertextException' });
    }
  });

  test('tampered, truncated, extended and random blobs answer InvalidCiphertextException', async () => {
    const encrypted = Buffer.from((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('secret') }))).CiphertextBlob!);
    const variants = [
      Buffer.concat([encrypted.subarray(0, 40), Buffer.from([encrypted[40]! ^ 1]), encrypted.subarray(41)]),
      encrypted.subarray(0, encrypted.length - 1),
      Buffer.concat([encrypted, randomBytes(8)]),
      encrypted.subarray(68),
      randomBytes(200),
      Buffer.from([1]),
    ];
    for (const blob of variants) {
      const error = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: blob })));
      expect(error.name).toBe('InvalidCiphertextException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  test('a KeyId that is not the ciphertext key answers IncorrectKeyException', async () => {
    const other = await createKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const error = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: other.KeyId })));
    expect([error.name, error.message]).toEqual([
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    ]);
    const right = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: keyArn }));
    expect(right.KeyId).toBe(keyArn);
  });

  test('a ciphertext from another Region or account does not decrypt there', async () => {
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const otherRegion = kmsClient(running, 'us-east-1');
    const e1 = await errorOf(() => otherRegion.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    expect(e1.name).toBe('InvalidCiphertextException');
    const otherAccount = accountClient(running, '444455556666');
    const e2 = await errorOf(() => otherAccount.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    expect(e2.name).toBe('InvalidCiphertextException');
  });

  test('refuses a disabled key', async () => {
    const key = await createKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    disableKeyDirectly(key.KeyId, 'Disabled');
    const error = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    expect([error.name, error.message]).toEqual(['DisabledException', `${key.Arn} is disabled.`]);
  });

  /**
   * The documented format, built here with node:crypto alone (docs/contributing/ciphertext-format.md): a blob
   * written by any kmslite build must open this way, and a blob made this way must decrypt in kmslite, so
   * ciphertexts move both ways between builds. Without a context (kmslite's common case, precomputed there) and
   * with contexts whose pairs need sorting by their UTF-8 bytes; a UUID key id and a free-form seeded one (another
   * header length); the current and the rotated-out material.
   */
  const FORMAT_CONTEXTS: (Record<string, string> | undefined)[] = [
    undefined,
    {},
    { purpose: 'format-check' },
    { 'zeta': '1', 'Zeta': '2', 'é': 'ü', 'a': '', '': 'empty key' },
  ];

  function documentedAad(header: Buffer, context: Record<string, string> | undefined): Buffer {
    const scope = Buffer.from(`aws:${REGION}:${ACCOUNT_ID}\0`);
    const pairs = Object.entries(context ?? {})
      .map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const)
      .sort((a, b) => Buffer.compare(a[0], b[0]));
    const contextBytes = Buffer.concat([u32(pairs.length), ...pairs.flatMap(([k, v]) => [u32(k.length), k, u32(v.length), v])]);
    return Buffer.concat([header, scope, contextBytes]);
  }

  function documentedHeader(id: string, material: Buffer): Buffer {
    const idBytes = /^[0-9a-f]{8}-/.test(id)
      ? Buffer.concat([Buffer.from([0]), Buffer.from(id.replace(/-/g, ''), 'hex')])
      : Buffer.concat([Buffer.from([2, Buffer.byteLength(id)]), Buffer.from(id)]);
    const materialId = createHash('sha256').update('kmslite key material id\0').update(material).digest();
    return Buffer.concat([Buffer.from([1]), idBytes, materialId, randomBytes(12)]);
  }

  test.each(FORMAT_CONTEXTS)('the blob is real AES-256-GCM in the documented format, context %o (opened here with node:crypto and the seeded material)', async (context) => {
    for (const [id, plaintext] of [[SEEDED_KEY_ID, 'independent'], [SEEDED_FREE_FORM_KEY_ID, 'y'], [SEEDED_KEY_ID, 'x'.repeat(4096)]] as const) {
      const encrypted = Buffer.from((await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from(plaintext), EncryptionContext: context }))).CiphertextBlob!);
      const headerLength = documentedHeader(id, SEEDED_MATERIAL).length;
      const header = encrypted.subarray(0, headerLength);
      expect(header.subarray(0, headerLength - 12)).toEqual(documentedHeader(id, SEEDED_MATERIAL).subarray(0, headerLength - 12));
      expect(encrypted).toHaveLength(headerLength + Buffer.byteLength(plaintext) + 16);
      const decipher = createDecipheriv('aes-256-gcm', SEEDED_MATERIAL, header.subarray(headerLength - 12));
      decipher.setAAD(documentedAad(header, context));
      decipher.setAuthTag(encrypted.subarray(encrypted.length - 16));
      const opened = Buffer.concat([decipher.update(encrypted.subarray(headerLength, encrypted.length - 16)), decipher.final()]);
      expect(opened.toString()).toBe(plaintext);
    }
    // GenerateDataKey seals the same way.
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: SEEDED_KEY_ID, KeySpec: 'AES_256', EncryptionContext: context }));
    const blob = Buffer.from(generated.CiphertextBlob!);
    const decipher = createDecipheriv('aes-256-gcm', SEEDED_MATERIAL, blob.subarray(50, 62));
    decipher.setAAD(documentedAad(blob.subarray(0, 62), context));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    expect(Buffer.concat([decipher.update(blob.subarray(62, blob.length - 16)), decipher.final()])).toEqual(Buffer.from(generated.Plaintext!));
  });

  test.each(FORMAT_CONTEXTS)('a blob made here with node:crypto in the documented format decrypts, context %o', async (context) => {
    for (const [id, material, plaintext] of [
      [SEEDED_KEY_ID, SEEDED_MATERIAL, 'made elsewhere'],
      [SEEDED_KEY_ID, SEEDED_OLD_MATERIAL, 'under the old material'],
      [SEEDED_FREE_FORM_KEY_ID, SEEDED_MATERIAL, 'z'],
    ] as const) {
      const header = documentedHeader(id, material);
      const cipher = createCipheriv('aes-256-gcm', material, header.subarray(header.length - 12));
      cipher.setAAD(documentedAad(header, context));
      const blob = Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
      expect(Buffer.from(decrypted.Plaintext ?? []).toString()).toBe(plaintext);
      expect(decrypted.KeyId).toBe(`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${id}`);
      // Another context (another additional data) and it no longer opens.
      const otherContext = Object.keys(context ?? {}).length === 0 ? { extra: 'pair' } : undefined;
      expect((await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: otherContext })))).name).toBe('InvalidCiphertextException');
    }
  });

  test('decrypts a ciphertext made by local-kms with the same seeded backing keys', async () => {
    // local-kms blob: [len][ARN][u32le backing-key index][12-byte nonce][GCM ciphertext||tag], AAD = sorted key+value.
    for (const [index, material] of [[0, SEEDED_OLD_MATERIAL], [1, SEEDED_MATERIAL]] as const) {
      const arn = `arn:aws:kms:eu-west-2:111122223333:key/${SEEDED_KEY_ID}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', material, iv);
      cipher.setAAD(Buffer.from('appfixtureenvtest'));
      const body = Buffer.concat([cipher.update('from local-kms'), cipher.final(), cipher.getAuthTag()]);
      const indexBytes = Buffer.alloc(4);
      indexBytes.writeUInt32LE(index);
      const blob = Buffer.concat([Buffer.from([arn.length]), Buffer.from(arn), indexBytes, iv, body]);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { env: 'test', app: 'fixture' } }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('from local-kms');
      expect(decrypted.KeyId).toBe(arn);
      const wrongContext = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { env: 'prod', app: 'fixture' } })));
      expect(wrongContext.name).toBe('InvalidCiphertextException');
    }
  });

  test('missing CiphertextBlob is a validation error; DryRun with IGNORE_CIPHERTEXT checks only the key', async () => {
    const missing = await rawRequest(running, 'Decrypt', { KeyId: keyId });
    expect(missing.json.__type).toBe('ValidationException');
    const dry = await errorOf(() => kms.send(new DecryptCommand({ KeyId: keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })));
    expect(dry.name).toBe('DryRunOperationException');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const dry2 = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DryRun: true })));
    expect(dry2.name).toBe('DryRunOperationException');
    const dryBad = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: randomBytes(100), DryRun: true })));
    expect(dryBad.name).toBe('InvalidCiphertextException');
  });
});

describe('ReEncrypt', () => {
  test('moves a ciphertext to another key and context, reporting both keys and material ids', async () => {
    const destination = await createKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('move me'), EncryptionContext: { from: 'a' } }));
    const moved = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        SourceEncryptionContext: { from: 'a' },
        DestinationKeyId: destination.KeyId,
        DestinationEncryptionContext: { to: 'b' },
      }),
    );
    expect(moved.KeyId).toBe(destination.Arn);
    expect(moved.SourceKeyId).toBe(keyArn);
    expect(moved.SourceEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(moved.DestinationEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(moved.SourceKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(moved.DestinationKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { to: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('move me');
    expect(decrypted.KeyId).toBe(destination.Arn);
  });

  test('a wrong SourceKeyId answers IncorrectKeyException; a wrong source context InvalidCiphertextException', async () => {
    const other = await createKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: '1' } }));
    const wrongKey = await errorOf(() =>
      kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, SourceKeyId: other.KeyId, DestinationKeyId: other.KeyId, SourceEncryptionContext: { a: '1' } })),
    );
    expect(wrongKey.name).toBe('IncorrectKeyException');
    const wrongContext = await errorOf(() => kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: other.KeyId })));
    expect(wrongContext.name).toBe('InvalidCiphertextException');
  });

  test('a disabled destination is refused and nothing is re-encrypted', async () => {
    const destination = await createKey();
    disableKeyDirectly(destination.KeyId, 'Disabled');
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const error = await errorOf(() => kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: destination.KeyId })));
    expect([error.name, error.message]).toEqual(['DisabledException', `${destination.Arn} is disabled.`]);
  });
});

describe('GenerateDataKey and GenerateDataKeyWithoutPlaintext', () => {
  test.each([
    [{ KeySpec: 'AES_256' as const }, 32],
    [{ KeySpec: 'AES_128' as const }, 16],
    [{ NumberOfBytes: 64 }, 64],
    [{ NumberOfBytes: 1 }, 1],
  ])('%o gives a data key of %i bytes whose ciphertext decrypts to it', async (spec, length) => {
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/seeded', EncryptionContext: { k: 'v' }, ...spec }));
    expect(generated.Plaintext!.length).toBe(length);
    expect(generated.KeyId).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${SEEDED_KEY_ID}`);
    expect(generated.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: { k: 'v' } }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(generated.Plaintext!));
    const withoutContext = await errorOf(() => kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob })));
    expect(withoutContext.name).toBe('InvalidCiphertextException');
  });

  test('WithoutPlaintext returns no plaintext, and the ciphertext decrypts', async () => {
    const generated = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    expect(generated).not.toHaveProperty('Plaintext');
    expect(generated.KeyId).toBe(keyArn);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob }));
    expect(decrypted.Plaintext!.length).toBe(32);
  });

  test('needs exactly one of KeySpec and NumberOfBytes; validates both', async () => {
    for (const body of [{ KeyId: keyId }, { KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 }]) {
      const raw = await rawRequest(running, 'GenerateDataKey', body);
      expect(raw.status).toBe(400);
      expect(raw.json.__type).toBe('ValidationException');
    }
    const big = await rawRequest(running, 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1025 });
    expect(big.json.message).toBe(
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });
});

describe('GenerateRandom', () => {
  test.each([1, 12, 44, 91, 1024])('returns exactly %i random bytes', async (count) => {
    const result = await kms.send(new GenerateRandomCommand({ NumberOfBytes: count }));
    expect(result.Plaintext!.length).toBe(count);
  });

  test('two calls differ', async () => {
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    expect(Buffer.from(a.Plaintext!)).not.toEqual(Buffer.from(b.Plaintext!));
  });

  test.each([
    [{}, 'NumberOfBytes is required.'],
    [{ NumberOfBytes: 0 }, "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    [{ NumberOfBytes: 1025 }, "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"],
  ])('%o answers ValidationException as AWS recorded', async (body, message) => {
    const raw = await rawRequest(running, 'GenerateRandom', body);
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({ __type: 'ValidationException', message });
  });
});

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}
