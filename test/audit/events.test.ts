/**
 * One CloudTrail-shaped event per protocol request: success, operation error, validation and serialization
 * errors, authentication failures, unknown operations. Field order and values follow the developer guide's
 * KMS CloudTrail examples (ct-encrypt, ct-createkey, ct-creategrant, ct-reencrypt, ct-describekey).
 */
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { ACCOUNT_ID, REGION, errorOf, rawRequest, useKmslite, createKey, withKmslite, accountClient, kms, running } from '../helpers/fixture.js';
import { EVENT_TIME, JAVA_DATE, UUID, auditEvents, eventOf } from './helpers.js';

useKmslite();

const ROOT_IDENTITY = {
  type: 'Root',
  principalId: ACCOUNT_ID,
  arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
  accountId: ACCOUNT_ID,
  accessKeyId: 'test',
};

describe('audit events', () => {
  describe('functionality', () => {
    test('Encrypt: the CloudTrail record, field by field, in CloudTrail order', async () => {
      const key = await createKey(kms);
      const result = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('audited'), EncryptionContext: { Department: 'Engineering' } }));
      const event = await eventOf(running, result.$metadata.requestId);
      expect(Object.keys(event)).toEqual([
        'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
        'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'resources', 'eventType', 'managementEvent',
        'recipientAccountId', 'eventCategory',
      ]);
      expect(event).toEqual({
        eventVersion: '1.11',
        userIdentity: ROOT_IDENTITY,
        eventTime: expect.stringMatching(EVENT_TIME),
        eventSource: 'kms.amazonaws.com',
        eventName: 'Encrypt',
        awsRegion: REGION,
        sourceIPAddress: '127.0.0.1',
        userAgent: expect.stringContaining('aws-sdk-js'),
        requestParameters: { keyId: key.KeyId, encryptionContext: { Department: 'Engineering' } },
        responseElements: null,
        requestID: result.$metadata.requestId,
        eventID: expect.stringMatching(UUID),
        readOnly: true,
        resources: [{ accountId: ACCOUNT_ID, type: 'AWS::KMS::Key', ARN: key.Arn }],
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: ACCOUNT_ID,
        eventCategory: 'Management',
      });
      const eventMs = Date.parse(event.eventTime);
      expect(Math.abs(eventMs - running.kmslite.clock.now())).toBeLessThan(5000);
    });

    test('CreateKey: readOnly false, responseElements.keyMetadata with CloudTrail names and Java dates, the new key as resource', async () => {
      const created = await kms.send(new CreateKeyCommand({ Description: 'audit me', Tags: [{ TagKey: 'team', TagValue: 'blue' }] }));
      const event = await eventOf(running, created.$metadata.requestId);
      const metadata = created.KeyMetadata!;
      expect(event.readOnly).toBe(false);
      expect(event.requestParameters).toEqual({ description: 'audit me', tags: [{ tagKey: 'team', tagValue: 'blue' }] });
      expect(event.responseElements.keyMetadata).toMatchObject({
        AWSAccountId: ACCOUNT_ID,
        keyId: metadata.KeyId,
        arn: metadata.Arn,
        creationDate: expect.stringMatching(JAVA_DATE),
        enabled: true,
        description: 'audit me',
        keyUsage: 'ENCRYPT_DECRYPT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        keySpec: 'SYMMETRIC_DEFAULT',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        multiRegion: false,
      });
      expect(event.resources).toEqual([{ accountId: ACCOUNT_ID, type: 'AWS::KMS::Key', ARN: metadata.Arn }]);
    });

    test('CreateGrant: responseElements {grantId, keyId: key ARN}, never the grant token', async () => {
      const key = await createKey(kms);
      const grant = await kms.send(
        new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/app`, Operations: ['Encrypt', 'Decrypt'] }),
      );
      const event = await eventOf(running, grant.$metadata.requestId);
      expect(event.requestParameters).toEqual({ keyId: key.KeyId, granteePrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/app`, operations: ['Encrypt', 'Decrypt'] });
      expect(event.responseElements).toEqual({ grantId: grant.GrantId, keyId: key.Arn });
      expect(JSON.stringify(event)).not.toContain(grant.GrantToken!);
    });

    test('DescribeKey by alias-free id: readOnly, responseElements null', async () => {
      const key = await createKey(kms);
      const described = await kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
      const event = await eventOf(running, described.$metadata.requestId);
      expect(event).toMatchObject({ eventName: 'DescribeKey', readOnly: true, requestParameters: { keyId: key.Arn }, responseElements: null });
      expect(event.resources).toEqual([{ accountId: ACCOUNT_ID, type: 'AWS::KMS::Key', ARN: key.Arn }]);
    });

    test('ReEncrypt: resources are the source key, then the destination key', async () => {
      const source = await createKey(kms);
      const destination = await createKey(kms);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: source.KeyId, Plaintext: Buffer.from('move me') }));
      const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: destination.KeyId }));
      const event = await eventOf(running, moved.$metadata.requestId);
      expect(event.resources.map((resource: { ARN: string }) => resource.ARN)).toEqual([source.Arn, destination.Arn]);
      expect(event.requestParameters).toEqual({ destinationKeyId: destination.KeyId });
      expect(event.responseElements).toBeNull();
    });

    test('GenerateRandom uses no key: no resources member', async () => {
      const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 16 }));
      const event = await eventOf(running, random.$metadata.requestId);
      expect(event.requestParameters).toEqual({ numberOfBytes: 16 });
      expect(event).not.toHaveProperty('resources');
    });

    test('a caller account from a 12-digit access key: userIdentity and recipientAccountId name that account', async () => {
      const other = accountClient(running, '444455556666', 'us-west-2');
      const random = await other.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
      const event = await eventOf(running, random.$metadata.requestId);
      expect(event.userIdentity).toEqual({
        type: 'Root',
        principalId: '444455556666',
        arn: 'arn:aws:iam::444455556666:root',
        accountId: '444455556666',
        accessKeyId: '444455556666',
      });
      expect(event.awsRegion).toBe('us-west-2');
      expect(event.recipientAccountId).toBe('444455556666');
    });
  });

  describe('errors', () => {
    test('an operation error: errorCode and errorMessage after userAgent, requestParameters kept, the key as resource', async () => {
      const key = await createKey(kms);
      await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
      const error = await errorOf(() => kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('refused') })));
      expect(error.name).toBe('DisabledException');
      const event = await eventOf(running, error.$metadata.requestId);
      expect(Object.keys(event).slice(7, 12)).toEqual(['userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements']);
      expect(event).toMatchObject({
        eventName: 'Encrypt',
        errorCode: 'DisabledException',
        errorMessage: error.message,
        requestParameters: { keyId: key.KeyId },
        responseElements: null,
        userIdentity: ROOT_IDENTITY,
        resources: [{ accountId: ACCOUNT_ID, type: 'AWS::KMS::Key', ARN: key.Arn }],
      });
    });

    test('a key that does not exist: NotFoundException, no resources, the keyId as sent', async () => {
      const missing = '00000000-1111-2222-3333-444444444444';
      const error = await errorOf(() => kms.send(new DescribeKeyCommand({ KeyId: missing })));
      const event = await eventOf(running, error.$metadata.requestId);
      expect(event).toMatchObject({ errorCode: 'NotFoundException', requestParameters: { keyId: missing } });
      expect(event).not.toHaveProperty('resources');
    });

    test('a validation error: ValidationException, requestParameters null (the input never passed validation)', async () => {
      const response = await rawRequest(running, 'Encrypt', { KeyId: 'alias/x', Plaintext: '' });
      expect(response.status).toBe(400);
      const event = await eventOf(running, response.headers['x-amzn-requestid'] as string);
      expect(event).toMatchObject({ eventName: 'Encrypt', errorCode: 'ValidationException', requestParameters: null, responseElements: null, userIdentity: ROOT_IDENTITY });
    });

    test('a body that is not JSON: SerializationException without a message member', async () => {
      const response = await rawRequest(running, 'DescribeKey', '{not json');
      const event = await eventOf(running, response.headers['x-amzn-requestid'] as string);
      expect(event).toMatchObject({ eventName: 'DescribeKey', errorCode: 'SerializationException', requestParameters: null });
      expect(event).not.toHaveProperty('errorMessage');
      expect(event.userIdentity).toEqual({ type: 'Unknown', accountId: ACCOUNT_ID, accessKeyId: 'test' });
    });

    test('an unknown operation: eventName as asked, UnknownOperationException', async () => {
      const response = await rawRequest(running, 'NoSuchOperation', {});
      expect(response.json.__type).toBe('UnknownOperationException');
      const event = await eventOf(running, response.headers['x-amzn-requestid'] as string);
      expect(event).toMatchObject({ eventName: 'NoSuchOperation', errorCode: 'UnknownOperationException', requestParameters: null, readOnly: false });
    });

    test('a wrong signature: InvalidSignatureException, identity Unknown with the claimed access key, Region from the scope', async () => {
      const response = await rawRequest(running, 'ListKeys', {}, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, region: 'ap-south-1' });
      expect(response.json.__type).toBe('InvalidSignatureException');
      const event = await eventOf(running, response.headers['x-amzn-requestid'] as string);
      expect(event).toMatchObject({
        eventName: 'ListKeys',
        awsRegion: 'ap-south-1',
        errorCode: 'InvalidSignatureException',
        errorMessage: response.json.message,
        userIdentity: { type: 'Unknown', accountId: ACCOUNT_ID, accessKeyId: 'test' },
        requestParameters: null,
        recipientAccountId: ACCOUNT_ID,
      });
    });

    test('no signature at all: MissingAuthenticationTokenException, no access key, the default Region', async () => {
      const response = await rawRequest(running, 'ListKeys', {}, { sign: false });
      expect(response.json.__type).toBe('MissingAuthenticationTokenException');
      const event = await eventOf(running, response.headers['x-amzn-requestid'] as string);
      expect(event.userIdentity).toEqual({ type: 'Unknown', accountId: ACCOUNT_ID });
      expect(event.awsRegion).toBe(REGION);
      expect(event.errorCode).toBe('MissingAuthenticationTokenException');
    });

    test('a body over the size limit (refused before the pipeline) still has its event', async () => {
      await withKmslite({ maxBodyBytes: 64 }, async (small) => {
        const response = await rawRequest(small, 'Encrypt', { KeyId: 'k', Plaintext: Buffer.alloc(200).toString('base64') });
        expect(response.status).toBe(400);
        const events = await auditEvents(small);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ requestID: response.headers['x-amzn-requestid'], eventName: 'Encrypt', errorCode: 'SerializationException' });
      });
    });
  });
});
