/**
 * The JSON texts an audit event keeps for the ring's lifetime (requestParameters, responseElements), with the
 * phrases that recur from event to event written as one character each.
 *
 * Why: the ring holds up to 10,000 events, and after 10,000 CreateKey calls their responseElements (each key's
 * keyMetadata, about 570 characters, some 330 of them the same member names and default values every time) were
 * the largest part of the trail's memory. Packed, a default CreateKey's text is about 210 characters.
 *
 * Why it is lossless: JSON.stringify never writes a character below U+0020 as itself (it writes `\u0001`,
 * `\n`...), so those characters are free to stand for phrases, and a text without any (one that was not packed,
 * such as an event read back from the data directory) unpacks to itself. Everything that leaves the trail
 * (the CloudTrail shape, the data directory's audit log) is unpacked first.
 */

/** At most 31 phrases (U+0001–U+001F). Longer phrases first where one starts another. */
const PHRASES = [
  '{"keyMetadata":{"AWSAccountId":"',
  '","keyId":"',
  '","arn":"arn:aws:kms:',
  ':key/',
  '","creationDate":"',
  '","enabled":true,"description":"',
  '","keyUsage":"ENCRYPT_DECRYPT","keyState":"Enabled","origin":"AWS_KMS","keyManager":"CUSTOMER","customerMasterKeySpec":"SYMMETRIC_DEFAULT","keySpec":"SYMMETRIC_DEFAULT","encryptionAlgorithms":["SYMMETRIC_DEFAULT"],"multiRegion":false,"currentKeyMaterialId":"',
  '","enabled":false,"description":"',
  '","keyUsage":"',
  '","keyState":"',
  '","origin":"',
  '","keyManager":"CUSTOMER","customerMasterKeySpec":"',
  '","keySpec":"',
  '"],"multiRegion":false',
  ',"currentKeyMaterialId":"',
  '","encryptionAlgorithms":["',
  '","signingAlgorithms":["',
  '","macAlgorithms":["',
  'SYMMETRIC_DEFAULT',
  'ENCRYPT_DECRYPT',
  'RSASSA_PKCS1_V1_5_SHA_',
  'RSASSA_PSS_SHA_',
  '{"keyId":"',
  '","targetKeyId":"',
  '{"aliasName":"alias/',
  '"description":"',
  '"keyUsage":"',
  '"keySpec":"',
  '"tags":[{"tagKey":"',
  '","tagValue":"',
  '"}}',
] as const;

if (PHRASES.length > 31) throw new Error('packedJson: at most 31 phrases (U+0001–U+001F)');

const CODE_OF = new Map<string, string>(PHRASES.map((phrase, index) => [phrase, String.fromCharCode(index + 1)]));
const PHRASE_PATTERN = new RegExp(PHRASES.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const HAS_CODE = /[\u0001-\u001f]/;
const CODES = /[\u0001-\u001f]/g;

/** Texts shorter than this are kept as they are (little to gain; Encrypt's and Decrypt's parameters are short). */
const MIN_PACKED_LENGTH = 128;

/** `json` (JSON.stringify output) with its recurring phrases packed. */
export function packJson(json: string): string {
  return json.length < MIN_PACKED_LENGTH ? json : json.replace(PHRASE_PATTERN, (phrase) => CODE_OF.get(phrase)!);
}

/** The JSON text `packJson` was given; a text that was never packed comes back as it is. */
export function unpackJson(text: string): string {
  return HAS_CODE.test(text) ? text.replace(CODES, (code) => PHRASES[code.charCodeAt(0) - 1]!) : text;
}
