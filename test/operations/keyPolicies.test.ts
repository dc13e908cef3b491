import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import type { KeyState } from '../../src/model/generated/enums.js';
import { ACCOUNT_ID, errorOf, kmsClient, rawRequest, useKmslite, expectError, expectKeyLookupFailures as expectKeyLookupFailures_, setKeyState, createKey, kms, running } from '../helpers/fixture.js';

useKmslite();


/** aws-kms-wire.md §10: the default key policy, byte for byte (Jackson pretty-print). */
const defaultPolicy = (partition: string) => `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${ACCOUNT_ID}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;

/** A policy written with unusual whitespace, to show it is stored and returned exactly. */
const CUSTOM_POLICY =
  '{"Version":"2012-10-17",  "Statement":[\n\t{"Sid":"custom","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}\r\n]}';

async function policyOf(keyId: string): Promise<string> {
  return (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy!;
}

/** Puts a key in a state directly (ScheduleKeyDeletion/DisableKey are other helpers' work and may be placeholders). */
const setState = (keyId: string, state: KeyState) => setKeyState(running, keyId, state);
const expectKeyLookupFailures = (send: (keyId: string) => Promise<unknown>) => expectKeyLookupFailures_(running, send, 'eu-west-1');

const STATES = ['Disabled', 'PendingDeletion', 'PendingImport'] as const;

describe('GetKeyPolicy', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new GetKeyPolicyCommand({ KeyId })));
    });

    test('a PolicyName other than default answers NotFoundException', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'other' })));
      expectError(error, 'NotFoundException', 'No such policy exists');
    });

    test('a PolicyName outside the model pattern is a validation error', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'not-a-word' })));
      expectError(
        error,
        'ValidationException',
        "1 validation error detected: Value 'not-a-word' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
      );
    });
  });

  describe('functionality', () => {
    test('a key created without Policy has the default policy, byte for byte, named default', async () => {
      const key = await createKey(kms);
      const raw = await rawRequest(running, 'GetKeyPolicy', { KeyId: key.KeyId });
      expect(raw.status).toBe(200);
      expect(raw.json).toEqual({ Policy: defaultPolicy('aws'), PolicyName: 'default' });
      const response = await kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn, PolicyName: 'default' }));
      expect(response.Policy).toBe(defaultPolicy('aws'));
      expect(response.PolicyName).toBe('default');
    });

    test('the default policy names the partition of the Region', async () => {
      const china = kmsClient(running, 'cn-north-1');
      const key = (await china.send(new CreateKeyCommand({}))).KeyMetadata!;
      expect((await china.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy).toBe(defaultPolicy('aws-cn'));
    });

    test('returns the policy given to CreateKey exactly as sent', async () => {
      const key = await createKey(kms, { Policy: CUSTOM_POLICY });
      expect(await policyOf(key.KeyId!)).toBe(CUSTOM_POLICY);
    });

    test('works in every key state', async () => {
      const key = await createKey(kms, { Policy: CUSTOM_POLICY });
      for (const state of STATES) {
        setState(key.KeyId!, state);
        expect(await policyOf(key.KeyId!)).toBe(CUSTOM_POLICY);
      }
    });
  });
});

describe('PutKeyPolicy', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new PutKeyPolicyCommand({ KeyId, Policy: CUSTOM_POLICY })));
    });

    test('a document that is not JSON answers MalformedPolicyDocumentException without a message', async () => {
      const key = await createKey(kms);
      for (const policy of ['not json', '[1,2]', '{"Version":"2012-10-17"}']) {
        const raw = await rawRequest(running, 'PutKeyPolicy', { KeyId: key.KeyId, Policy: policy });
        expect(raw.status).toBe(400);
        expect(raw.json).toEqual({ __type: 'MalformedPolicyDocumentException' });
      }
      const error = await errorOf(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: '{' })));
      expect(error.name).toBe('MalformedPolicyDocumentException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(await policyOf(key.KeyId!)).toBe(defaultPolicy('aws'));
    });

    test('a policy over 32 KB answers LimitExceededException and changes nothing', async () => {
      const key = await createKey(kms);
      const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(33_000), Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
      const error = await errorOf(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: big })));
      expectError(error, 'LimitExceededException', 'The key policy exceeds the maximum size of 32768 bytes.');
      expect(await policyOf(key.KeyId!)).toBe(defaultPolicy('aws'));
    });

    test('a PolicyName other than default answers NotFoundException and changes nothing', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'custom', Policy: CUSTOM_POLICY })));
      expectError(error, 'NotFoundException', 'No such policy exists');
      expect(await policyOf(key.KeyId!)).toBe(defaultPolicy('aws'));
    });

    test('a character outside the model pattern is a validation error', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: '{"Statement":["\u0100"]}' })));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toMatch(/^1 validation error detected: Value '.*' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
      expect(await policyOf(key.KeyId!)).toBe(defaultPolicy('aws'));
    });
  });

  describe('functionality', () => {
    test('replaces the policy; GetKeyPolicy returns the new text exactly', async () => {
      const key = await createKey(kms);
      const response = await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: CUSTOM_POLICY }));
      expect(response.$metadata.httpStatusCode).toBe(200);
      expect(await policyOf(key.KeyId!)).toBe(CUSTOM_POLICY);
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn, PolicyName: 'default', Policy: defaultPolicy('aws'), BypassPolicyLockoutSafetyCheck: true }));
      expect(await policyOf(key.KeyId!)).toBe(defaultPolicy('aws'));
    });

    test('a policy of exactly 32768 bytes is accepted', async () => {
      const key = await createKey(kms);
      const shell = JSON.stringify({ Statement: [], Pad: '' });
      const exact = JSON.stringify({ Statement: [], Pad: 'p'.repeat(32_768 - Buffer.byteLength(shell)) });
      expect(Buffer.byteLength(exact)).toBe(32_768);
      await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: exact }));
      expect(await policyOf(key.KeyId!)).toBe(exact);
    });

    test('works in every key state', async () => {
      const key = await createKey(kms);
      for (const state of STATES) {
        setState(key.KeyId!, state);
        const policy = CUSTOM_POLICY.replace('custom', `in-${state}`);
        await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policy }));
        expect(await policyOf(key.KeyId!)).toBe(policy);
      }
    });
  });
});

describe('ListKeyPolicies', () => {
  describe('validation', () => {
    test('key lookup failures', async () => {
      await expectKeyLookupFailures((KeyId) => kms.send(new ListKeyPoliciesCommand({ KeyId })));
    });

    test('Limit 0 is a validation error', async () => {
      const key = await createKey(kms);
      const error = await errorOf(() => kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId, Limit: 0 })));
      expectError(
        error,
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    });
  });

  describe('functionality', () => {
    test('every key has the one policy default, not truncated', async () => {
      const key = await createKey(kms);
      const raw = await rawRequest(running, 'ListKeyPolicies', { KeyId: key.KeyId });
      expect(raw.status).toBe(200);
      expect(raw.json).toEqual({ PolicyNames: ['default'], Truncated: false });
      const response = await kms.send(new ListKeyPoliciesCommand({ KeyId: key.Arn, Limit: 1, Marker: 'anything' }));
      expect(response.PolicyNames).toEqual(['default']);
      expect(response.Truncated).toBe(false);
      expect(response.NextMarker).toBeUndefined();
    });

    test('works in every key state', async () => {
      const key = await createKey(kms);
      for (const state of STATES) {
        setState(key.KeyId!, state);
        expect((await kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId }))).PolicyNames).toEqual(['default']);
      }
    });
  });
});
