/**
 * Copies a request's decoded input and a response's output into the plain-JSON form CloudTrail logs them in
 * (requestParameters / responseElements), driven by the generated plans in src/model/generated/audit.ts:
 * member names as CloudTrail writes them (`keyId`, `encryptionContext`, `AWSAccountId`), and only the members
 * the plan lists. Blobs (plaintexts, ciphertexts, signatures, MACs, key material, public keys, import
 * tokens), model-`sensitive` members and the overrides' auditOmit members are never copied.
 *
 * The result holds no reference to the input or output objects (no Buffer stays alive, and later changes
 * to a key record do not rewrite a logged event).
 */
import { AUDIT_INPUT, AUDIT_OUTPUT, type AuditPlan, type AuditStruct } from '../model/generated/audit.js';
import type { OperationName } from '../model/generated/operations.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** requestParameters for a decoded, validated input. */
export function redactInput(operation: OperationName, input: object): JsonObject {
  const out = copyStruct(AUDIT_INPUT[operation], input as Record<string, unknown>);
  if (operation === 'CreateKey') hideCustomKeyMaterial(out);
  return out;
}

/**
 * LocalStack's `_custom_key_material_` tag carries key material in CreateKey's Tags
 * (kms/localStackTags.ts): its value is replaced by the token CloudTrail itself uses for secrets.
 */
function hideCustomKeyMaterial(out: JsonObject): void {
  const tags = out.tags;
  if (!Array.isArray(tags)) return;
  for (const tag of tags) {
    if (tag && typeof tag === 'object' && !Array.isArray(tag) && tag.tagKey === '_custom_key_material_') tag.tagValue = 'HIDDEN_DUE_TO_SECURITY_REASONS';
  }
}

/** responseElements for an operation's output; null when the operation answers an empty body. */
export function redactOutput(operation: OperationName, output: object): JsonObject | null {
  const plan = AUDIT_OUTPUT[operation];
  return plan ? copyStruct(plan, output as Record<string, unknown>) : null;
}

function copyStruct(plan: AuditStruct, value: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const member of plan.members) {
    const copied = copy(member.plan, value[member.wire]);
    if (copied !== undefined) out[member.name] = copied;
  }
  return out;
}

function copy(plan: AuditPlan, value: unknown): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (plan === 0) {
    // Scalars only: an object here (a Buffer included) is never copied.
    const type = typeof value;
    return type === 'string' || type === 'number' || type === 'boolean' ? (value as string | number | boolean) : undefined;
  }
  if (plan === 1) return value instanceof Date ? javaMediumDate(value) : typeof value === 'number' ? javaMediumDate(new Date(value * 1000)) : undefined;
  if (typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date) return undefined;
  switch (plan.kind) {
    case 's':
      return Array.isArray(value) ? undefined : copyStruct(plan, value as Record<string, unknown>);
    case 'l': {
      if (!Array.isArray(value)) return undefined;
      const out: JsonValue[] = [];
      for (const item of value) {
        const copied = copy(plan.member, item);
        if (copied !== undefined) out.push(copied);
      }
      return out;
    }
    case 'm': {
      if (Array.isArray(value)) return undefined;
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const copied = copy(plan.value, item);
        if (copied !== undefined) out[key] = copied;
      }
      return out;
    }
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A timestamp member as CloudTrail prints one inside KMS requestParameters / responseElements: Java's
 * medium date-time format in UTC, e.g. `Aug 10, 2022, 10:38:27 PM` (developer guide, CloudTrail CreateKey
 * example: `"creationDate": "Aug 10, 2022, 10:38:27 PM"`).
 */
export function javaMediumDate(date: Date): string {
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const seconds = String(date.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${hour12}:${minutes}:${seconds} ${hours < 12 ? 'AM' : 'PM'}`;
}
