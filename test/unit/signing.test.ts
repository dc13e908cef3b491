/**
 * Known-answer and cross-implementation tests of src/crypto/signing.ts: RFC 8032 §7.1 (Ed25519) and §7.3
 * (Ed25519ph, through its core; KMS hashes a DIGEST again) vectors, FIPS 204 ACVP vectors (ML-DSA keyGen and signature verification through EXTERNAL_MU),
 * and, for the DIGEST paths written over node's raw RSA primitive and @noble/curves, agreement with node:crypto
 * signing and verifying the original message.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify, constants } from 'node:crypto';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { signMessage, verifySignature, type SigningAlgorithm } from '../../src/crypto/signing.js';
import { mlDsaKeyPairFromSeed } from '../../src/crypto/keyPairs.js';
import { der, derOid } from '../../src/crypto/der.js';

const hex = (text: string) => Buffer.from(text, 'hex');

/** RFC 8410 forms of a raw Ed25519 key: PKCS#8 around the 32-byte seed, SPKI around the 32-byte point. */
const ed25519Pkcs8 = (seed: Buffer) => Buffer.concat([hex('302e020100300506032b657004220420'), seed]);
const ed25519Spki = (point: Buffer) => Buffer.concat([hex('302a300506032b6570032100'), point]);
/** SPKI of a raw ML-DSA-44 public key (id-ml-dsa-44, 2.16.840.1.101.3.4.3.17, no parameters). */
const mlDsa44Spki = (pk: Buffer) => der(0x30, der(0x30, derOid('2.16.840.1.101.3.4.3.17')), der(0x03, Buffer.from([0]), pk));

describe('Ed25519 (RFC 8032 §7.1 test vectors)', () => {
  // SECRET KEY, PUBLIC KEY, MESSAGE, SIGNATURE of TEST 1, 2 and 3.
  const vectors = [
    [
      '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      '',
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ],
    [
      '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      '72',
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    ],
    [
      'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      'af82',
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    ],
  ] as const;

  test.each(vectors.map((vector, index) => [index + 1, ...vector]))(
    'TEST %d: ED25519_SHA_512 signs to the published signature and verifies it',
    async (_n, secret, publicKey, message, signature) => {
      const pkcs8 = ed25519Pkcs8(hex(secret));
      const spki = ed25519Spki(hex(publicKey));
      expect(createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })).toEqual(spki);
      const signed = await signMessage('ED25519_SHA_512', 'ECC_NIST_EDWARDS25519', pkcs8, hex(message), 'RAW');
      expect(signed.toString('hex')).toBe(signature);
      expect(await verifySignature('ED25519_SHA_512', 'ECC_NIST_EDWARDS25519', spki, hex(message), 'RAW', hex(signature))).toBe(true);
      expect(await verifySignature('ED25519_SHA_512', 'ECC_NIST_EDWARDS25519', spki, Buffer.concat([hex(message), Buffer.from([0])]), 'RAW', hex(signature))).toBe(false);
    },
  );
});

describe('Ed25519ph (RFC 8032 §7.3 test vector; AWS hashes the DIGEST again)', () => {
  const secret = hex('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42');
  const publicKey = hex('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf');
  const message = Buffer.from('abc');
  const signature = '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406';
  const prehash = createHash('sha512').update(message).digest();

  test('the Ed25519ph core (PH(M) given) reproduces the published signature of "abc"', async () => {
    const { ed25519phOfDigest } = await import('../../src/crypto/noble.js');
    expect(Buffer.from(ed25519phOfDigest.sign(prehash, secret)).toString('hex')).toBe(signature);
    expect(ed25519phOfDigest.verify(hex(signature), prehash, publicKey)).toBe(true);
  });

  test('ED25519_PH_SHA_512 over a DIGEST D is Ed25519ph of the message D (PH = SHA-512(D)), as AWS documents', async () => {
    // The published signature is Ed25519ph("abc"): sending SHA-512("abc") as the DIGEST does NOT give it (that
    // was kmslite's behaviour before; AWS hashes the digest again).
    const signed = await signMessage('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', ed25519Pkcs8(secret), prehash, 'DIGEST');
    expect(signed.toString('hex')).not.toBe(signature);
    expect(ed25519ph.verify(signed, prehash, publicKey)).toBe(true);
    expect(ed25519ph.verify(signed, message, publicKey)).toBe(false);
    const spki = ed25519Spki(publicKey);
    expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', spki, prehash, 'DIGEST', signed)).toBe(true);
    // The published Ed25519ph("abc") signature is not a signature of the DIGEST SHA-512("abc") in AWS's sense.
    expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', spki, prehash, 'DIGEST', hex(signature))).toBe(false);
    const otherDigest = createHash('sha512').update('abd').digest();
    expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', spki, otherDigest, 'DIGEST', signed)).toBe(false);
    // The pure Ed25519 signature of the same bytes is a different scheme (dom2 prefix): not accepted.
    const pure = await signMessage('ED25519_SHA_512', 'ECC_NIST_EDWARDS25519', ed25519Pkcs8(secret), prehash, 'RAW');
    expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', spki, prehash, 'DIGEST', pure)).toBe(false);
  });

  test('agrees with @noble/curves ed25519ph over the 64 bytes sent, for random keys, both ways', async () => {
    for (let i = 0; i < 5; i++) {
      const seed = randomBytes(32);
      const digest = createHash('sha512').update(randomBytes(1 + i * 100)).digest();
      const signed = await signMessage('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', ed25519Pkcs8(seed), digest, 'DIGEST');
      expect(Buffer.from(ed25519ph.sign(digest, seed)).equals(signed)).toBe(true);
      expect(ed25519ph.verify(signed, digest, ed25519ph.getPublicKey(seed))).toBe(true);
      const theirs = Buffer.from(ed25519ph.sign(digest, seed));
      const spki = ed25519Spki(Buffer.from(ed25519ph.getPublicKey(seed)));
      expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', spki, digest, 'DIGEST', theirs)).toBe(true);
    }
  });
});

describe('ML-DSA (FIPS 204, NIST ACVP vectors)', () => {
  test('keyGen: the ML-DSA-44 key from the ACVP seed has the published public key, and kmslite signatures verify with it', async () => {
    const pair = await mlDsaKeyPairFromSeed('ML_DSA_44', hex(ACVP_KEYGEN_44.seed));
    const expectedPk = hex(ACVP_KEYGEN_44.pk);
    expect(pair.publicKey).toEqual(mlDsa44Spki(expectedPk));
    const message = Buffer.from('FIPS 204 known-answer key');
    const signature = await signMessage('ML_DSA_SHAKE_256', 'ML_DSA_44', pair.privateKey, message, 'RAW');
    expect(signature.length).toBe(2420);
    // Independent check: @noble/post-quantum's ML-DSA.Verify (empty context) with the published public key.
    expect(ml_dsa44.verify(signature, message, expectedPk)).toBe(true);
  });

  test('sigGen (internal interface): the published signature verifies through EXTERNAL_MU with μ computed from the vector', async () => {
    const pk = hex(ACVP_SIGGEN_44.pk);
    const spki = mlDsa44Spki(pk);
    const mPrime = hex(ACVP_SIGGEN_44.message);
    const signature = hex(ACVP_SIGGEN_44.signature);
    // FIPS 204 Algorithm 7 steps 6–7: tr = H(pk, 64), μ = H(tr || M', 64), H = SHAKE256.
    const mu = Buffer.from(shake256(Buffer.concat([shake256(pk, { dkLen: 64 }), mPrime]), { dkLen: 64 }));
    expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', spki, mu, 'EXTERNAL_MU', signature)).toBe(true);
    const tampered = Buffer.from(signature);
    tampered[100]! ^= 1;
    expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', spki, mu, 'EXTERNAL_MU', tampered)).toBe(false);
    const otherMu = Buffer.from(mu);
    otherMu[0]! ^= 1;
    expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', spki, otherMu, 'EXTERNAL_MU', signature)).toBe(false);
    // RAW is the external interface (M' = 0x00 || 0x00 || M): the same bytes as a RAW message are a different μ.
    expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', spki, mPrime, 'RAW', signature)).toBe(false);
  });

  test.each(['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'] as const)(
    '%s: a RAW signature is ML-DSA.Sign(sk, M, ctx = empty), so it verifies as EXTERNAL_MU with μ = H(H(pk) || 0 || 0 || M)',
    async (spec) => {
      const pair = await mlDsaKeyPairFromSeed(spec, randomBytes(32));
      const message = randomBytes(300);
      const pk = Buffer.from(pair.publicKey.subarray(pair.publicKey.length - { ML_DSA_44: 1312, ML_DSA_65: 1952, ML_DSA_87: 2592 }[spec]));
      const mu = Buffer.from(shake256(Buffer.concat([shake256(pk, { dkLen: 64 }), Buffer.from([0, 0]), message]), { dkLen: 64 }));
      const raw = await signMessage('ML_DSA_SHAKE_256', spec, pair.privateKey, message, 'RAW');
      expect(await verifySignature('ML_DSA_SHAKE_256', spec, pair.publicKey, mu, 'EXTERNAL_MU', raw)).toBe(true);
      const fromMu = await signMessage('ML_DSA_SHAKE_256', spec, pair.privateKey, mu, 'EXTERNAL_MU');
      expect(await verifySignature('ML_DSA_SHAKE_256', spec, pair.publicKey, message, 'RAW', fromMu)).toBe(true);
      expect(await verifySignature('ML_DSA_SHAKE_256', spec, pair.publicKey, message, 'RAW', fromMu.subarray(1))).toBe(false);
    },
  );
});

describe('RSA over a DIGEST (EMSA encodings over the raw RSA primitive)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const cases: Array<[SigningAlgorithm, 'sha256' | 'sha384' | 'sha512', boolean]> = [
    ['RSASSA_PSS_SHA_256', 'sha256', true],
    ['RSASSA_PSS_SHA_384', 'sha384', true],
    ['RSASSA_PSS_SHA_512', 'sha512', true],
    ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256', false],
    ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384', false],
    ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', false],
  ];
  /** node:crypto RSA options: PSS with the given salt length (KMS: the digest length), or PKCS#1 v1.5. */
  const options = <K>(key: K, pss: boolean, saltLength: number) =>
    pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } : { key, padding: constants.RSA_PKCS1_PADDING };

  test.each(cases)('%s: signing the digest equals signing the message (node:crypto verifies it)', async (algorithm, hash, pss) => {
    const message = randomBytes(200);
    const digest = createHash(hash).update(message).digest();
    const signature = await signMessage(algorithm, 'RSA_2048', pkcs8, digest, 'DIGEST');
    expect(signature.length).toBe(256);
    const hLen = digest.length;
    expect(nodeVerify(hash, message, options(publicKey, pss, hLen), signature)).toBe(true);
    if (!pss) {
      // PKCS#1 v1.5 is deterministic: byte-identical to node's signature of the message.
      expect(signature).toEqual(nodeSign(hash, message, options(privateKey, false, hLen)));
    }
  });

  test.each(cases)('%s: node:crypto signatures of the message verify from the digest; other messages and salt lengths do not', async (algorithm, hash, pss) => {
    const message = randomBytes(99);
    const digest = createHash(hash).update(message).digest();
    const hLen = digest.length;
    const signature = nodeSign(hash, message, options(privateKey, pss, hLen));
    expect(await verifySignature(algorithm, 'RSA_2048', spki, digest, 'DIGEST', signature)).toBe(true);
    expect(await verifySignature(algorithm, 'RSA_2048', spki, message, 'RAW', signature)).toBe(true);
    const other = createHash(hash).update('other').digest();
    expect(await verifySignature(algorithm, 'RSA_2048', spki, other, 'DIGEST', signature)).toBe(false);
    if (pss) {
      // AWS's salt length is the digest length; a PSS signature with another salt length is not AWS's.
      const saltless = nodeSign(hash, message, options(privateKey, true, 0));
      expect(await verifySignature(algorithm, 'RSA_2048', spki, digest, 'DIGEST', saltless)).toBe(false);
      expect(await verifySignature(algorithm, 'RSA_2048', spki, message, 'RAW', saltless)).toBe(false);
    }
    expect(await verifySignature(algorithm, 'RSA_2048', spki, digest, 'DIGEST', signature.subarray(1))).toBe(false);
    expect(await verifySignature(algorithm, 'RSA_2048', spki, digest, 'DIGEST', Buffer.alloc(256, 0xff))).toBe(false);
  });
});

describe('ECDSA over a DIGEST (@noble/curves, prehash off)', () => {
  const curves = [
    ['ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256', 'sha256'],
    ['ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384', 'sha384'],
    ['ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512', 'sha512'],
    ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256', 'sha256'],
  ] as const;

  test.each(curves)('%s: DER signatures of the digest verify with node:crypto over the message, and the reverse', async (spec, curve, algorithm, hash) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const message = randomBytes(500);
    const digest = createHash(hash).update(message).digest();
    const signature = await signMessage(algorithm, spec, pkcs8, digest, 'DIGEST');
    expect(signature[0]).toBe(0x30);
    expect(nodeVerify(hash, message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    const byNode = nodeSign(hash, message, { key: privateKey, dsaEncoding: 'der' });
    expect(await verifySignature(algorithm, spec, spki, digest, 'DIGEST', byNode)).toBe(true);
    expect(await verifySignature(algorithm, spec, spki, message, 'RAW', byNode)).toBe(true);
    expect(await verifySignature(algorithm, spec, spki, createHash(hash).update('x').digest(), 'DIGEST', byNode)).toBe(false);
    // Not DER: the IEEE P1363 r || s form of the same signature is refused on both paths.
    const p1363 = nodeSign(hash, message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(await verifySignature(algorithm, spec, spki, digest, 'DIGEST', p1363)).toBe(false);
    expect(await verifySignature(algorithm, spec, spki, message, 'RAW', p1363)).toBe(false);
  });
});

describe('malformed input', () => {
  test('garbage signatures are invalid, never an exception', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    const ml = (await mlDsaKeyPairFromSeed('ML_DSA_44', randomBytes(32))).publicKey;
    const garbage = [Buffer.from([0x30]), Buffer.alloc(1), randomBytes(64), randomBytes(2420), Buffer.alloc(6144, 0x30)];
    for (const signature of garbage) {
      expect(await verifySignature('ECDSA_SHA_256', 'ECC_NIST_P256', ec, Buffer.from('m'), 'RAW', signature)).toBe(false);
      expect(await verifySignature('ECDSA_SHA_256', 'ECC_NIST_P256', ec, Buffer.alloc(32), 'DIGEST', signature)).toBe(false);
      expect(await verifySignature('ED25519_SHA_512', 'ECC_NIST_EDWARDS25519', ed, Buffer.from('m'), 'RAW', signature)).toBe(false);
      expect(await verifySignature('ED25519_PH_SHA_512', 'ECC_NIST_EDWARDS25519', ed, Buffer.alloc(64), 'DIGEST', signature)).toBe(false);
      expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', ml, Buffer.from('m'), 'RAW', signature)).toBe(false);
      expect(await verifySignature('ML_DSA_SHAKE_256', 'ML_DSA_44', ml, Buffer.alloc(64), 'EXTERNAL_MU', signature)).toBe(false);
    }
  });

  test('the preconditions the operations check are enforced (message type, digest length)', async () => {
    const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    await expect(signMessage('ECDSA_SHA_256', 'ECC_NIST_P256', pkcs8, Buffer.alloc(31), 'DIGEST')).rejects.toThrow('32-byte digests');
    await expect(signMessage('ECDSA_SHA_256', 'ECC_NIST_P256', pkcs8, Buffer.alloc(64), 'EXTERNAL_MU')).rejects.toThrow('MessageType EXTERNAL_MU');
  });
});

// ---------------------------------------------------------------------------------------------------------
/**
 * Published known-answer vectors, kept out of the test file's logic.
 *
 * FIPS 204 vectors are NIST ACVP's (github.com/usnistgov/ACVP-Server, gen-val/json-files, commit
 * eb31c8ef41d1f62177960180c16d6ae8b9fba648 for sigGen; keyGen from the file's current version):
 * - ML-DSA-keyGen-FIPS204 expectedResults.json, tgId 1 (ML-DSA-44), tcId 1: seed → pk.
 * - ML-DSA-sigGen-FIPS204 internalProjection.json, tgId 1 (ML-DSA-44, deterministic), tcId 1: this revision
 *   of the files exercises the internal interface, so the message is M' of ML-DSA.Sign_internal and
 *   μ = SHAKE256(SHAKE256(pk, 64) || M', 64).
 */
const ACVP_KEYGEN_44 = {
  seed: '4BE7A01A99A5E5BCFE3C06785D8E4EC664082227D86704E9E44862623A05C8B3',
  pk: [
  'ADB0B33464816091F2A95977C67F085FDC24B37854D4DB0A577AE9401E408148D8917D21AA496BB13C60B295CB0A942322A039979828F46A00A4E7DEEBA2BC06',
  '5216D97D93FD6BC1CD87DD383F18963CE5CFDD71B51DF08086F1415EA512AFAE38CE16E517142D3AE3EDD39496705679466AA9CC3FFA14071DC56244FD1CA4EC',
  'A5A1405D5F1FC12F3C5ECACC4B9B021BCA7201C4EA0D670099B7BBD50707164F3F395569990BC6E7E30424B37AB0621DB2954E5996B15670DC4CE03A1497E404',
  '65A4C326F1E065E2BFDF1A11ADBA1193522788EEA006B8B1AB296AE1B174C956AE9555180274294CDC19CB4EEFF2AAE1260AB1E03C7CCF8D8A6DF42BA67EEA32',
  '28E9E8319821FB06538C71061B5E1D79274816152A4F188FE39743D86ADED0D4E9020D5DBA0596521E8E6A2D50811E6E989AE0D35B4D400A4A4C5C883132F6F3',
  'DBD3F6517ECB27745924897FC1141CBFEC4CDD4E871E2D302AE95643D382CAEEF0DED3F1F0646768AB18297EEEC4796CF8A5964F21D55B7B3C1117843B1FAE74',
  'D8496302181EE682D076E7858B13BE612EDBB2635FFD51F3964140890F1015C32E3FFBDFB0C76E163169122B35F91E1E29C5B9C92DC40DC738FB7AA44932B937',
  'CAFA03EDD7E711EEB19A828034EC3981A2950383F6C6F734BCFFE68D39B71D7F55FE35E4E2299C0A9EDC40B66DB41F7BCA341162DE0350B54E720B9A1AAE0D99',
  'DB0A58D052B69EE1A30227439BDFD8C1D4FDBEB4691F9CBD5BB62B47CB0E782BF310E2787B3C255B67708C5C7C751F48BB797069C290493BB8561072EA17B145',
  'D26B07209E292FA5ED76CAA31B2D7DB45DDB096D44CDA13ECD03E3547B521DC30CE27D66A288B4059701598D0AD38A33130EBC492BA025D93C58E8BD11873B37',
  'ADB1B39066FE83EAD645AE6B04F758470C163AD96AEDA9208420C6E9C274EFBB853563E1CB3660D275F85BB551A2888A1EF05AAF321F65D4EB15DADC93C76A4B',
  '52D0C34F556592824968200EBDE652740727E0CB0A6DE0280FCD82CD496A1F5BAF95657BA3C1091FCC36BF7EBE77FC34889EA438A07E92ACEAE453C8EED93D9A',
  '70E82CA3B8D06EC9EADB5EAF8B491B665B3903B8C8613A2407A6E5F35F44678B1935663BBA7561096C2E3D502EF0F7A245A52252280016C0B74E3B05D93AEA24',
  'CAEBA4D595C31434D99B46F5B5EF4D3A3A625EDD7EB95DCD27C828949699C5E567D7A8512619E14ECC6E1C47CA6567211D1211FC6B949B83783C7CB41762167B',
  'F960E935FD853E9ED3BBECCB75E8DFB4E35F854566DCDB300EB0D51B6C22E6EB1D85030DAA5A2FE2BBCC7C2745790860AD48033DA038421051D161739F524BB1',
  'C716250623A57F64CB2506DF49C66537C2A46CD0A68D0017BB33CBA4CF37351291D208033768C86799E016A960E6824670FBFF1061087DA8FB74F977110239DE',
  'D48CFC86A4FC4BAEF220F05AEB0CE34357D7D31D20388FAA307F2D97F593B9E287322A9C329E04328522EA79AAC31CF2765FB334ABD9A1764DA3550968FA693C',
  'B84852268170022881CC388745A54A500FACB2B8DF36383E219B99177C3AF51B1E33AF783EFEAE04A0F9845D79AA4A4DD9DDE5CAF7D52D779D59D18F0E0E2B44',
  'B634A5D630BE8198AD8B2012C52A7B89F133F09C3E8D21F0AD1137AF095893B966FFC07E8956585FF5C10B123C6A4A5C3367D898ACB128915FE710DF75FA23B4',
  '005CAFFEE518C1420403523F0D7EB03696BD21282EB0B1C18A68F70F66837A58453190A06AD0F6E2C28C88183548C7026E2ECC8A5DC5606BBB3679F249B7A2EF',
  '79FE70441C03FE0B541016DA53AEDC40CB69A4C952CD075A89D5032380E4A1C3',
].join(''),
};

const ACVP_SIGGEN_44 = {
  pk: [
  'A9ADC1E8240B80B55E43679C3F22CFAF660E4FF2D4617E8259BA1BEB37AA049AAB50744EB4C45B8F46B101651D02FDDE5777172F85F94B592F1BE8D87D85616E',
  '67D878999B697F1892BFB7DAC340F740A17DF137B97BCF33128CB57D632166601B9FEE76E3523197FB103F1BD9B8F571DCCC3DF8237FF36B9B3C50D6675B9B57',
  'D37DC016D43BA4A06EAAA0022C54DE15B7E648D4338E6004C7DB5C2FC8EF4CAF190CD3B3B6E1D8D261604FA4CCD0790BB5E0F4608124CDD9A6541DA339B4DC7F',
  'ED442C979A702EA22CBDBEC9AB56648A90560972A4F208C810D144603A45797ED8E6A0347A6B195AD6BCECD7B746DDAC6EED772E96E018020F5CE86F149346C9',
  'E224C0BD9306BB824F794DC0B46DF76D7B345E0649748BC6536C54B6D4371BDAE5E839F0A0711BF898C35B5E3B37C7452AE20CDE7F43D3C10564F216D08C3406',
  'F1ECC6100731C344D92614306BC358A80597B42DD9AEF1F168FE0F0A4F041E03BB52B20BD79690CE49CFF456685D52144766C6829A3A8B7F027E7B4F6E7D7A50',
  '3B46BCD4A4AC93C2831AABAA1051EEBC1A3350FA17342E44D627610CBA2DA054DDEC201F321250C2EB6828C7A772474891C650A0A8CB675640DB3D1EB54A4A13',
  '8702B0A7C818F77EF59CA5BBCAB8AA6E9CA611CCA13992226156FA1CEC00569E3C0C722AF1BFD68E02DE4841DFF156368DD7870160EDDCD082027958F3670C9B',
  '3F7206AE60C0CB2C427E379A3D7B48C9AF22C058F432E8AA54B01E324AC0FEE02D832198775BDADE4AF2415E2447B4841C39728DDCDFAD51306620F63A1BE2EB',
  '4001CA361CBE39E9BE66F5A8F8A50EC8FC3357D1C7CA7F3EDE821E730C3E1C2AE593D4F6D8EF32CDD577D19D9FE359F762AAB51BE9AC83934390EC8FE7C7797F',
  'CEEFE0D50DCE41EFE88BA283035EB51EDD0418C982D567E9C0795EF2706AB40D87C9ECC9E93508C08E94D2764DAAA0CC497D926003C83938901C6A99F9074E87',
  'B926B86BBD8BE6C33C9E3BADF83670F4972537E49F2D96C3EF25F7E020A8859F495C1729DF33B047F1764C41836B2498C6C5A81388BF96CDAB5F867AC9F2848B',
  'AC21E1D6A274A0FB3EEFD260166CD8353A3AF0FF69200AEFA2E4921C0D8378CF6B8162A9C1A9A82EB43A9F53BB87D3633D873CD434EA8DBEE4AB4D8D6ADDDEF4',
  'B32E2EBD1A1A3A420720A4294C58F36B80ED33F1511D2BB28B1E1F17FD8A7B63BCA73FD42A3CB06AAF303FF47C4E81DE060B5EF9AB272DDA9CFE32CEEE88EB4C',
  '0A176E293533D0A2E32EC0853A3360C3DEF2501E101BD9821E14A1F11F89063E86539194A1509FBE46B264BB280EC49E551A7E5495671068A4BD83F67A931B8A',
  '733C8A3B2C4FEEFAC4E65D699023B9A756E4A8C7174123CAF5B4B4D2C5A96145169BAF21A2DB2B7F26DF4D0506CF9731EED76E9B6CE7B747257E5191E2343CB1',
  '40BD21EFEC9CEBA4B14D5AF0B2461897CD1C3D4E47283F67A571B975212FF6D497A28A87005D66C09C5C244D8DE337069280DA4A9C56182C449F0244C5E16CD2',
  '9E2CFC31C26D70F46567E666C3641D658BBD02B1E47A677D86DA4CA2D1CB3243B4EDCAC0C4D676D241FB44970BB772AB7EC35BF67CA80A8310B74C3A09447C6D',
  'E07BE61D9F1E83DC61E1FA83C94F1A061085ABE05F9B56FF7F42B122BC32DB1CDE9392FB919853D83C6EEC422EBCE1D5695A2DE3AEAAF2BA1F1A518C00359959',
  '8E51EAEEF37E9651B160018EC07ECCEE685A2939B2C28F81374C7388694310CD7DB20CB18334C5A50A6964AFB9C0CDFF826F78933BDC5AE6C3013327EC8E976F',
  '5D6073D5D3CFD7AFD6E7DF23DE849736DD458CA8B06EBC57480D2F323B5C7B6D',
].join(''),
  message: [
  '0D873AEFDA3463D854EA8F90A1D658E87B9BD00340198F1D3D11755B01ADBE7648CBE41EF949815B915AA680316B30435825F79CFF2B90F2A534395C8FF532FA',
  '6BC1FCD219B00E7337CF2FD10B3452766D045034A82937459DFDCF07BDB92BC12BB1B583E29E48A859A0C636712EF0743CF615BAB65DAC2044DE7061596713FD',
].join(''),
  signature: [
  'D7D42756C4E5FE21D77EEE8383AFECCD6A21EE9DFB2DF75604A089662CE4CCBB179C8062767BCC471DF06BB42436D369C72F2990BF8DE6056B8685869931F495',
  'FC32B6B786F2CDFB5125D6D2BAA17507E40E7510EBAC0B71905253C917FDAA6C16C017657EBCD9731C5260D7CD1D520E9C12911BAF05CC5E3A8048A787F971BD',
  'D8460AA81C593173C477A654B6D2802BFE01EA199DC0E6A57839EEE198D8982690ABDDF8A4F571C2A275B5FA3FD551F2846CC4C5BABEAEB4171FA99D44720133',
  'A5B7F6BD65A2652A30AD71A8B06A5B3D2E70FC0BB7AEA3A97A3B08A851F11FDBAA2B8F647DF2A716914EBAE6E799B0FF7737F0BA797FE7A63ABD3286F39ACAF4',
  '79F9E314FBCAAE1B0B17F588D26F6D8E5E0DBA8930E4067EB1A926CAE9F0CEEC86BBB2F620489CFD86A3F04309C918485B67DE1D62BAA84FD9CF28A0E2B67BFA',
  '991FFA988B2B82130958FDE25306FD06CB5561D4799F352A56F48747A1D4E9CE52AA9996ABCA5642F1B3714718F9A7C0ED4EB09B6D260BC3D8219824FEF6880F',
  'F3D559CFFE2C335083BA510A410582E21BC40E9E99A0B8B5E2CB310195817B6E8427BA13A37AA3EAA29DBCAB5D7E85C50CA4507DE7D40577EB1DBFF2D75AD7C8',
  'ABA28906DA795F7C7D30F6AEE6C77287748B3AEE910746326320F92CDC3C8BBC788E05523FA3F35C4CFADC9E473B78C49621CE0FC89C8EC296F919C295F9091C',
  '550624A5F8678DE772071F38EA57D8976960E51603A47722BE0CD67FE5426C964262B63C75AF54A5941C7C710451ECCEE0267A02F2B53F66F36308668DE86BDD',
  'DCB43629564CE3F2D4CA385BF3176B614B97CB41E14E1137718312E703139F4576D1C9F54348C8558573603739747B8A263571FB67CD3D0E83DF05895C3AD585',
  'B86EFF0F4091DE16A1A69E3DAC0939226DE7B57832137BC457E94E27FFF3861B91B30169170D1AD61AFC0CE2B2D93163E9B387334096160B3ED94E6B24A5208F',
  '5FFA2825335B480FC87890F7D0EF0B80A4100863B330229D727C35E416DAD663D82D55DC94D05197EF822349601B992B54E28344CE0FBD8894367F77656455CF',
  '11E6A5D1E48D3985B6FF98CB2D800291F3D7C9C0B0F0C58A08311005DBDFCD1DF67E1A53A1275CA97CE87F5E88ED8783AFD2690AA003FB4C7EB1251DF2D77EB2',
  '342C8266C06B232D8FD7DAC89473C14E48D687EA2A1FA574FB9DB3BB2E61EDCA869221922FBA54F680D97C36B45E3920EDC3645F6CE1D60B7B80C548641F19AD',
  'B4E14C2E8556A87EB10C27D2BBAF0C80B4E2BEF79190923A72D0EDEB95D20FA0C18621FACB9FE5188928BBE6A6053A5EABC83B0AB091DFD96958CB613FEE3858',
  '258CAFB21378D5ECBD8685FBDA2B52EA574171C3C144C9003E47853475F34F3B461291C4E65F1D3DD2665A7C13373B03A422F1F52BA346B930848F557E552447',
  '76F6EC6E866A10A18FD60ADF5F4B7F3CF311925F4B8CAA7C35A61AB1697487E47B21A3D83670E011C1F9E787F06E783394EB71AAC5336688ACA7244DA72B9FA0',
  'C16B59BCC1A8D12A748529A3AC0678992C9F3B66A56906D8CA863D6C0D8890DA98B12D6B2339FA5F1803082AC0388F32F134ED2810E32794A9130DDCE80D14C2',
  'D9BF83225E9EBF4DB74058AAB1220425E89D9DA049E15576F97C1A754CBB4454F66F12D3989998CE6FB2A6814E0C12723F89B6CBB66B6A7C0A86C3D5B5D5F2EF',
  '6808499BE771BA6809057351513D10BFBBD7FE28534D5B2CDB64FEDAC2C70615E7402CEA6C4E93B1F301E9A65F3B7194AC9A00D5AFC90227DA914713D18DE6CB',
  '60C8A1DBA2300C9422B30954533C34795938DBD8ABCF61B61DED902E48E2C0607F62FB1A1028FA95B0074955F51435B89404567177988512F397FA4E9FB044BA',
  '9E935CF5ADA563A8094F0C4478D44955243562050E336F49C8219E0B8D61E85E39A55A0A478AF2CCDC5360518254BA5971B8F5A5C0AF457D91BF9CD104DE5FF5',
  '855B6A67A226B0D984D870DC0C242903FB4D2EF37C74EF7537D75316852A269334399C0E076E029E62CD5DAF825F9D3CE583363394B38E247F1DED06426A8D7D',
  '6B0B2609B400EA95879002EE62896281B496F32955B96E8BEF571F522F917AB9A061EB503AFCCC44DE3DFBD61F81205419E9E3442AB59A21A3E449A6831A4D8F',
  '680BA843A6FA9D6D539B5B601D22D74123A7E9720B031892750167D5FBDBC83CFA4EE56D708E331397C4EED5AEFD9CACB3CDCA82B7E3EC749BF2955539CB0C8B',
  'E9234AA6187CA60D5DB3A304F0A288150094FEB02304D45B4D3846D30271E6E569448E4C0A7EFC4C612BA5207486EBCDE4B0E109D01713DE67689B5559E78534',
  'A445D1BC188C01E501D5ED8902013C037166390D08A950BE6BBD4DAE17A9D6EE65AF8443ECAA30D7A9FAD47D6EACDF5029C5C3DFEF42EB78E15235A1AB789152',
  '9532DBD308EEB119571B218BB77C4F4CDBDE5DD0CA1C41BB3484EDE8DD8289860AF67075857FDA80FD8D236AD8EDD42518E9E874A400E2361A2AA08E24470723',
  '1ABA3D94F57676B24650A9EBE5A99ADA7719A26619814B16B1EC717C7D8F23C7391E8C4EC934071F714E18FDD3A2E624017D38B6D0EF78386BD2C5EB15E18E39',
  '37A646D43132918AA71680F1A6EBCEEB421BF9A5EF982BE69BEDFB5E9A9BAE7AD82ECAE937E5E2796BC0B8EAF1A42E56521125F3AC925530DE8ADDB1D5B887E4',
  'CF8FA45E81E0196BAFA35DA1D46C08D0911219F8DEE12230D9E4A80E34494B427A8AD55C7DCF43BE0A1371E939A538260D55657D3211953E02B7CF13475F4878',
  '3A82B586FAEEB6677E3E203DFEDACAF40DC0D27D658117AD8ECE8D885181005A0D17C8DCCCBF4B8A9AA537ECEFA204A3834341E56DA15691688AB9269CCFF513',
  '38B344857A28596755E4E33BEDF362DA0917E76EB367682EBF7DAFB7C87614212BCE4FB3B7E03237B06E71EFA4DB5BD058EC7A6877DC10CDDEBC3CCC4F07FCF4',
  'B757C10D3A65A04D4F7FDC1FDB0C30966E5F1392EADDB7A21348FA34762EB0764768A60DFAEB1C74F648E704948E5414BAF05FC099931A00C6FEED969B5BDBB7',
  '691E3EFE9C662A558B0034B8A07868E3C82C7EFF54D6163D1900DD983339B00036FFFB9AA6B983BBE6492730916AF759B92CC9F38A0DFB0654B06677EC3ADF08',
  'BA354971493F5B7899777AC5C04F3150FD6547435AFA0DEECB85D68DEAFFD13572E440AEFD63C71694373FB8EE071DC465732D1925E64BE462170B6CACE8AC1B',
  'FB48CB13BAC58D4D6D24D64708210862093A934154E234255C4EE88AB63EB4F5030E102543626B819DA2AAB4E3F02527353B44555FC8CDDA1A4042516972ADBA',
  'C1C4C9CFF5031216697A7B7C849DBECCD6ECF3FC000000000000000000000000000000000000000000000000000000000E182534',
].join(''),
};
