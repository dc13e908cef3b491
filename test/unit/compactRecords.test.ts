/**
 * The memory-saving forms of key records and audit events (docs/contributing/benchmarks.md, "Memory with 10,000 keys"):
 * keys share empty tag / grant / alias collections until their first addition, and audit JSON texts are packed
 * losslessly.
 */
import { randomUUID } from 'node:crypto';
import { RegionStore } from '../../src/store/regionStore.js';
import { buildKey } from '../../src/kms/newKey.js';
import { CompactKeyMaterial, ownAliasNames, ownGrants, ownTags } from '../../src/store/records.js';
import { encodeValue } from '../../src/store/stateCodec.js';
import { generateSymmetricKeyMaterial } from '../../src/crypto/symmetric.js';
import { packJson, unpackJson } from '../../src/audit/packedJson.js';

function newKey(store: RegionStore) {
  return buildKey(store, { keyId: randomUUID(), materials: [generateSymmetricKeyMaterial()], creationDate: new Date() });
}

test('keys share their empty collections until an addition, which goes to the key alone; adding to a shared one throws', () => {
  const store = new RegionStore('111122223333', 'eu-west-2');
  const a = newKey(store);
  const b = newKey(store);
  expect(a.tags).toBe(b.tags);
  expect(a.grants).toBe(b.grants);
  expect(a.aliasNames).toBe(b.aliasNames);
  expect(() => a.tags.set('k', 'v')).toThrow(/shared empty map/);
  expect(() => a.aliasNames.add('alias/x')).toThrow(/shared empty set/);

  ownTags(a).set('k', 'v');
  ownAliasNames(a).add('alias/x');
  ownGrants(a).set('g', { GrantId: 'g' } as never);
  expect([...a.tags]).toEqual([['k', 'v']]);
  expect([...a.aliasNames]).toEqual(['alias/x']);
  expect([...a.grants.keys()]).toEqual(['g']);
  expect(b.tags.size + b.aliasNames.size + b.grants.size).toBe(0);
  expect(ownTags(a)).toBe(a.tags);
});

test('pooled AES keys are distinct 32-byte keys that do not overlap', () => {
  const keys = Array.from({ length: 300 }, () => generateSymmetricKeyMaterial());
  expect(keys.every((key) => key.length === 32)).toBe(true);
  expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(300);
  keys[0]!.fill(0);
  expect(keys[1]!.equals(Buffer.alloc(32))).toBe(false);
});

test('a compact key material reads as its bytes, takes new ones, and is written to the data directory as the plain record', () => {
  const store = new RegionStore('111122223333', 'eu-west-2');
  const bytes = generateSymmetricKeyMaterial();
  const key = buildKey(store, { keyId: randomUUID(), materials: [bytes], creationDate: new Date() });
  const material = key.materials[0]!;
  expect(material).toBeInstanceOf(CompactKeyMaterial);
  expect(Buffer.isBuffer(material.bytes)).toBe(true);
  expect(material.bytes.equals(bytes)).toBe(true);
  expect(key.metadata.CurrentKeyMaterialId).toBe(material.id);

  material.rotationDate = new Date(Date.UTC(2026, 11, 4));
  material.rotationType = 'ON_DEMAND';
  const plain = { id: material.id, bytes: Buffer.from(bytes), rotationDate: material.rotationDate, rotationType: 'ON_DEMAND' };
  // Same members in the same order: the data directory's text is unchanged.
  expect(JSON.stringify(encodeValue(material))).toBe(JSON.stringify(encodeValue(plain)));
  expect(JSON.stringify(encodeValue(key))).toContain(`"materials":[{"id":"${material.id}","bytes":{"$base64":"${bytes.toString('base64')}"},"rotationDate"`);

  material.bytes = Buffer.alloc(0);
  expect(material.bytes.length).toBe(0);
  expect(bytes.length).toBe(32);
});

test('packed audit JSON unpacks to the exact text, whatever the values contain', () => {
  const metadata = JSON.stringify({
    keyMetadata: {
      AWSAccountId: '111122223333',
      keyId: 'a5c527b3-c166-4469-830f-b16fb47d8481',
      arn: 'arn:aws:kms:eu-west-2:111122223333:key/a5c527b3-c166-4469-830f-b16fb47d8481',
      creationDate: 'Dec 4, 2026, 2:35:11 PM',
      enabled: true,
      description: 'SYMMETRIC_DEFAULT ","keyId":" \u0001 \u001f :key/ "}}',
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
      currentKeyMaterialId: 'f'.repeat(64),
    },
  });
  const packed = packJson(metadata);
  expect(packed.length).toBeLessThan(metadata.length / 2);
  expect(unpackJson(packed)).toBe(metadata);
  // A text that was never packed (an event read back from the data directory) is itself.
  expect(unpackJson(metadata)).toBe(metadata);

  const pieces = ['"', ',', ':', '{', '}', '[', ']', 'keyId', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', ':key/', 'é', '\\', '\n', '\u0002', 'alias/', '"}}'];
  for (let i = 0; i < 2000; i++) {
    let value = '';
    while (value.length < 40 + (i % 400)) value += pieces[(i * 7 + value.length * 13) % pieces.length];
    const json = JSON.stringify({ description: value, tags: [{ tagKey: value.slice(3), tagValue: value }] });
    expect(unpackJson(packJson(json))).toBe(json);
  }
});
