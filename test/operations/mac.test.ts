/**
 * GenerateMac and VerifyMac through the SDK. Sources: API reference GenerateMac / VerifyMac, developer guide
 * "HMAC keys in AWS KMS", aws-recorded-scenarios.md (GenerateMac, VerifyMac: exact texts). HMACs are checked
 * against node:crypto's createHmac with known key material put in the store, and against RFC 4231.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GenerateMacCommand,
  GetKeyLastUsageCommand,
  VerifyMacCommand,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { ACCOUNT_ID, REGION, errorOf, rawRequest, useKmslite, expectRejected, expectBareError, keyArnOf, createHmacKeyId, createKeyId, kms, running, expectWireError } from '../helpers/fixture.js';
import { buildKey } from '../../src/kms/newKey.js';
import type { KeySpec } from '../../src/model/generated/enums.js';

useKmslite();

type HmacSpec = 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512';
const SPECS: ReadonlyArray<{ spec: HmacSpec; algorithm: MacAlgorithmSpec; digest: string; keyBytes: number }> = [
  { spec: 'HMAC_224', algorithm: 'HMAC_SHA_224', digest: 'sha224', keyBytes: 28 },
  { spec: 'HMAC_256', algorithm: 'HMAC_SHA_256', digest: 'sha256', keyBytes: 32 },
  { spec: 'HMAC_384', algorithm: 'HMAC_SHA_384', digest: 'sha384', keyBytes: 48 },
  { spec: 'HMAC_512', algorithm: 'HMAC_SHA_512', digest: 'sha512', keyBytes: 64 },
];
const ALGORITHMS: MacAlgorithmSpec[] = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'];
const MAC_ENUM_TEXT =
  "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: " +
  '[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]';

const store = () => running.kmslite.stores.get(ACCOUNT_ID, REGION);
const b64 = (bytes: Buffer) => bytes.toString('base64');

/** An HMAC key with known material, put straight into the store. */
function knownHmacKey(spec: HmacSpec | KeySpec, material: Buffer): string {
  const keyId = randomUUID();
  const record = buildKey(store(), {
    keyId,
    keySpec: spec as KeySpec,
    keyUsage: 'GENERATE_VERIFY_MAC',
    materials: [material],
    creationDate: new Date(running.kmslite.clock.now()),
  });
  store().putKey(record);
  return keyId;
}

function setState(keyId: string, state: 'Disabled' | 'PendingDeletion' | 'PendingImport') {
  const record = store().keys.get(keyId)!;
  record.metadata.KeyState = state;
  record.metadata.Enabled = false;
}

async function lastUsedOperation(keyId: string): Promise<string | undefined> {
  const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
  return usage.KeyLastUsage?.Operation;
}

describe('GenerateMac', () => {
  describe('validation', () => {
    test("MacAlgorithm 'INVALID' → the recorded enum text", async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      const response = await rawRequest(running, 'GenerateMac', { KeyId: keyId, Message: b64(Buffer.from('m')), MacAlgorithm: 'INVALID' });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ __type: 'ValidationException', message: MAC_ENUM_TEXT });
    });

    test('Message is 1..4096 bytes: 4096 works, 4097 and empty are refused', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      const ok = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: randomBytes(4096) }));
      expect(ok.Mac!.length).toBe(32);
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: randomBytes(4097) })),
        'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
      await expectWireError(running, 'GenerateMac', { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: '' }, 'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1");
    });

    test("malformed KeyId 'key_id' → NotFoundException \"Invalid keyId 'key_id'\" (recorded)", async () => {
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: 'key_id', MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'NotFoundException',
        "Invalid keyId 'key_id'",
      );
    });

    test('an unknown key id → NotFoundException naming the key ARN', async () => {
      const keyId = randomUUID();
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'NotFoundException',
        `Key '${keyArnOf(keyId)}' does not exist`,
      );
    });
  });

  describe('functionality', () => {
    test.each(SPECS)('$spec with $algorithm equals node:crypto HMAC over known material', async ({ spec, algorithm, digest, keyBytes }) => {
      const material = randomBytes(keyBytes);
      const keyId = knownHmacKey(spec, material);
      for (const message of [Buffer.from('some important message'), randomBytes(1), randomBytes(4096)]) {
        const result = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message }));
        expect(Buffer.from(result.Mac!)).toEqual(createHmac(digest, material).update(message).digest());
        expect(result.MacAlgorithm).toBe(algorithm);
        expect(result.KeyId).toBe(keyArnOf(keyId));
      }
    });

    test('RFC 4231 test case 2 ("Jefe"), all four hashes', async () => {
      const expected: Record<MacAlgorithmSpec, string> = {
        HMAC_SHA_224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
        HMAC_SHA_256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
        HMAC_SHA_384:
          'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
        HMAC_SHA_512:
          '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
      };
      for (const { spec, algorithm } of SPECS) {
        // RFC 4231's key is 4 bytes; KMS keys are longer, but HMAC itself takes any length (seeded/imported keys).
        const keyId = knownHmacKey(spec, Buffer.from('Jefe'));
        const result = await kms.send(
          new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: Buffer.from('what do ya want for nothing?') }),
        );
        expect(Buffer.from(result.Mac!).toString('hex')).toBe(expected[algorithm]);
      }
    });

    test.each(SPECS)('a KMS-created $spec key: MAC of the digest length, equal to node:crypto over its stored material', async ({ spec, algorithm, digest, keyBytes }) => {
      const keyId = await createHmacKeyId(kms, spec);
      const material = store().keys.get(keyId)!.materials.at(-1)!.bytes;
      expect(material.length).toBe(keyBytes);
      const message = Buffer.from('hello');
      const result = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message }));
      expect(Buffer.from(result.Mac!)).toEqual(createHmac(digest, material).update(message).digest());
      // Deterministic: the same message gives the same MAC.
      const again = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message }));
      expect(Buffer.from(again.Mac!)).toEqual(Buffer.from(result.Mac!));
    });

    test('every algorithm that is not the key spec\'s → InvalidKeyUsageException "Algorithm X is incompatible with key spec Y."', async () => {
      let checked = 0;
      for (const { spec, algorithm } of SPECS) {
        const keyId = await createHmacKeyId(kms, spec);
        for (const other of ALGORITHMS.filter((a) => a !== algorithm)) {
          await expectRejected(
            () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: other, Message: Buffer.from('m') })),
            'InvalidKeyUsageException',
            `Algorithm ${other} is incompatible with key spec ${spec}.`,
          );
          checked++;
        }
      }
      expect(checked).toBe(12);
    });

    test('HMAC_224 key asked for HMAC_SHA_256 → the recorded text', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_224');
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'InvalidKeyUsageException',
        'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
      );
    });

    test('a symmetric encryption key → "<arn> key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac." (recorded)', async () => {
      const keyId = await createKeyId(kms);
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'InvalidKeyUsageException',
        `${keyArnOf(keyId)} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
      );
    });

    test('signing and key-agreement keys → the key-usage text (usage is checked before the algorithm)', async () => {
      const signing = await createKeyId(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: signing, MacAlgorithm: 'HMAC_SHA_512', Message: Buffer.from('m') })),
        'InvalidKeyUsageException',
        `${keyArnOf(signing)} key usage is SIGN_VERIFY which is not valid for GenerateMac.`,
      );
      const agreement = await createKeyId(kms, { KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' });
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: agreement, MacAlgorithm: 'HMAC_SHA_224', Message: Buffer.from('m') })),
        'InvalidKeyUsageException',
        `${keyArnOf(agreement)} key usage is KEY_AGREEMENT which is not valid for GenerateMac.`,
      );
    });

    test('key ARN, alias name and alias ARN all name the key; the response KeyId is the key ARN', async () => {
      const material = randomBytes(32);
      const keyId = knownHmacKey('HMAC_256', material);
      const aliasName = `alias/mac-${randomUUID()}`;
      await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
      const expected = createHmac('sha256', material).update('x').digest();
      for (const id of [keyArnOf(keyId), aliasName, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${aliasName}`]) {
        const result = await kms.send(new GenerateMacCommand({ KeyId: id, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('x') }));
        expect(result.KeyId).toBe(keyArnOf(keyId));
        expect(Buffer.from(result.Mac!)).toEqual(expected);
      }
    });

    test('key states: Disabled → DisabledException, PendingDeletion / PendingImport → KMSInvalidStateException', async () => {
      const disabled = await createHmacKeyId(kms, 'HMAC_256');
      setState(disabled, 'Disabled');
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: disabled, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'DisabledException',
        `${keyArnOf(disabled)} is disabled.`,
      );
      const deleting = await createHmacKeyId(kms, 'HMAC_256');
      setState(deleting, 'PendingDeletion');
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: deleting, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })),
        'KMSInvalidStateException',
        `${keyArnOf(deleting)} is pending deletion.`,
      );
      const external = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: external, MacAlgorithm: 'HMAC_SHA_384', Message: Buffer.from('m') })),
        'KMSInvalidStateException',
        `${keyArnOf(external)} is pending import.`,
      );
    });

    test('DryRun: DryRunOperationException on a good request, the real error on a bad one, no usage recorded', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), DryRun: true })),
        'DryRunOperationException',
        'The request would have succeeded, but the DryRun option is set.',
      );
      await expectRejected(
        () => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_384', Message: Buffer.from('m'), DryRun: true })),
        'InvalidKeyUsageException',
        'Algorithm HMAC_SHA_384 is incompatible with key spec HMAC_256.',
      );
      expect(await lastUsedOperation(keyId)).toBeUndefined();
    });

    test('a successful GenerateMac is recorded for GetKeyLastUsage; a refused one is not', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_512');
      await errorOf(() => kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })));
      expect(await lastUsedOperation(keyId)).toBeUndefined();
      await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_512', Message: Buffer.from('m') }));
      expect(await lastUsedOperation(keyId)).toBe('GenerateMac');
    });
  });
});

describe('VerifyMac', () => {
  describe('validation', () => {
    test("MacAlgorithm 'INVALID' → the recorded enum text", async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      const response = await rawRequest(running, 'VerifyMac', {
        KeyId: keyId,
        Message: b64(Buffer.from('some important message')),
        Mac: b64(randomBytes(32)),
        MacAlgorithm: 'INVALID',
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ __type: 'ValidationException', message: MAC_ENUM_TEXT });
    });

    test('Mac is 1..6144 bytes: 6145 and empty are refused by validation, 6144 is simply not a valid MAC', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: randomBytes(6145) })),
        'ValidationException',
        "1 validation error detected: Value at 'mac' failed to satisfy constraint: Member must have length less than or equal to 6144",
      );
      await expectWireError(running, 'VerifyMac', { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64(Buffer.from('m')), Mac: '' }, 'ValidationException',
        "1 validation error detected: Value at 'mac' failed to satisfy constraint: Member must have length greater than or equal to 1");
      await expectBareError(running, 
        'VerifyMac',
        { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64(Buffer.from('m')), Mac: b64(randomBytes(6144)) },
        'KMSInvalidMacException',
      );
    });

    test('Message over 4096 bytes → ValidationException', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: randomBytes(4097), Mac: randomBytes(32) })),
        'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
    });

    test("malformed KeyId 'key_id' → NotFoundException \"Invalid keyId 'key_id'\" (recorded)", async () => {
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: 'key_id', MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: randomBytes(32) })),
        'NotFoundException',
        "Invalid keyId 'key_id'",
      );
    });
  });

  describe('functionality', () => {
    test.each(SPECS)('$spec: accepts a MAC computed independently with node:crypto over the same material', async ({ spec, algorithm, digest, keyBytes }) => {
      const material = randomBytes(keyBytes);
      const keyId = knownHmacKey(spec, material);
      const message = randomBytes(300);
      const mac = createHmac(digest, material).update(message).digest();
      const result = await kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message, Mac: mac }));
      expect(result).toMatchObject({ KeyId: keyArnOf(keyId), MacValid: true, MacAlgorithm: algorithm });
      // The same MAC under a different key of the same spec is not valid.
      const otherKeyId = knownHmacKey(spec, randomBytes(keyBytes));
      await expectBareError(running, 
        'VerifyMac',
        { KeyId: otherKeyId, MacAlgorithm: algorithm, Message: b64(message), Mac: b64(mac) },
        'KMSInvalidMacException',
      );
    });

    test.each(SPECS)('$spec: GenerateMac → VerifyMac round trip on a KMS-created key', async ({ spec, algorithm }) => {
      const keyId = await createHmacKeyId(kms, spec);
      const message = Buffer.from('some important message');
      const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message }));
      const result = await kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: algorithm, Message: message, Mac }));
      expect(result.MacValid).toBe(true);
      expect(result.KeyId).toBe(keyArnOf(keyId));
      expect(result.MacAlgorithm).toBe(algorithm);
    });

    test('a different message → KMSInvalidMacException with no message (recorded)', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      const { Mac } = await kms.send(
        new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('some important message') }),
      );
      await expectBareError(running, 
        'VerifyMac',
        {
          KeyId: keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: b64(Buffer.from('some different important message')),
          Mac: b64(Buffer.from(Mac!)),
        },
        'KMSInvalidMacException',
      );
      const error = await errorOf(() =>
        kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('other'), Mac })),
      );
      expect(error.name).toBe('KMSInvalidMacException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    test('tampered, truncated and extended MACs → KMSInvalidMacException', async () => {
      const material = randomBytes(64);
      const keyId = knownHmacKey('HMAC_512', material);
      const message = Buffer.from('payload');
      const mac = createHmac('sha512', material).update(message).digest();
      const variants = [
        Buffer.concat([Buffer.from([mac[0]! ^ 0x01]), mac.subarray(1)]),
        Buffer.concat([mac.subarray(0, 63), Buffer.from([mac[63]! ^ 0x80])]),
        mac.subarray(0, 63),
        mac.subarray(0, 32),
        Buffer.concat([mac, Buffer.from([0])]),
        Buffer.alloc(64),
      ];
      for (const variant of variants) {
        await expectBareError(running, 'VerifyMac', { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_512', Message: b64(message), Mac: b64(variant) }, 'KMSInvalidMacException');
      }
      const ok = await kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_512', Message: message, Mac: mac }));
      expect(ok.MacValid).toBe(true);
    });

    test('HMAC_256 key with HMAC_SHA_512 → "Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256." (recorded)', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_256');
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_512', Message: Buffer.from('some important message'), Mac: randomBytes(64) })),
        'InvalidKeyUsageException',
        'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.',
      );
    });

    test('a non-HMAC key → "<arn> key usage is … which is not valid for VerifyMac."', async () => {
      const symmetric = await createKeyId(kms);
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: symmetric, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: randomBytes(32) })),
        'InvalidKeyUsageException',
        `${keyArnOf(symmetric)} key usage is ENCRYPT_DECRYPT which is not valid for VerifyMac.`,
      );
      const rsa = await createKeyId(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: rsa, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: randomBytes(32) })),
        'InvalidKeyUsageException',
        `${keyArnOf(rsa)} key usage is SIGN_VERIFY which is not valid for VerifyMac.`,
      );
    });

    test('alias name works; the response KeyId is the key ARN', async () => {
      const material = randomBytes(48);
      const keyId = knownHmacKey('HMAC_384', material);
      const aliasName = `alias/verify-${randomUUID()}`;
      await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
      const mac = createHmac('sha384', material).update('abc').digest();
      const result = await kms.send(new VerifyMacCommand({ KeyId: aliasName, MacAlgorithm: 'HMAC_SHA_384', Message: Buffer.from('abc'), Mac: mac }));
      expect(result.KeyId).toBe(keyArnOf(keyId));
      expect(result.MacValid).toBe(true);
    });

    test('a disabled key → DisabledException', async () => {
      const keyId = await createHmacKeyId(kms, 'HMAC_224');
      setState(keyId, 'Disabled');
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_224', Message: Buffer.from('m'), Mac: randomBytes(28) })),
        'DisabledException',
        `${keyArnOf(keyId)} is disabled.`,
      );
    });

    test('DryRun: a valid MAC → DryRunOperationException; an invalid one still → KMSInvalidMacException; no usage recorded', async () => {
      const material = randomBytes(32);
      const keyId = knownHmacKey('HMAC_256', material);
      const mac = createHmac('sha256', material).update('m').digest();
      await expectRejected(
        () => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: mac, DryRun: true })),
        'DryRunOperationException',
        'The request would have succeeded, but the DryRun option is set.',
      );
      await expectBareError(running, 
        'VerifyMac',
        { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64(Buffer.from('n')), Mac: b64(mac), DryRun: true },
        'KMSInvalidMacException',
      );
      expect(await lastUsedOperation(keyId)).toBeUndefined();
    });

    test('only a successful verification is recorded for GetKeyLastUsage', async () => {
      const material = randomBytes(32);
      const keyId = knownHmacKey('HMAC_256', material);
      await errorOf(() => kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: randomBytes(32) })));
      expect(await lastUsedOperation(keyId)).toBeUndefined();
      const mac = createHmac('sha256', material).update('m').digest();
      await kms.send(new VerifyMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: mac }));
      expect(await lastUsedOperation(keyId)).toBe('VerifyMac');
    });
  });
});
