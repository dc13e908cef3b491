import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { decodeAndValidate } from '../../src/protocol/validation.js';
import { KmsError } from '../../src/protocol/errors.js';
import { OPERATION_NAMES, OPERATIONS, type OperationName } from '../../src/model/generated/operations.js';
import { MODELED_ERROR_NAMES, SERVER_FAULT_ERRORS } from '../../src/model/generated/errors.js';
import { KeySpec } from '../../src/model/generated/enums.js';
import { INPUT_SHAPES, OUTPUT_CODECS } from '../../src/model/generated/shapes.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const b64 = (n: number): string => Buffer.alloc(n, 7).toString('base64');

function thrown(op: OperationName, body: unknown): KmsError {
  try {
    decodeAndValidate(op, body);
  } catch (e) {
    if (e instanceof KmsError) return e;
    throw e;
  }
  throw new Error(`${op}: expected an error`);
}

/** The message of the error `name` (HTTP 400, its message member spelled `member`) that a request must fail with. */
function failure(op: OperationName, body: unknown, name: string, member: string): string | undefined {
  const e = thrown(op, body);
  expect(e.name).toBe(name);
  expect(e.status).toBe(400);
  expect(e.messageMember).toBe(member);
  return e.awsMessage;
}

/** The ValidationException message for a request that must fail validation. */
const validation = (op: OperationName, body: unknown): string | undefined => failure(op, body, 'ValidationException', 'message');

/** The SerializationException message for a request with a wrong JSON type. */
const serialization = (op: OperationName, body: unknown): string | undefined => failure(op, body, 'SerializationException', 'Message');

const one = (text: string): string => `1 validation error detected: ${text}`;

describe('AWS-recorded validation messages', () => {
  it('Encrypt plaintext over 4096 bytes: sensitive, no value', () => {
    expect(validation('Encrypt', { KeyId: KEY, Plaintext: b64(4097) })).toBe(
      one("Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"),
    );
  });

  it('GenerateRandom NumberOfBytes 0, 1025 and missing', () => {
    expect(validation('GenerateRandom', { NumberOfBytes: 0 })).toBe(
      one("Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    );
    expect(validation('GenerateRandom', { NumberOfBytes: 1025 })).toBe(
      one("Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"),
    );
    expect(validation('GenerateRandom', {})).toBe('NumberOfBytes is required.');
    expect(validation('GenerateRandom', { NumberOfBytes: null })).toBe('NumberOfBytes is required.');
  });

  it('CreateKey KeySpec and KeyUsage enums print the recorded (non-model) order', () => {
    expect(validation('CreateKey', { KeySpec: 'HMAC_random' })).toBe(
      one(
        "Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, ' +
          'SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]',
      ),
    );
    expect(validation('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' })).toBe(
      one(
        "Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]',
      ),
    );
  });

  it('validity still follows the model enum, not the display list', () => {
    expect(KeySpec).toContain('ML_DSA_44');
    expect(decodeAndValidate('CreateKey', { KeySpec: 'ML_DSA_44', KeyUsage: 'KEY_AGREEMENT' })).toEqual({
      KeySpec: 'ML_DSA_44',
      KeyUsage: 'KEY_AGREEMENT',
    });
  });

  it('tag key and value lengths inside the Tags list', () => {
    expect(validation('CreateKey', { Tags: [{ TagKey: 'a'.repeat(129), TagValue: 'v' }] })).toBe(
      one(
        `Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: ` +
          'Member must have length less than or equal to 128',
      ),
    );
    expect(validation('CreateKey', { Tags: [{ TagKey: 'k', TagValue: 'v'.repeat(257) }] })).toBe(
      one(
        `Value '${'v'.repeat(257)}' at 'tags.1.member.tagValue' failed to satisfy constraint: ` +
          'Member must have length less than or equal to 256',
      ),
    );
  });

  it('MacAlgorithm, KeyAgreementAlgorithm and IncludeKeyMaterial print the recorded order', () => {
    const mac = one(
      "Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: " +
        '[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]',
    );
    expect(validation('GenerateMac', { KeyId: KEY, Message: b64(3), MacAlgorithm: 'INVALID' })).toBe(mac);
    expect(validation('VerifyMac', { KeyId: KEY, Message: b64(3), Mac: b64(32), MacAlgorithm: 'INVALID' })).toBe(mac);
    expect(
      validation('DeriveSharedSecret', { KeyId: KEY, KeyAgreementAlgorithm: 'INVALID', PublicKey: b64(91) }),
    ).toBe(
      one(
        "Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]",
      ),
    );
    expect(validation('ListKeyRotations', { KeyId: KEY, IncludeKeyMaterial: 'INVALID_VALUE' })).toBe(
      one(
        "Value 'INVALID_VALUE' at 'includeKeyMaterial' failed to satisfy constraint: " +
          'Member must satisfy enum value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]',
      ),
    );
  });

  it('GenerateDataKey KeySpec quirk: answered with the CreateKey KeySpec list (boto/boto3#3428)', () => {
    expect(validation('GenerateDataKey', { KeyId: KEY, KeySpec: 'AES-256' })).toBe(
      one(
        "Value 'AES-256' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, ' +
          'SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]',
      ),
    );
    // Still the DataKeySpec enum for validity.
    expect(decodeAndValidate('GenerateDataKey', { KeyId: KEY, KeySpec: 'AES_128' })).toEqual({ KeyId: KEY, KeySpec: 'AES_128' });
    expect(validation('GenerateDataKey', { KeyId: KEY, KeySpec: 'RSA_2048' })).toMatch(/at 'keySpec'/);
  });

  it('other enums print model order', () => {
    expect(validation('Encrypt', { KeyId: KEY, Plaintext: b64(1), EncryptionAlgorithm: 'FOO' })).toBe(
      one(
        "Value 'FOO' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]',
      ),
    );
  });
});

describe('Coral constraint messages', () => {
  it('missing required member', () => {
    expect(validation('Encrypt', { Plaintext: b64(5) })).toBe(
      one("Value null at 'keyId' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('empty keyId', () => {
    expect(validation('DescribeKey', { KeyId: '' })).toBe(
      one("Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
  });

  it('several errors are reported in member declaration order, whatever the JSON order', () => {
    expect(validation('Encrypt', { Plaintext: b64(4097) })).toBe(
      '2 validation errors detected: ' +
        "Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
        "Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    // CreateKey declares KeyUsage before KeySpec.
    expect(validation('CreateKey', { KeySpec: 'X', KeyUsage: 'Y' })).toMatch(
      /^2 validation errors detected: Value 'Y' at 'keyUsage' .*; Value 'X' at 'keySpec' /,
    );
  });

  it('one message per failed constraint of a value: length, then pattern', () => {
    expect(validation('CreateAlias', { AliasName: '', TargetKeyId: KEY })).toBe(
      '2 validation errors detected: ' +
        "Value '' at 'aliasName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    );
  });

  it('stops at 10 errors and reports the count collected', () => {
    const tags = Array.from({ length: 11 }, () => ({ TagKey: '', TagValue: 'v' }));
    const message = validation('CreateKey', { Tags: tags }) as string;
    expect(message.startsWith('10 validation errors detected: ')).toBe(true);
    const parts = message.slice('10 validation errors detected: '.length).split('; ');
    expect(parts).toHaveLength(10);
    parts.forEach((p, i) =>
      expect(p).toBe(
        `Value '' at 'tags.${i + 1}.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      ),
    );
  });

  it('pattern failures echo the unanchored model pattern', () => {
    expect(validation('CreateAlias', { AliasName: 'alias/a b', TargetKeyId: KEY })).toBe(
      one(
        "Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
      ),
    );
  });

  it('patterns are anchored: MarkerType [\\u0020-\\u00FF]* rejects U+0100', () => {
    expect(validation('ListKeys', { Marker: 'ok\u0100' })).toBe(
      one(
        "Value 'ok\u0100' at 'marker' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\u00FF]*",
      ),
    );
    expect(decodeAndValidate('ListKeys', { Marker: 'ok\u00ff' })).toEqual({ Marker: 'ok\u00ff' });
  });

  it('ScheduleKeyDeletion PendingWindowInDays is 7..30 (server narrower than the model)', () => {
    expect(validation('ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 1 })).toBe(
      one("Value '1' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7"),
    );
    expect(validation('ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 31 })).toBe(
      one("Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30"),
    );
    expect(decodeAndValidate('ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 7 })).toEqual({
      KeyId: KEY,
      PendingWindowInDays: 7,
    });
    expect(decodeAndValidate('ScheduleKeyDeletion', { KeyId: KEY, PendingWindowInDays: 30 })).toMatchObject({
      PendingWindowInDays: 30,
    });
  });

  it('list Limit overrides: 100 for ListAliases/ListGrants/ListRetirableGrants, 50 for ListResourceTags; model 1000 elsewhere', () => {
    const limit = (n: number, max: number) =>
      one(`Value '${n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    expect(validation('ListAliases', { Limit: 101 })).toBe(limit(101, 100));
    expect(validation('ListGrants', { KeyId: KEY, Limit: 101 })).toBe(limit(101, 100));
    expect(validation('ListRetirableGrants', { RetiringPrincipal: 'arn:aws:iam::111122223333:role/x', Limit: 101 })).toBe(
      limit(101, 100),
    );
    expect(validation('ListResourceTags', { KeyId: KEY, Limit: 51 })).toBe(limit(51, 50));
    expect(validation('ListKeys', { Limit: 1001 })).toBe(limit(1001, 1000));
    expect(decodeAndValidate('ListKeys', { Limit: 1000 })).toEqual({ Limit: 1000 });
  });

  it('list length and list element paths', () => {
    const tokens = Array.from({ length: 11 }, (_, i) => `t${i}`);
    expect(validation('Encrypt', { KeyId: KEY, Plaintext: b64(1), GrantTokens: tokens })).toBe(
      one(`Value '[${tokens.join(', ')}]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10`),
    );
    expect(validation('Encrypt', { KeyId: KEY, Plaintext: b64(1), GrantTokens: ['ok', ''] })).toBe(
      one("Value '' at 'grantTokens.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
  });

  it('non-sensitive blobs print no value (valueRendering.blob = omit), nested paths', () => {
    expect(validation('Decrypt', { CiphertextBlob: '' })).toBe(
      one("Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
    expect(validation('Decrypt', { CiphertextBlob: b64(6145) })).toBe(
      one("Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144"),
    );
    expect(
      validation('Decrypt', { CiphertextBlob: b64(10), Recipient: { KeyEncryptionAlgorithm: 'X', AttestationDocument: '' } }),
    ).toBe(
      '2 validation errors detected: ' +
        "Value 'X' at 'recipient.keyEncryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSAES_OAEP_SHA_256]; " +
        "Value at 'recipient.attestationDocument' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('blob byte-length violations sort with the ajv ones', () => {
    expect(validation('Encrypt', { KeyId: '', Plaintext: '', EncryptionAlgorithm: 'X' })).toBe(
      '3 validation errors detected: ' +
        "Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'X' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: " +
        '[SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]',
    );
  });

  it('sensitive strings print no value either', () => {
    expect(validation('CreateCustomKeyStore', { CustomKeyStoreName: 'n', KeyStorePassword: 'short' })).toBe(
      one("Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7"),
    );
  });

  it('string lengths count UTF-16 code units, like Java', () => {
    // 64 astral characters = 128 UTF-16 code units: at the TagKey limit, not 64.
    const key = '\u{1F600}'.repeat(64);
    expect(decodeAndValidate('TagResource', { KeyId: KEY, Tags: [{ TagKey: key, TagValue: '' }] })).toBeTruthy();
    expect(validation('TagResource', { KeyId: KEY, Tags: [{ TagKey: key + 'a', TagValue: '' }] })).toMatch(
      /at 'tags\.1\.member\.tagKey' .* less than or equal to 128$/,
    );
  });
});

describe('type phase: SerializationException texts', () => {
  const base = { KeyId: KEY, Plaintext: b64(4) };
  it.each([
    ['string given boolean', { KeyId: true }, 'class java.lang.Boolean can not be converted to an String'],
    ['string given number', { KeyId: 12 }, 'class java.math.BigDecimal can not be converted to an String'],
    ['string given array', { KeyId: ['a'] }, 'Start of list found where not expected'],
    ['string given object', { KeyId: { a: 1 } }, 'Start of structure or map found where not expected.'],
    ['boolean given number', { DryRun: 1 }, 'class java.math.BigDecimal can not be converted to an Boolean'],
    ['boolean given string', { DryRun: 'true' }, "'TRUE' can not be converted to an Boolean"],
    ['boolean given array', { DryRun: [] }, 'Start of list found where not expected'],
    ['blob given boolean', { Plaintext: false }, 'class java.lang.Boolean can not be converted to a Blob'],
    ['blob given number', { Plaintext: 5 }, 'class java.math.BigDecimal can not be converted to a Blob'],
    ['blob given object', { Plaintext: {} }, 'Start of structure or map found where not expected.'],
    ['list given string', { GrantTokens: 'abc' }, 'Expected list or null'],
    ['list given object', { GrantTokens: { a: 'b' } }, 'Start of structure or map found where not expected.'],
    ['list element of the wrong type', { GrantTokens: ['ok', 3] }, 'class java.math.BigDecimal can not be converted to an String'],
    ['map given string', { EncryptionContext: 'x' }, 'Expected map or null'],
    ['map given array', { EncryptionContext: ['x'] }, 'Start of list found where not expected'],
    ['map value of the wrong type', { EncryptionContext: { a: true } }, 'class java.lang.Boolean can not be converted to an String'],
  ])('Encrypt: %s', (_name, patch, message) => {
    expect(serialization('Encrypt', { ...base, ...patch })).toBe(message);
  });

  it('integers', () => {
    expect(serialization('GenerateRandom', { NumberOfBytes: true })).toBe(
      'class java.lang.Boolean can not be converted to an Integer',
    );
    expect(serialization('GenerateRandom', { NumberOfBytes: '12' })).toBe(
      'class java.lang.String can not be converted to an Integer',
    );
    expect(serialization('GenerateRandom', { NumberOfBytes: [1] })).toBe('Start of list found where not expected');
  });

  it('structures', () => {
    expect(serialization('Decrypt', { CiphertextBlob: b64(4), Recipient: 'x' })).toBe('Expected null');
    expect(serialization('Decrypt', { CiphertextBlob: b64(4), Recipient: 7 })).toBe('Expected null');
    expect(serialization('Decrypt', { CiphertextBlob: b64(4), Recipient: [] })).toBe('Start of list found where not expected');
  });

  it('timestamps', () => {
    const base2 = { KeyId: KEY, ImportToken: b64(4), EncryptedKeyMaterial: b64(4) };
    expect(serialization('ImportKeyMaterial', { ...base2, ValidTo: '2030-01-01T00:00:00Z' })).toBe(
      'class java.lang.String can not be converted to an Timestamp',
    );
    expect(serialization('ImportKeyMaterial', { ...base2, ValidTo: true })).toBe(
      'class java.lang.Boolean can not be converted to an Timestamp',
    );
    const decoded = decodeAndValidate('ImportKeyMaterial', { ...base2, ValidTo: 1893456000.5 });
    expect(decoded.ValidTo).toBeInstanceOf(Date);
    expect((decoded.ValidTo as Date).getTime()).toBe(1893456000500);
  });

  it('the first type error wins over constraint errors', () => {
    expect(serialization('Encrypt', { KeyId: '', Plaintext: b64(5000), DryRun: 'no' })).toBe(
      "'NO' can not be converted to an Boolean",
    );
  });

  it('non-object bodies', () => {
    expect(serialization('Encrypt', [])).toBe('Start of list found where not expected');
    for (const body of ['x', 1, true, null]) expect(serialization('Encrypt', body)).toBeUndefined();
  });
});

describe('base64 blobs', () => {
  it('length not a multiple of 4', () => {
    expect(serialization('Encrypt', { KeyId: KEY, Plaintext: 'abc' })).toBe(
      "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
    );
  });

  it('invalid character', () => {
    expect(serialization('Encrypt', { KeyId: KEY, Plaintext: 'ab-_' })).toBe(
      "'ab-_' can not be converted to a Blob: Invalid Base64 character: '-'",
    );
    expect(serialization('Encrypt', { KeyId: KEY, Plaintext: 'a=bc' })).toBe(
      "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='",
    );
  });

  it('non-canonical last character', () => {
    for (const v of ['aGVsbG9=', 'aGVsbH==', 'A===', '====']) {
      expect(serialization('Encrypt', { KeyId: KEY, Plaintext: v })).toBe(
        `'${v}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected`,
      );
    }
  });

  it('agrees with the round-trip rule (kinesalite) on arbitrary strings', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-';
    const candidate = fc.oneof(
      fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')),
      fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength: 12 }),
    );
    fc.assert(
      fc.property(candidate, (v) => {
        const roundTrip =
          v.length % 4 === 0 && !/[^a-zA-Z0-9+/=]|=[^=]/.test(v) && Buffer.from(v, 'base64').toString('base64') === v;
        let ok = true;
        try {
          decodeAndValidate('DeriveSharedSecret', { PublicKey: v });
        } catch (e) {
          ok = !(e instanceof KmsError && e.name === 'SerializationException');
        }
        return ok === roundTrip;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decoded result', () => {
  it('keeps only model members, drops nulls, decodes blobs to Buffer', () => {
    const decoded = decodeAndValidate('Encrypt', {
      KeyId: KEY,
      Plaintext: 'aGVsbG8=',
      EncryptionContext: { purpose: 'test', gone: null },
      GrantTokens: null,
      DryRun: false,
      Unknown: { deeply: ['ignored'] },
      keyId: 'wrong case is not the member',
    });
    expect(Object.keys(decoded)).toEqual(['KeyId', 'Plaintext', 'EncryptionContext', 'DryRun']);
    expect(Buffer.isBuffer(decoded.Plaintext)).toBe(true);
    expect((decoded.Plaintext as Buffer).toString()).toBe('hello');
    expect(decoded.EncryptionContext).toEqual({ purpose: 'test' });
    expect(decoded.DryRun).toBe(false);
  });

  it('unknown members are not validated either', () => {
    expect(decodeAndValidate('DescribeKey', { KeyId: KEY, Tags: 12, Extra: [1, 2] })).toEqual({ KeyId: KEY });
  });

  it('nested structures, lists and maps are decoded', () => {
    const decoded = decodeAndValidate('CreateGrant', {
      KeyId: KEY,
      GranteePrincipal: 'arn:aws:iam::111122223333:role/x',
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { a: 'b' }, Junk: 1 },
    });
    expect(decoded).toEqual({
      KeyId: KEY,
      GranteePrincipal: 'arn:aws:iam::111122223333:role/x',
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { a: 'b' } },
    });
    const recipient = decodeAndValidate('Decrypt', {
      CiphertextBlob: b64(8),
      Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: b64(16) },
    });
    expect(Buffer.isBuffer((recipient.Recipient as Record<string, unknown>).AttestationDocument)).toBe(true);
  });

  it('integers given a fractional number are truncated', () => {
    expect(decodeAndValidate('GenerateRandom', { NumberOfBytes: 32.9 })).toEqual({ NumberOfBytes: 32 });
    expect(validation('GenerateRandom', { NumberOfBytes: 0.5 })).toMatch(/^1 validation error detected: Value '0' at 'numberOfBytes'/);
  });

  it('an encryption context key named __proto__ is an ordinary entry', () => {
    const decoded = decodeAndValidate('Encrypt', JSON.parse(`{"KeyId":"${KEY}","Plaintext":"AA==","EncryptionContext":{"__proto__":"x"}}`));
    const ec = decoded.EncryptionContext as Record<string, unknown>;
    expect(Object.keys(ec)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(ec)).toBe(Object.prototype);
  });
});

describe('generated model', () => {
  it('has the 54 operations and 48 modeled errors', () => {
    expect(OPERATION_NAMES).toHaveLength(54);
    expect([...OPERATION_NAMES]).toEqual([...OPERATION_NAMES].sort());
    expect(MODELED_ERROR_NAMES).toHaveLength(48);
    expect([...SERVER_FAULT_ERRORS].sort()).toEqual(['DependencyTimeoutException', 'KMSInternalException', 'KeyUnavailableException']);
    expect(OPERATIONS.Encrypt).toMatchObject({ input: 'EncryptRequest', output: 'EncryptResponse' });
    expect(OPERATIONS.Encrypt.errors).toContain('DryRunOperationException');
    expect(OPERATIONS.TagResource.output).toBeNull();
    expect(INPUT_SHAPES.Encrypt.members?.map((m) => m.path)).toEqual([
      'keyId', 'plaintext', 'encryptionContext', 'grantTokens', 'encryptionAlgorithm', 'dryRun',
    ]);
  });

  it('output codecs name the blobs and timestamps', () => {
    expect(OUTPUT_CODECS.Encrypt).toEqual({ CiphertextBlob: 'blob' });
    expect(OUTPUT_CODECS.CreateKey).toEqual({ KeyMetadata: { kind: 'structure', members: expect.objectContaining({ CreationDate: 'timestamp' }) } });
    expect(OUTPUT_CODECS.TagResource).toBeNull();
  });

  it('every operation accepts an empty body or names a missing member', () => {
    for (const op of OPERATION_NAMES) {
      try {
        decodeAndValidate(op, {});
      } catch (e) {
        expect(e).toBeInstanceOf(KmsError);
        expect((e as KmsError).name).toBe('ValidationException');
      }
    }
  });

  it('src/model/generated is up to date (node scripts/gen-model.mjs --check)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-model.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
