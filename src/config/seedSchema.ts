/**
 * JSON Schema of a seed document (validated with ajv). The local-kms format is the base; kmslite adds
 * `Regions` (per account and Region), and per key `Tags`, `Policy`, `RotationPeriodInDays`, and an
 * honoured `Metadata.Enabled`. Unknown members are ignored, as local-kms (go-yaml, non-strict) does.
 */
const hex = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-fA-F]{${bytes * 2}}$` });

const metadata = {
  type: 'object',
  required: ['KeyId'],
  properties: {
    KeyId: { type: 'string', minLength: 1, maxLength: 255 },
    Description: { type: 'string', maxLength: 8192 },
    Enabled: { type: 'boolean' },
    KeyUsage: { type: 'string' },
    KeySpec: { type: 'string' },
    Origin: { enum: ['AWS_KMS', 'EXTERNAL'] },
    MultiRegion: { type: 'boolean' },
  },
};

const tags = {
  type: 'array',
  maxItems: 50,
  items: {
    type: 'object',
    required: ['TagKey', 'TagValue'],
    properties: { TagKey: { type: 'string', minLength: 1, maxLength: 128 }, TagValue: { type: 'string', maxLength: 256 } },
  },
};

const common = {
  Metadata: metadata,
  Tags: tags,
  Policy: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
};

const aesEntry = {
  type: 'object',
  required: ['Metadata'],
  properties: {
    ...common,
    BackingKeys: { type: 'array', items: hex(32) },
    NextKeyRotation: { anyOf: [{ type: 'string' }, { type: 'object' }] },
    RotationPeriodInDays: { type: 'integer', minimum: 90, maximum: 2560 },
  },
};

const asymmetricEntry = {
  type: 'object',
  required: ['Metadata'],
  properties: { ...common, PrivateKeyPem: { type: 'string' } },
};

const hmacEntry = {
  type: 'object',
  required: ['Metadata'],
  properties: { ...common, BackingKeys: { type: 'array', items: { type: 'string', pattern: '^[0-9a-fA-F]+$' } } },
};

const keys = {
  type: 'object',
  properties: {
    Symmetric: {
      type: 'object',
      properties: { Aes: { type: 'array', items: aesEntry }, Hmac: { type: 'array', items: hmacEntry } },
    },
    Asymmetric: {
      type: 'object',
      properties: { Rsa: { type: 'array', items: asymmetricEntry }, Ecc: { type: 'array', items: asymmetricEntry } },
    },
  },
};

const aliases = {
  type: 'array',
  items: {
    type: 'object',
    required: ['AliasName', 'TargetKeyId'],
    properties: { AliasName: { type: 'string', minLength: 1 }, TargetKeyId: { type: 'string', minLength: 1 } },
  },
};

export const SEED_SCHEMA = {
  type: 'object',
  properties: {
    Keys: keys,
    Aliases: aliases,
    Regions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Region'],
        properties: {
          Region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$' },
          AccountId: { type: 'string', pattern: '^\\d{12}$' },
          Keys: keys,
          Aliases: aliases,
        },
      },
    },
  },
} as const;
