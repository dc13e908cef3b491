/**
 * DryRun audit: every operation whose model input has DryRun (CreateGrant, Decrypt, DeriveSharedSecret, Encrypt,
 * GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext,
 * GenerateMac, ReEncrypt, RetireGrant, RevokeGrant, Sign, Verify, VerifyMac). A DryRun on a request that would
 * succeed answers DryRunOperationException `The request would have succeeded, but the DryRun option is set.`
 * (aws-kms-wire.md; AWS-recorded for GenerateDataKeyPair[WithoutPlaintext]) and changes nothing — the whole
 * store export, key material included (grants, last usage, materials), is identical before and after; a DryRun
 * on a request that would fail answers the real error.
 */
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { generateKeyPairSync } from 'node:crypto';
import { ACCOUNT_ID, errorOf, useKmslite, kms, running } from '../helpers/fixture.js';
import { exportState } from '../../src/server/stateExport.js';
import { INPUT_SHAPES } from '../../src/model/generated/shapes.js';


const keys = { symmetric: '', disabled: '', hmac: '', disabledHmac: '', sign: '', disabledSign: '', agreement: '', disabledAgreement: '' };
let ciphertext: Uint8Array;
let disabledCiphertext: Uint8Array;
let signature: Uint8Array;
let mac: Uint8Array;
let grantId: string;
let grantToken: string;
const message = Buffer.from('dry run message');
const peerPublicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
const GRANTEE = `arn:aws:iam::${ACCOUNT_ID}:role/dry-run`;

async function createKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}, disable = false): Promise<string> {
  const keyId = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
  if (disable) await kms.send(new DisableKeyCommand({ KeyId: keyId }));
  return keyId;
}

useKmslite();

beforeAll(async () => {
  keys.symmetric = await createKey();
  keys.hmac = await createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  keys.sign = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  keys.agreement = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  ciphertext = (await kms.send(new EncryptCommand({ KeyId: keys.symmetric, Plaintext: message }))).CiphertextBlob!;
  keys.disabled = await createKey();
  disabledCiphertext = (await kms.send(new EncryptCommand({ KeyId: keys.disabled, Plaintext: message }))).CiphertextBlob!;
  await kms.send(new DisableKeyCommand({ KeyId: keys.disabled }));
  signature = (await kms.send(new SignCommand({ KeyId: keys.sign, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!;
  mac = (await kms.send(new GenerateMacCommand({ KeyId: keys.hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
  keys.disabledHmac = await createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, true);
  keys.disabledSign = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, true);
  keys.disabledAgreement = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, true);
  const grant = await kms.send(new CreateGrantCommand({ KeyId: keys.symmetric, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] }));
  grantId = grant.GrantId!;
  grantToken = grant.GrantToken!;
});

const snapshot = () => JSON.stringify(exportState(running.kmslite.stores, { includeKeyMaterial: true }));

type Case = [operation: string, valid: () => any, invalid: () => any, invalidError: string];

const CASES: Case[] = [
  [
    'CreateGrant',
    () => new CreateGrantCommand({ KeyId: keys.symmetric, GranteePrincipal: GRANTEE, Operations: ['Encrypt'], DryRun: true }),
    () => new CreateGrantCommand({ KeyId: keys.disabled, GranteePrincipal: GRANTEE, Operations: ['Encrypt'], DryRun: true }),
    'DisabledException',
  ],
  [
    'Decrypt',
    () => new DecryptCommand({ CiphertextBlob: ciphertext, DryRun: true }),
    () => new DecryptCommand({ CiphertextBlob: disabledCiphertext, DryRun: true }),
    'DisabledException',
  ],
  [
    'Decrypt (IGNORE_CIPHERTEXT)',
    () => new DecryptCommand({ KeyId: keys.symmetric, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
    () => new DecryptCommand({ KeyId: keys.disabled, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
    'DisabledException',
  ],
  [
    'DeriveSharedSecret',
    () => new DeriveSharedSecretCommand({ KeyId: keys.agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerPublicKey, DryRun: true }),
    () => new DeriveSharedSecretCommand({ KeyId: keys.disabledAgreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerPublicKey, DryRun: true }),
    'DisabledException',
  ],
  [
    'Encrypt',
    () => new EncryptCommand({ KeyId: keys.symmetric, Plaintext: message, DryRun: true }),
    () => new EncryptCommand({ KeyId: keys.disabled, Plaintext: message, DryRun: true }),
    'DisabledException',
  ],
  [
    'GenerateDataKey',
    () => new GenerateDataKeyCommand({ KeyId: keys.symmetric, KeySpec: 'AES_256', DryRun: true }),
    () => new GenerateDataKeyCommand({ KeyId: keys.disabled, KeySpec: 'AES_256', DryRun: true }),
    'DisabledException',
  ],
  [
    'GenerateDataKeyWithoutPlaintext',
    () => new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keys.symmetric, NumberOfBytes: 16, DryRun: true }),
    () => new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keys.hmac, NumberOfBytes: 16, DryRun: true }),
    'InvalidKeyUsageException',
  ],
  [
    'GenerateDataKeyPair',
    () => new GenerateDataKeyPairCommand({ KeyId: keys.symmetric, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }),
    () => new GenerateDataKeyPairCommand({ KeyId: keys.disabled, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }),
    'DisabledException',
  ],
  [
    'GenerateDataKeyPairWithoutPlaintext',
    () => new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keys.symmetric, KeyPairSpec: 'RSA_2048', DryRun: true }),
    () => new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keys.sign, KeyPairSpec: 'RSA_2048', DryRun: true }),
    'InvalidKeyUsageException',
  ],
  [
    'GenerateMac',
    () => new GenerateMacCommand({ KeyId: keys.hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
    () => new GenerateMacCommand({ KeyId: keys.disabledHmac, Message: message, MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
    'DisabledException',
  ],
  [
    'VerifyMac',
    () => new VerifyMacCommand({ KeyId: keys.hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: mac, DryRun: true }),
    () => new VerifyMacCommand({ KeyId: keys.hmac, Message: Buffer.from('other'), MacAlgorithm: 'HMAC_SHA_256', Mac: mac, DryRun: true }),
    'KMSInvalidMacException',
  ],
  [
    'ReEncrypt',
    () => new ReEncryptCommand({ CiphertextBlob: ciphertext, DestinationKeyId: keys.symmetric, DryRun: true }),
    () => new ReEncryptCommand({ CiphertextBlob: ciphertext, DestinationKeyId: keys.disabled, DryRun: true }),
    'DisabledException',
  ],
  [
    'ReEncrypt (IGNORE_CIPHERTEXT)',
    () => new ReEncryptCommand({ SourceKeyId: keys.symmetric, DestinationKeyId: keys.symmetric, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
    () => new ReEncryptCommand({ SourceKeyId: keys.disabled, DestinationKeyId: keys.symmetric, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
    'DisabledException',
  ],
  [
    'RetireGrant',
    () => new RetireGrantCommand({ GrantToken: grantToken, DryRun: true }),
    () => new RetireGrantCommand({ KeyId: keys.symmetric, GrantId: '0'.repeat(64), DryRun: true }),
    'NotFoundException',
  ],
  [
    'RevokeGrant',
    () => new RevokeGrantCommand({ KeyId: keys.symmetric, GrantId: grantId, DryRun: true }),
    () => new RevokeGrantCommand({ KeyId: keys.symmetric, GrantId: '0'.repeat(64), DryRun: true }),
    'NotFoundException',
  ],
  [
    'Sign',
    () => new SignCommand({ KeyId: keys.sign, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
    () => new SignCommand({ KeyId: keys.disabledSign, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
    'DisabledException',
  ],
  [
    'Verify',
    () => new VerifyCommand({ KeyId: keys.sign, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
    () => new VerifyCommand({ KeyId: keys.disabledSign, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
    'DisabledException',
  ],
];

describe('DryRun', () => {
  test('every operation with a DryRun member is covered', () => {
    const withDryRun = Object.entries(INPUT_SHAPES)
      .filter(([, shape]) => shape.members?.some((member) => member.name === 'DryRun'))
      .map(([operation]) => operation)
      .sort();
    const covered = [...new Set(CASES.map(([operation]) => operation.split(' ')[0]!))].sort();
    expect(covered).toEqual(withDryRun);
  });

  describe('validation', () => {
    test.each(CASES)('%s: DryRun on a failing request answers the real error', async (_operation, _valid, invalid, errorName) => {
      const before = snapshot();
      const error = await errorOf(() => kms.send(invalid()));
      expect(error.name).toBe(errorName);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(snapshot()).toBe(before);
    });
  });

  describe('functionality', () => {
    test.each(CASES)('%s: DryRun on a valid request → DryRunOperationException, store unchanged', async (_operation, valid) => {
      const before = snapshot();
      const error = await errorOf(() => kms.send(valid()));
      expect(error.name).toBe('DryRunOperationException');
      expect(error.message).toBe('The request would have succeeded, but the DryRun option is set.');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(snapshot()).toBe(before);
    });
  });
});
