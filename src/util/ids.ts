import { randomBytes, randomUUID } from 'node:crypto';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION_KEY_ID = /^mrk-[0-9a-f]{32}$/;

export function newKeyId(): string {
  return randomUUID();
}

export function newMultiRegionKeyId(): string {
  return `mrk-${randomBytes(16).toString('hex')}`;
}

/** AWS answers `Invalid keyId '<id>'` for anything that is not one of these two forms. */
export function isWellFormedKeyId(value: string): boolean {
  return KEY_ID.test(value) || MULTI_REGION_KEY_ID.test(value);
}

export function isMultiRegionKeyId(value: string): boolean {
  return value.startsWith('mrk-');
}

export function newRequestId(): string {
  return randomUUID();
}
