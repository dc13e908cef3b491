/**
 * The fixed words of a KMS SigV4 credential scope and the AWS error texts of the SigV4 checks (src/server/sigv4.ts
 * says in which order the checks run; sigv4Parse.ts and sigv4.ts throw these texts).
 *
 * Texts from aws-kms-wire.md §3–§4 (and kinesalite's JSON 1.1 texts) are used verbatim. Texts that are not recorded
 * for KMS are marked CHOSEN, with where they come from.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SERVICE = 'kms';
export const TERMINATOR = 'aws4_request';
/** Longest presign lifetime SigV4 allows (7 days), as S3 and the SDK presigners enforce it. */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604800;

export const MSG_BOTH_AUTH =
  "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.";
export const MSG_MISSING_TOKEN = 'Missing Authentication Token';
export const MSG_UNRECOGNIZED_CLIENT = 'The security token included in the request is invalid.';
export const MSG_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
/**
 * CHOSEN: an algorithm other than AWS4-HMAC-SHA256 (SigV4a, HMAC-SHA512, SigV2 `AWS AKID:sig`, `Bearer …`).
 * Text of AWS's signature library as reproduced by scratchstack-aws-signature; not recorded for KMS.
 */
export const msgUnsupportedAlgorithm = (algorithm: string) => `Unsupported AWS 'algorithm': '${algorithm}'.`;
/** CHOSEN: X-Amz-Date (or Date) not parseable. AWS signature-library text (scratchstack); not recorded for KMS. */
export const msgBadDateFormat = (value: string) =>
  `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`;
/** CHOSEN: Credential without exactly five elements. AWS text seen from STS/IAM (scratchstack); uncertain for KMS. */
export const msgCredentialElements = (credential: string) =>
  `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`;
/**
 * Scope sentences. AWS concatenates them, each ending in ". " (recorded for JSON 1.1 services:
 * `{"__type":"InvalidSignatureException","message":"Credential should be scoped to correct service: 'sagemaker'. "}`).
 * Region: CHOSEN `…, not '<region>'. ` — the form AWS sends on other services (aws-kms-wire.md §3.5), uncertain for KMS.
 * Terminator: CHOSEN, AWS signature-library text (scratchstack); uncertain for KMS.
 * Date: aws-kms-wire.md §4 (uncertain for KMS; seen on other services).
 */
export const msgScopeRegion = (region: string) => `Credential should be scoped to a valid region, not '${region}'. `;
export const msgScopeService = () => `Credential should be scoped to correct service: '${SERVICE}'. `;
export const msgScopeTerminator = (terminator: string) =>
  `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `;
export const msgScopeDate = (scopeDate: string, requestDate: string, rawDate: string) =>
  `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
  `'${scopeDate}' != '${requestDate}', from '${rawDate}'.`;
/** CHOSEN: `host` missing from SignedHeaders. AWS signature-library text (scratchstack); uncertain for KMS. */
export const MSG_HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
/** CHOSEN: presigned request past X-Amz-Date + X-Amz-Expires. S3's text for the same case ("Request has expired"). */
export const MSG_REQUEST_EXPIRED = 'Request has expired';
/** CHOSEN: X-Amz-Expires not a non-negative integer / over 7 days. S3's texts for the same cases. */
export const MSG_EXPIRES_NOT_NUMBER = 'X-Amz-Expires should be a number';
/** CHOSEN: presigned request without X-Amz-Expires (strict mode), in the form of the other missing-parameter texts. */
export const MSG_EXPIRES_MISSING = "AWS query-string parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters.";
export const MSG_EXPIRES_TOO_LONG = `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_EXPIRES_SECONDS}`;
