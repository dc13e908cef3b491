/**
 * The only file that imports node-forge (ARCHITECTURE: node-forge only where node:crypto lacks something).
 * node:crypto has no ASN.1 writer, so forge's ASN.1 builds the CMS structures; every cryptographic step
 * (RSAES-OAEP, AES-CBC, hashes) is node:crypto's.
 *
 * CiphertextForRecipient (Decrypt, GenerateDataKey, GenerateDataKeyPair, GenerateRandom, DeriveSharedSecret
 * with a Recipient): the plaintext enveloped to the attestation document's RSA public key as a CMS
 * (RFC 5652) ContentInfo of type envelopedData, in the shape the AWS Nitro Enclaves SDK parses
 * (aws-nitro-enclaves-sdk-c source/cms.c `aws_cms_parse_enveloped_data`): EnvelopedData version 2, one
 * KeyTransRecipientInfo version 2 (recipient named by subjectKeyIdentifier) whose key-encryption algorithm is
 * RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055), and EncryptedContentInfo of type data encrypted with
 * AES-256-CBC (PKCS#7 padding; the IV is the algorithm parameter). AWS emits BER with indefinite lengths; this is
 * the DER form of the same structure, which that parser (and OpenSSL `cms -decrypt`) accept too. The
 * subjectKeyIdentifier value is RFC 5280 method 1 (SHA-1 of the subjectPublicKey bits); AWS's choice is
 * unconfirmed, and recipients that hold a single key do not look at it.
 */
import forge from 'node-forge';
import { constants, createCipheriv, createHash, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { readTlv } from './der.js';

const asn1 = forge.asn1;
const UNIVERSAL = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

export const CMS_OIDS = {
  envelopedData: '1.2.840.113549.1.7.3',
  data: '1.2.840.113549.1.7.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  sha256: '2.16.840.1.101.3.4.2.1',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

const bin = (bytes: Buffer): string => bytes.toString('binary');
const seq = (...items: forge.asn1.Asn1[]) => asn1.create(UNIVERSAL, T.SEQUENCE, true, items);
const oid = (dotted: string) => asn1.create(UNIVERSAL, T.OID, false, asn1.oidToDer(dotted).getBytes());
const int = (value: number) => asn1.create(UNIVERSAL, T.INTEGER, false, asn1.integerToDer(value).getBytes());
const octets = (bytes: Buffer) => asn1.create(UNIVERSAL, T.OCTETSTRING, false, bin(bytes));
const explicit = (tag: number, inner: forge.asn1.Asn1) => asn1.create(CONTEXT, tag, true, [inner]);
const implicitOctets = (tag: number, bytes: Buffer) => asn1.create(CONTEXT, tag, false, bin(bytes));

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits. */
function subjectKeyIdentifier(spki: Buffer): Buffer {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.start);
  const bits = readTlv(spki, algorithm.end);
  return createHash('sha1').update(spki.subarray(bits.start + 1, bits.end)).digest();
}

/** CMS EnvelopedData (DER) carrying `plaintext` to the holder of the private half of `publicKey` (RSA). */
export function envelopeForRecipient(publicKey: KeyObject, plaintext: Buffer): Buffer {
  const contentKey = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', contentKey, iv);
  const encryptedContent = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, contentKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });

  const sha256 = seq(oid(CMS_OIDS.sha256));
  const oaepParams = seq(explicit(0, sha256), explicit(1, seq(oid(CMS_OIDS.mgf1), seq(oid(CMS_OIDS.sha256)))));
  const recipientInfo = seq(
    int(2),
    implicitOctets(0, subjectKeyIdentifier(spki)),
    seq(oid(CMS_OIDS.rsaesOaep), oaepParams),
    octets(encryptedKey),
  );
  const encryptedContentInfo = seq(
    oid(CMS_OIDS.data),
    seq(oid(CMS_OIDS.aes256Cbc), octets(iv)),
    implicitOctets(0, encryptedContent),
  );
  const envelopedData = seq(int(2), asn1.create(UNIVERSAL, T.SET, true, [recipientInfo]), encryptedContentInfo);
  const contentInfo = seq(oid(CMS_OIDS.envelopedData), explicit(0, envelopedData));
  return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary');
}

/** The pieces of a DER CMS EnvelopedData that `envelopeForRecipient` writes (tests, tools). Throws if malformed. */
export function parseEnvelope(der: Buffer): {
  contentType: string;
  keyEncryptionAlgorithm: string;
  contentEncryptionAlgorithm: string;
  encryptedKey: Buffer;
  iv: Buffer;
  encryptedContent: Buffer;
  versions: [number, number];
} {
  const root = asn1.fromDer(bin(der), true);
  const children = (node: forge.asn1.Asn1): forge.asn1.Asn1[] => {
    if (!Array.isArray(node.value)) throw new Error('expected a constructed ASN.1 value');
    return node.value;
  };
  const raw = (node: forge.asn1.Asn1 | undefined): string => {
    if (!node || typeof node.value !== 'string') throw new Error('expected a primitive ASN.1 value');
    return node.value;
  };
  const bytes = (node: forge.asn1.Asn1 | undefined): Buffer => Buffer.from(raw(node), 'binary');
  const [contentTypeNode, wrapped] = children(root);
  const [enveloped] = children(wrapped!);
  const [version, recipients, encryptedContentInfo] = children(enveloped!);
  const [recipient] = children(recipients!);
  const [recipientVersion, , keyAlgorithm, encryptedKey] = children(recipient!);
  const [, contentAlgorithm, content] = children(encryptedContentInfo!);
  const [contentAlgorithmOid, iv] = children(contentAlgorithm!);
  return {
    contentType: asn1.derToOid(raw(contentTypeNode)),
    keyEncryptionAlgorithm: asn1.derToOid(raw(children(keyAlgorithm!)[0])),
    contentEncryptionAlgorithm: asn1.derToOid(raw(contentAlgorithmOid)),
    encryptedKey: bytes(encryptedKey),
    iv: bytes(iv),
    encryptedContent: bytes(content),
    versions: [asn1.derToInteger(raw(version)), asn1.derToInteger(raw(recipientVersion))],
  };
}
