/**
 * Nitro Enclaves attestation documents (AWS Nitro Enclaves User Guide, "Attestation document"; NSM API
 * attestation.md): a COSE_Sign1 structure (RFC 9052 — CBOR array [protected: bstr, unprotected: map,
 * payload: bstr, signature: bstr], optionally under CBOR tag 18) whose payload is a CBOR map with module_id,
 * digest, timestamp, pcrs, certificate, cabundle, and the optional public_key, user_data and nonce.
 * KMS encrypts the response for `public_key`, a DER SubjectPublicKeyInfo of an RSA key.
 *
 * kmslite does NOT verify the COSE signature, the certificate chain to the AWS Nitro root, PCRs or the
 * timestamp: any well-formed document with an RSA public_key is accepted (a local emulator has no enclave
 * and no AWS-signed documents to offer). Only the structure is checked.
 */
import { decode } from 'cborg';
import { createPublicKey, type KeyObject } from 'node:crypto';

export class AttestationDocumentError extends Error {}

const COSE_SIGN1_TAG = 18;

function decodeCbor(bytes: Uint8Array): unknown {
  const tags: ((inner: unknown) => unknown)[] = [];
  tags[COSE_SIGN1_TAG] = (inner) => inner;
  try {
    return decode(bytes, { useMaps: true, tags });
  } catch (error) {
    throw new AttestationDocumentError(`not CBOR: ${(error as Error).message}`);
  }
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** The RSA public key an attestation document names. Throws AttestationDocumentError when malformed. */
export function attestedPublicKey(document: Buffer): KeyObject {
  const sign1 = decodeCbor(document);
  if (!Array.isArray(sign1) || sign1.length !== 4) throw new AttestationDocumentError('not a COSE_Sign1 array');
  const [protectedHeader, unprotectedHeader, payload, signature] = sign1 as unknown[];
  if (!isBytes(protectedHeader) || !(unprotectedHeader instanceof Map) || !isBytes(payload) || !isBytes(signature)) {
    throw new AttestationDocumentError('malformed COSE_Sign1');
  }
  const fields = decodeCbor(payload);
  if (!(fields instanceof Map)) throw new AttestationDocumentError('payload is not a map');
  const publicKey: unknown = fields.get('public_key');
  if (!isBytes(publicKey)) throw new AttestationDocumentError('no public_key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  } catch {
    throw new AttestationDocumentError('public_key is not a DER SubjectPublicKeyInfo');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new AttestationDocumentError('public_key is not an RSA key');
  return key;
}

/**
 * The document's PCRs as lowercase hex by index (access control's kms:RecipientAttestation:PCR<n> and
 * :ImageSha384 = PCR0), or undefined when the document is malformed (the operation then refuses it).
 */
export function attestedPcrs(document: Buffer): Map<number, string> | undefined {
  try {
    const sign1 = decodeCbor(document);
    if (!Array.isArray(sign1) || sign1.length !== 4 || !isBytes(sign1[2])) return undefined;
    const fields = decodeCbor(sign1[2] as Uint8Array);
    const pcrs: unknown = fields instanceof Map ? fields.get('pcrs') : undefined;
    if (!(pcrs instanceof Map)) return undefined;
    const result = new Map<number, string>();
    for (const [index, value] of pcrs) if (typeof index === 'number' && isBytes(value)) result.set(index, Buffer.from(value).toString('hex'));
    return result;
  } catch {
    return undefined;
  }
}
