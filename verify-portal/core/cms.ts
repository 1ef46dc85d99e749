// CMS (RFC 5652) checks for PDF signatures and RFC 3161 time-stamp tokens, parsed with
// pkijs/asn1js and verified with node:crypto. pkijs' own SignedData.verify is not used: it
// would hash embedded content when present and does not check the chain, key usage or the
// signing-certificate attribute the way a PAdES verifier must (see CONVENTIONS.md).
// Algorithms: RSA (PKCS #1 v1.5 and PSS), ECDSA on any curve OpenSSL knows (NIST,
// brainpool), DSA, Ed25519 and Ed448; digests SHA-2, SHA-3, SHAKE and (weak, see
// docs/decisions/003-verification.md) SHA-1. Nothing here throws: any malformed input is a
// problem code in the result.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { UnreadablePdfError } from "./limits";

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Key type and size, e.g. "RSA 2048", "EC brainpoolP256r1", "Ed25519". */
  publicKey: string;
  /** SHA-256 of the DER certificate, hex. */
  sha256: string;
}

export type CmsProblem =
  | "cms-malformed"
  | "cms-embedded-content"
  | "cms-signer-count"
  | "cms-content-type"
  | "digest-algorithm"
  | "signature-algorithm"
  | "message-digest-missing"
  | "digest-mismatch"
  | "signature-mismatch"
  | "signer-certificate-missing"
  | "signing-certificate-missing"
  | "signing-certificate-mismatch"
  | "certificate-not-trusted"
  | "certificate-expired"
  | "certificate-key-usage"
  | "timestamp-malformed"
  | "timestamp-imprint-mismatch"
  | "timestamp-certificate-usage";

/** Not wrong enough to refuse the signature, but worth saying. */
export type CmsWarning =
  | "weak-digest-sha1"
  | "signing-certificate-absent"
  | "signature-algorithm-mismatch"
  | "signature-timestamp-invalid"
  | "timestamp-usage-not-critical";

export interface TimestampInfo {
  /** When the time-stamping authority says the data existed (ISO 8601). */
  genTime: string | null;
  policy: string | null;
  serialNumber: string | null;
  /** Hash of the time-stamped data (messageImprint). */
  hashAlgorithm: string | null;
  /** The time-stamping authority's signature algorithm. */
  signatureAlgorithm: string | null;
  imprintMatch: boolean;
  signatureMatch: boolean;
  certificateTrusted: boolean;
  /** The time-stamping authority's certificate, then its issuers. */
  tsa: CertificateInfo | null;
  chain: CertificateInfo[];
  /** True when the token proves its time: no problem at all. */
  valid: boolean;
  problems: CmsProblem[];
  warnings: CmsWarning[];
}

export interface CmsResult {
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  digestMatch: boolean;
  signatureMatch: boolean;
  certificateTrusted: boolean;
  signer: CertificateInfo | null;
  /** Signer first, then issuers up to (and including) the trusted certificate when found. */
  chain: CertificateInfo[];
  signingTimeAttribute: Date | null;
  /** A signature time-stamp (CAdES unsigned attribute), when the CMS carries one. */
  timestamp: TimestampInfo | null;
  problems: CmsProblem[];
  warnings: CmsWarning[];
}

export interface CmsCheckOptions {
  trustedCertificates: Uint8Array[];
  /** Time at which certificates must be valid. */
  now: Date;
  /** The time the PDF's signature dictionary claims (/M), for the SHA-1 policy. */
  claimedTime?: Date | null;
  /** Called before expensive steps: throws when the verification's time is up. */
  checkTime?: () => void;
}

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStamp: "1.2.840.113549.1.9.16.2.14",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  basicConstraints: "2.5.29.19",
  subjectKeyIdentifier: "2.5.29.14",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  rsaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
};

/** SHA-1 is accepted, with a warning, only for what was provably or claimedly signed before this. */
export const SHA1_ACCEPTED_BEFORE = new Date("2017-01-01T00:00:00Z");

interface DigestAlgorithm {
  name: string;
  /** node:crypto's name. */
  node: string;
  /** Output length for the SHAKE functions (bytes). */
  outputLength?: number;
  weak?: boolean;
}

const DIGESTS: Record<string, DigestAlgorithm> = {
  "1.3.14.3.2.26": { name: "sha1", node: "sha1", weak: true },
  "2.16.840.1.101.3.4.2.4": { name: "sha224", node: "sha224" },
  "2.16.840.1.101.3.4.2.1": { name: "sha256", node: "sha256" },
  "2.16.840.1.101.3.4.2.2": { name: "sha384", node: "sha384" },
  "2.16.840.1.101.3.4.2.3": { name: "sha512", node: "sha512" },
  "2.16.840.1.101.3.4.2.5": { name: "sha512-224", node: "sha512-224" },
  "2.16.840.1.101.3.4.2.6": { name: "sha512-256", node: "sha512-256" },
  "2.16.840.1.101.3.4.2.7": { name: "sha3-224", node: "sha3-224" },
  "2.16.840.1.101.3.4.2.8": { name: "sha3-256", node: "sha3-256" },
  "2.16.840.1.101.3.4.2.9": { name: "sha3-384", node: "sha3-384" },
  "2.16.840.1.101.3.4.2.10": { name: "sha3-512", node: "sha3-512" },
  // RFC 8702: SHAKE128 with 256 bits, SHAKE256 with 512 bits of output.
  "2.16.840.1.101.3.4.2.11": { name: "shake128", node: "shake128", outputLength: 32 },
  "2.16.840.1.101.3.4.2.12": { name: "shake256", node: "shake256", outputLength: 64 },
};
// id-shake128-len / id-shake256-len: the output length in bits is the parameter (RFC 8419).
const SHAKE_LEN: Record<string, string> = {
  "2.16.840.1.101.3.4.2.17": "shake128",
  "2.16.840.1.101.3.4.2.18": "shake256",
};

type KeyFamily = "rsa" | "rsa-pss" | "ecdsa" | "dsa" | "ed25519" | "ed448";

/** Signature algorithms: key family, and the hash the OID names (undefined: the digest algorithm's). */
const SIGNATURE_ALGORITHMS: Record<string, { family: KeyFamily; hash?: string }> = {
  "1.2.840.113549.1.1.1": { family: "rsa" },
  "1.2.840.113549.1.1.5": { family: "rsa", hash: "sha1" },
  "1.2.840.113549.1.1.14": { family: "rsa", hash: "sha224" },
  "1.2.840.113549.1.1.11": { family: "rsa", hash: "sha256" },
  "1.2.840.113549.1.1.12": { family: "rsa", hash: "sha384" },
  "1.2.840.113549.1.1.13": { family: "rsa", hash: "sha512" },
  "1.2.840.113549.1.1.15": { family: "rsa", hash: "sha512-224" },
  "1.2.840.113549.1.1.16": { family: "rsa", hash: "sha512-256" },
  "2.16.840.1.101.3.4.3.13": { family: "rsa", hash: "sha3-224" },
  "2.16.840.1.101.3.4.3.14": { family: "rsa", hash: "sha3-256" },
  "2.16.840.1.101.3.4.3.15": { family: "rsa", hash: "sha3-384" },
  "2.16.840.1.101.3.4.3.16": { family: "rsa", hash: "sha3-512" },
  [OID.rsaPss]: { family: "rsa-pss" },
  "1.2.840.10045.2.1": { family: "ecdsa" },
  "1.2.840.10045.4.1": { family: "ecdsa", hash: "sha1" },
  "1.2.840.10045.4.3.1": { family: "ecdsa", hash: "sha224" },
  "1.2.840.10045.4.3.2": { family: "ecdsa", hash: "sha256" },
  "1.2.840.10045.4.3.3": { family: "ecdsa", hash: "sha384" },
  "1.2.840.10045.4.3.4": { family: "ecdsa", hash: "sha512" },
  "2.16.840.1.101.3.4.3.9": { family: "ecdsa", hash: "sha3-224" },
  "2.16.840.1.101.3.4.3.10": { family: "ecdsa", hash: "sha3-256" },
  "2.16.840.1.101.3.4.3.11": { family: "ecdsa", hash: "sha3-384" },
  "2.16.840.1.101.3.4.3.12": { family: "ecdsa", hash: "sha3-512" },
  "1.2.840.10040.4.1": { family: "dsa" },
  "1.2.840.10040.4.3": { family: "dsa", hash: "sha1" },
  "2.16.840.1.101.3.4.3.1": { family: "dsa", hash: "sha224" },
  "2.16.840.1.101.3.4.3.2": { family: "dsa", hash: "sha256" },
  "2.16.840.1.101.3.4.3.3": { family: "dsa", hash: "sha384" },
  "2.16.840.1.101.3.4.3.4": { family: "dsa", hash: "sha512" },
  "2.16.840.1.101.3.4.3.5": { family: "dsa", hash: "sha3-224" },
  "2.16.840.1.101.3.4.3.6": { family: "dsa", hash: "sha3-256" },
  "2.16.840.1.101.3.4.3.7": { family: "dsa", hash: "sha3-384" },
  "2.16.840.1.101.3.4.3.8": { family: "dsa", hash: "sha3-512" },
  "1.3.101.112": { family: "ed25519" },
  "1.3.101.113": { family: "ed448" },
};

const KEY_TYPES: Record<KeyFamily, string[]> = {
  rsa: ["rsa"],
  "rsa-pss": ["rsa", "rsa-pss"],
  ecdsa: ["ec"],
  dsa: ["dsa"],
  ed25519: ["ed25519"],
  ed448: ["ed448"],
};

const NAME_LABELS: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.97": "organizationIdentifier",
  "1.2.840.113549.1.9.1": "E",
};

// Bounds on what one CMS may make us do.
const MAX_CERTIFICATES = 64;
const MAX_CHAIN_DEPTH = 8;
const MAX_NAME_LENGTH = 300;

function toBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))
  );
}

export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  const text = name.typesAndValues
    .map((pair) => {
      const label = NAME_LABELS[pair.type] ?? pair.type;
      const value = (pair.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${label}=${typeof value === "string" ? value : "?"}`;
    })
    .join(", ");
  return text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH)}…` : text;
}

function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  return equalBytes(toBytes(a.valueBeforeDecode), toBytes(b.valueBeforeDecode)) || a.isEqual(b);
}

interface ParsedCertificate {
  der: Uint8Array;
  cert: pkijs.Certificate;
  info: CertificateInfo;
  /** Node's own parse of the same bytes: public key and issuer-signature checks. */
  x509: crypto.X509Certificate;
}

// SignedData and SignerInfo as this module reads them: walked straight off the asn1js tree
// (pkijs rebuilds its whole schema for every object it parses, most of a check's cost).
interface AlgorithmIdentifier {
  algorithmId: string;
  algorithmParams?: asn1js.AsnType;
}

interface Attribute {
  type: string;
  values: asn1js.AsnType[];
}

interface SignerInfo {
  sid: { issuer: Uint8Array; serialNumber: Uint8Array } | { keyId: Uint8Array };
  digestAlgorithm: AlgorithmIdentifier;
  /** The attributes, and their encoding as received re-tagged as SET (RFC 5652 §5.4): what is signed. */
  signedAttrs?: { attributes: Attribute[]; encodedValue: Uint8Array };
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  unsignedAttrs?: { attributes: Attribute[] };
}

interface SignedData {
  digestAlgorithms: AlgorithmIdentifier[];
  encapContentInfo: { eContentType: string; eContent?: asn1js.AsnType };
  signerInfos: SignerInfo[];
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  return parseCertificateFrom(der, pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>));
}

function parseCertificateFrom(der: Uint8Array, cert: pkijs.Certificate): ParsedCertificate {
  const x509 = new crypto.X509Certificate(der);
  return { der, cert, info: describeCertificate(cert, der, x509), x509 };
}

// Trusted certificates are the same few objects on every call (TrustStore hands out the
// same arrays until a file changes): parse them once.
const trustedCache = new WeakMap<Uint8Array, ParsedCertificate | null>();

function parseTrusted(der: Uint8Array): ParsedCertificate | null {
  let parsed = trustedCache.get(der);
  if (parsed === undefined) {
    try {
      parsed = parseCertificate(der);
    } catch {
      parsed = null; // an unreadable trust file entry trusts nothing
    }
    trustedCache.set(der, parsed);
  }
  return parsed;
}

function describeKey(key: crypto.KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa":
      return `RSA ${details.modulusLength ?? "?"}`;
    case "rsa-pss":
      return `RSA-PSS ${details.modulusLength ?? "?"}`;
    case "dsa":
      return `DSA ${details.modulusLength ?? "?"}`;
    case "ec":
      return `EC ${details.namedCurve ?? "?"}`;
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return key.asymmetricKeyType ?? "unknown";
  }
}

function describeCertificate(cert: pkijs.Certificate, der: Uint8Array, x509: crypto.X509Certificate): CertificateInfo {
  let publicKey = "unknown";
  try {
    publicKey = describeKey(x509.publicKey);
  } catch {
    // A key node cannot load cannot verify anything either; the check says so later.
  }
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString("hex").slice(0, 80),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    publicKey,
    sha256: crypto.createHash("sha256").update(der).digest("hex"),
  };
}

/** Did `issuer` sign `subject`? (names match and the signature verifies) */
function issuedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!sameName(subject.cert.issuer, issuer.cert.subject)) return false;
  try {
    return subject.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((ext) => ext.extnID === oid);
}

function isCa(cert: pkijs.Certificate): boolean {
  const ext = extension(cert, OID.basicConstraints);
  return Boolean(ext && ext.parsedValue instanceof pkijs.BasicConstraints && ext.parsedValue.cA);
}

/** keyUsage bit n set? (bit 0 = digitalSignature, 1 = nonRepudiation, 5 = keyCertSign) */
function keyUsage(cert: pkijs.Certificate): ((bit: number) => boolean) | null {
  const ext = extension(cert, OID.keyUsage);
  if (!ext) return null;
  const bits = ext.parsedValue instanceof asn1js.BitString ? ext.parsedValue.valueBlock.valueHexView : new Uint8Array();
  return (bit) => ((bits[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
}

function validAt(cert: pkijs.Certificate, when: Date): boolean {
  return cert.notBefore.value <= when && when <= cert.notAfter.value;
}

interface ChainResult {
  trusted: boolean;
  expired: boolean;
  chain: ParsedCertificate[];
}

/**
 * Walks from the signer to a trusted certificate through the certificates the CMS
 * carries. A trusted certificate is an anchor: the signer itself, or any issuer on the
 * way. Intermediates must be CAs; every certificate must be valid at `now`.
 */
function buildChain(
  signer: ParsedCertificate,
  pool: ParsedCertificate[],
  trusted: ParsedCertificate[],
  now: Date,
): ChainResult {
  const chain: ParsedCertificate[] = [signer];
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const anchor = trusted.find((candidate) => equalBytes(candidate.der, current.der));
    if (anchor) return finish(true);
    const trustedIssuer = trusted.find(
      (candidate) => issuedBy(current, candidate) && (isCa(candidate.cert) || equalBytes(candidate.der, current.der)),
    );
    if (trustedIssuer) {
      chain.push(trustedIssuer);
      return finish(true);
    }
    const next = pool.find(
      (candidate) =>
        !chain.some((seen) => equalBytes(seen.der, candidate.der)) &&
        isCa(candidate.cert) &&
        issuedBy(current, candidate),
    );
    if (!next) return finish(false);
    chain.push(next);
    current = next;
  }
  return finish(false);

  function finish(trusted: boolean): ChainResult {
    return { trusted, expired: chain.some((entry) => !validAt(entry.cert, now)), chain };
  }
}

function attributeValues(attributes: Attribute[] | undefined, oid: string): unknown[] | null {
  const found = attributes?.filter((attribute) => attribute.type === oid) ?? [];
  if (found.length === 0) return null;
  if (found.length > 1) return []; // a repeated attribute is malformed: callers treat [] as invalid
  return found[0].values;
}

/** The bytes of an OCTET STRING, primitive or constructed (BER). */
function octets(value: asn1js.AsnType | undefined): Uint8Array | null {
  if (!(value instanceof asn1js.OctetString) && !(value instanceof asn1js.Constructed)) return null;
  if (!value.idBlock.isConstructed) return toBytes((value as asn1js.OctetString).valueBlock.valueHexView);
  const parts: Uint8Array[] = [];
  for (const child of (value.valueBlock as { value?: asn1js.AsnType[] }).value ?? []) {
    const bytes = octets(child);
    if (!bytes) return null;
    parts.push(bytes);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function digestAlgorithmOf(identifier: AlgorithmIdentifier): DigestAlgorithm | null {
  const oid = identifier.algorithmId;
  if (DIGESTS[oid]) return DIGESTS[oid];
  const shake = SHAKE_LEN[oid];
  if (shake) {
    const bits =
      identifier.algorithmParams instanceof asn1js.Integer ? identifier.algorithmParams.valueBlock.valueDec : 0;
    if (bits > 0 && bits % 8 === 0 && bits <= 4096)
      return { name: `${shake}-${bits}`, node: shake, outputLength: bits / 8 };
  }
  return null;
}

function hashChunks(algorithm: DigestAlgorithm, chunks: Uint8Array[]): Buffer {
  const hash = crypto.createHash(
    algorithm.node,
    algorithm.outputLength ? { outputLength: algorithm.outputLength } : undefined,
  );
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}

function digestName(algorithm: DigestAlgorithm | null, oid: string): string {
  if (algorithm) return algorithm.name;
  return oid === "1.2.840.113549.2.5" ? "md5" : oid;
}

// ---------------------------------------------------------------- parsing

interface ParsedSignedData {
  signedData: SignedData;
  certificates: ParsedCertificate[];
}

// The same few certificates (an instance's seal and CA, a TSA's) arrive in one signature
// after another: parsing them is most of a signature check, so they are kept by content.
const certificateCache = new Map<string, ParsedCertificate | null>();
const CERTIFICATE_CACHE_SIZE = 256;

function cachedCertificate(der: Uint8Array): ParsedCertificate | null {
  const id = crypto.createHash("sha256").update(der).digest("base64");
  let parsed = certificateCache.get(id);
  if (parsed === undefined) {
    try {
      parsed = parseCertificate(new Uint8Array(der));
    } catch {
      parsed = null; // a certificate node cannot parse is no certificate to chain through
    }
    if (certificateCache.size >= CERTIFICATE_CACHE_SIZE)
      certificateCache.delete(certificateCache.keys().next().value as string);
    certificateCache.set(id, parsed);
  } else {
    // Most recently used last.
    certificateCache.delete(id);
    certificateCache.set(id, parsed);
  }
  return parsed;
}

interface Tlv {
  start: number;
  /** Where the value begins. */
  body: number;
  end: number;
  tag: number;
}

/** Thrown when an element on the way has an indefinite length (BER, as some old signers write). */
class IndefiniteLength extends Error {}

/** One DER element at `at`, or null when it does not fit its parent (malformed). */
function tlv(bytes: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit || (bytes[at] & 0x1f) === 0x1f) return null;
  const first = bytes[at + 1];
  if (first === 0x80) throw new IndefiniteLength();
  let length = first;
  let body = at + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || at + 2 + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i];
    body += count;
  }
  return body + length <= limit ? { start: at, body, end: body + length, tag: bytes[at] } : null;
}

function children(bytes: Uint8Array, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const child = tlv(bytes, at, parent.end);
    if (!child) return null;
    out.push(child);
    at = child.end;
  }
  return out;
}

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const digits: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256);
  return Uint8Array.of(0x80 | digits.length, ...digits);
}

function element(tag: number, parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return new Uint8Array(Buffer.concat([Uint8Array.of(tag), derLength(length), ...parts]));
}

/**
 * ContentInfo { contentType, [0] SignedData { …, [0] certificates, … } } split at the byte
 * level: the DER without its certificates (for pkijs), and each certificate's DER. Parsing
 * certificates' insides is most of the cost of a signature check and their parsed form is
 * cached anyway. "malformed" when the lengths do not fit; null for BER with indefinite
 * lengths (some old signers write those), which asn1js then reads whole.
 */
function splitCertificates(der: Uint8Array): { rest: Uint8Array; certificates: Uint8Array[] } | "malformed" | null {
  try {
    return splitDefinite(der) ?? "malformed";
  } catch (error) {
    if (error instanceof IndefiniteLength) return null;
    throw error;
  }
}

/** Every constructed element's children fill it exactly, all the way down (strict DER framing). */
function framed(bytes: Uint8Array, element: Tlv, depth = 0): boolean {
  if ((element.tag & 0x20) === 0) return true;
  if (depth > 32) return false;
  const inside = children(bytes, element);
  return inside !== null && inside.every((child) => framed(bytes, child, depth + 1));
}

function splitDefinite(der: Uint8Array): { rest: Uint8Array; certificates: Uint8Array[] } | null {
  const contentInfo = tlv(der, 0, der.length);
  if (!contentInfo || contentInfo.tag !== 0x30 || contentInfo.end !== der.length) return null;
  const outer = children(der, contentInfo);
  if (!outer || outer.length !== 2 || outer[1].tag !== 0xa0) return null;
  const inner = children(der, outer[1]);
  if (!inner || inner.length !== 1 || inner[0].tag !== 0x30) return null;
  const fields = children(der, inner[0]);
  if (!fields) return null;
  const set = fields.find((field) => field.tag === 0xa0);
  const certificates = set ? children(der, set) : [];
  if (!certificates) return null;
  // What asn1js reads must be strict DER too (asn1js forgives lengths that do not add up).
  if (!fields.every((field) => field === set || framed(der, field))) return null;
  const kept = fields.filter((field) => field !== set).map((field) => der.subarray(field.start, field.end));
  const signedData = element(0x30, kept);
  const rest = element(0x30, [der.subarray(outer[0].start, outer[0].end), element(0xa0, [signedData])]);
  return { rest, certificates: certificates.map((certificate) => der.subarray(certificate.start, certificate.end)) };
}

const isUniversal = (block: asn1js.AsnType | undefined, tag: number) =>
  block !== undefined && block.idBlock.tagClass === 1 && block.idBlock.tagNumber === tag;
const isContext = (block: asn1js.AsnType | undefined, tag: number) =>
  block !== undefined && block.idBlock.tagClass === 3 && block.idBlock.tagNumber === tag;
const childrenOf = (block: asn1js.AsnType | undefined): asn1js.AsnType[] =>
  (block?.valueBlock as { value?: asn1js.AsnType[] } | undefined)?.value ?? [];

function oidOf(block: asn1js.AsnType | undefined): string | null {
  return block instanceof asn1js.ObjectIdentifier ? block.valueBlock.toString() : null;
}

function algorithmOf(block: asn1js.AsnType | undefined): AlgorithmIdentifier | null {
  if (!isUniversal(block, 16)) return null;
  const [id, params] = childrenOf(block);
  const algorithmId = oidOf(id);
  if (!algorithmId) return null;
  return params === undefined || params instanceof asn1js.Null
    ? { algorithmId }
    : { algorithmId, algorithmParams: params };
}

function attributesOf(block: asn1js.AsnType): Attribute[] | null {
  const attributes: Attribute[] = [];
  for (const item of childrenOf(block)) {
    const [type, values] = childrenOf(item);
    const oid = oidOf(type);
    if (!isUniversal(item, 16) || !oid || !isUniversal(values, 17)) return null;
    attributes.push({ type: oid, values: childrenOf(values) });
  }
  return attributes;
}

function signerInfoOf(block: asn1js.AsnType): SignerInfo | null {
  if (!isUniversal(block, 16)) return null;
  const parts = childrenOf(block);
  let at = 1; // version
  const sidBlock = parts[at++];
  let sid: SignerInfo["sid"];
  if (isUniversal(sidBlock, 16)) {
    const [issuer, serial] = childrenOf(sidBlock);
    if (!isUniversal(issuer, 16) || !(serial instanceof asn1js.Integer)) return null;
    sid = { issuer: toBytes(issuer.valueBeforeDecodeView), serialNumber: toBytes(serial.valueBlock.valueHexView) };
  } else if (isContext(sidBlock, 0) && !sidBlock.idBlock.isConstructed) {
    sid = { keyId: toBytes((sidBlock.valueBlock as { valueHexView: Uint8Array }).valueHexView) };
  } else return null;
  const digestAlgorithm = algorithmOf(parts[at++]);
  if (!digestAlgorithm) return null;
  let signedAttrs: SignerInfo["signedAttrs"];
  if (isContext(parts[at], 0)) {
    const attributes = attributesOf(parts[at]);
    if (!attributes) return null;
    const encodedValue = new Uint8Array(parts[at].valueBeforeDecodeView);
    encodedValue[0] = 0x31;
    signedAttrs = { attributes, encodedValue };
    at++;
  }
  const signatureAlgorithm = algorithmOf(parts[at++]);
  const signature = parts[at++];
  if (!signatureAlgorithm || !(signature instanceof asn1js.OctetString)) return null;
  let unsignedAttrs: SignerInfo["unsignedAttrs"];
  if (isContext(parts[at], 1)) {
    const attributes = attributesOf(parts[at]);
    if (!attributes) return null;
    unsignedAttrs = { attributes };
    at++;
  }
  if (at !== parts.length) return null;
  const value = octets(signature);
  if (!value) return null;
  return { sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature: value, unsignedAttrs };
}

/**
 * ContentInfo → SignedData (RFC 5652 §5.1), and the certificates exactly as received
 * (hashes and trust see the signer's bytes, not a re-encoding), each parsed once per
 * process; null when malformed.
 */
function parseSignedData(der: Uint8Array): ParsedSignedData | null {
  try {
    const split = splitCertificates(der);
    if (split === "malformed") return null;
    const input = split ? split.rest : der;
    const parsed = asn1js.fromBER(input as Uint8Array<ArrayBuffer>);
    if (parsed.offset !== input.length) return null;
    const [contentType, wrapped] = childrenOf(parsed.result);
    if (!isUniversal(parsed.result, 16) || oidOf(contentType) !== OID.signedData || !isContext(wrapped, 0)) return null;
    const signedDataBlock = childrenOf(wrapped)[0];
    if (!isUniversal(signedDataBlock, 16)) return null;
    const fields = childrenOf(signedDataBlock);
    // version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos
    const [version, algorithms, encap] = fields;
    const last = fields[fields.length - 1];
    if (!(version instanceof asn1js.Integer) || !isUniversal(algorithms, 17) || !isUniversal(encap, 16)) return null;
    if (!isUniversal(last, 17) || fields.length < 4) return null;
    const middle = fields.slice(3, -1);
    if (!middle.every((field) => isContext(field, 0) || isContext(field, 1))) return null;
    const digestAlgorithms: AlgorithmIdentifier[] = [];
    for (const item of childrenOf(algorithms)) {
      const algorithm = algorithmOf(item);
      if (!algorithm) return null;
      digestAlgorithms.push(algorithm);
    }
    const [eContentType, eContentWrapper] = childrenOf(encap);
    const type = oidOf(eContentType);
    if (!type || (eContentWrapper !== undefined && !isContext(eContentWrapper, 0))) return null;
    const eContent = eContentWrapper ? childrenOf(eContentWrapper)[0] : undefined;
    const signerInfos: SignerInfo[] = [];
    for (const item of childrenOf(last)) {
      const signerInfo = signerInfoOf(item);
      if (!signerInfo) return null;
      signerInfos.push(signerInfo);
    }
    const certificateBlocks = split
      ? split.certificates
      : childrenOf(middle.find((field) => isContext(field, 0))).map((block) => toBytes(block.valueBeforeDecodeView));
    const certificates: ParsedCertificate[] = [];
    for (const bytes of certificateBlocks.slice(0, MAX_CERTIFICATES)) {
      // Attribute certificates and other choices ([1] to [3]) are not ours to chain through;
      // anything else that is not a readable certificate makes the CMS malformed (as for openssl).
      if (bytes[0] >= 0xa1 && bytes[0] <= 0xa3) continue;
      const certificate = bytes[0] === 0x30 ? cachedCertificate(bytes) : null;
      if (!certificate) return null;
      certificates.push(certificate);
    }
    return {
      signedData: { digestAlgorithms, encapContentInfo: { eContentType: type, eContent }, signerInfos },
      certificates,
    };
  } catch {
    return null;
  }
}

function findSigner(signerInfo: SignerInfo, certificates: ParsedCertificate[]): ParsedCertificate | undefined {
  const sid = signerInfo.sid;
  if ("issuer" in sid) {
    let issuer: pkijs.RelativeDistinguishedNames | null | undefined;
    return certificates.find((entry) => {
      if (!equalBytes(toBytes(entry.cert.serialNumber.valueBlock.valueHexView), sid.serialNumber)) return false;
      if (equalBytes(toBytes(entry.cert.issuer.valueBeforeDecode), sid.issuer)) return true;
      // Names that are equal but encoded differently (RFC 5280 §7.1): compare them parsed.
      if (issuer === undefined) {
        try {
          issuer = new pkijs.RelativeDistinguishedNames({
            schema: asn1js.fromBER(sid.issuer as Uint8Array<ArrayBuffer>).result,
          });
        } catch {
          issuer = null;
        }
      }
      return issuer !== null && sameName(entry.cert.issuer, issuer);
    });
  }
  return certificates.find((entry) => {
    const ski = extension(entry.cert, OID.subjectKeyIdentifier)?.parsedValue;
    return ski instanceof asn1js.OctetString && equalBytes(toBytes(ski.valueBlock.valueHexView), sid.keyId);
  });
}

function listsDigest(signedData: SignedData, signerInfo: SignerInfo): boolean {
  return signedData.digestAlgorithms.some(
    (algorithm) => algorithm.algorithmId === signerInfo.digestAlgorithm.algorithmId,
  );
}

// ---------------------------------------------------------------- one signer

interface SignerOutcome {
  digestAlgorithm: DigestAlgorithm | null;
  signatureAlgorithm: string | null;
  digestMatch: boolean;
  signatureMatch: boolean;
  signer: ParsedCertificate | null;
  signingTimeAttribute: Date | null;
  problems: CmsProblem[];
  warnings: CmsWarning[];
}

/**
 * Checks the single SignerInfo over `content` (the ByteRange chunks for a PDF signature,
 * the TSTInfo for a time-stamp token): digest, signed attributes, signature value,
 * signing-certificate attribute, signer's key usage.
 */
function checkSigner(
  signerInfo: SignerInfo,
  certificates: ParsedCertificate[],
  content: Uint8Array[],
  contentType: string,
  essRequired: boolean,
): SignerOutcome {
  const outcome: SignerOutcome = {
    digestAlgorithm: null,
    signatureAlgorithm: null,
    digestMatch: false,
    signatureMatch: false,
    signer: null,
    signingTimeAttribute: null,
    problems: [],
    warnings: [],
  };
  const fail = (problem: CmsProblem) => {
    outcome.problems.push(problem);
    return outcome;
  };

  const digest = digestAlgorithmOf(signerInfo.digestAlgorithm);
  if (!digest) return fail("digest-algorithm");
  outcome.digestAlgorithm = digest;

  const signer = findSigner(signerInfo, certificates);
  if (!signer) return fail("signer-certificate-missing");
  outcome.signer = signer;

  const algorithmOid = signerInfo.signatureAlgorithm.algorithmId;
  const algorithm = SIGNATURE_ALGORITHMS[algorithmOid];
  let publicKey: crypto.KeyObject;
  try {
    publicKey = signer.x509.publicKey;
  } catch {
    return fail("signature-algorithm");
  }
  if (!algorithm || !KEY_TYPES[algorithm.family].includes(publicKey.asymmetricKeyType ?? ""))
    return fail("signature-algorithm");
  outcome.signatureAlgorithm = algorithm.family === "rsa" ? "rsa-pkcs1" : algorithm.family;

  const computed = hashChunks(digest, content);

  let signedBytes: Uint8Array[];
  const signedAttrs = signerInfo.signedAttrs;
  if (signedAttrs) {
    const attributes = signedAttrs.attributes;
    const type = attributeValues(attributes, OID.contentType);
    if (
      !type ||
      type.length !== 1 ||
      !(type[0] instanceof asn1js.ObjectIdentifier) ||
      type[0].valueBlock.toString() !== contentType
    ) {
      outcome.problems.push("cms-content-type");
    }
    const messageDigest = attributeValues(attributes, OID.messageDigest);
    if (!messageDigest || messageDigest.length !== 1 || !(messageDigest[0] instanceof asn1js.OctetString)) {
      outcome.problems.push("message-digest-missing");
    } else {
      outcome.digestMatch = equalBytes(octets(messageDigest[0]) ?? new Uint8Array(), computed);
      if (!outcome.digestMatch) outcome.problems.push("digest-mismatch");
    }
    const signingTime = attributeValues(attributes, OID.signingTime);
    const time = signingTime?.[0];
    if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime) {
      const date = time.toDate();
      if (!Number.isNaN(date.getTime())) outcome.signingTimeAttribute = date;
    }
    checkSigningCertificate(attributes, signer, essRequired, outcome);
    // encodedValue is the attributes exactly as received, re-tagged as SET (RFC 5652 §5.4).
    signedBytes = [toBytes(signedAttrs.encodedValue)];
  } else {
    // Without signed attributes the signature is directly over the content.
    if (essRequired) outcome.warnings.push("signing-certificate-absent");
    signedBytes = content;
  }

  const value = Buffer.from(signerInfo.signature);
  const verified = verifySignatureValue(
    algorithm.family,
    algorithm.hash,
    signerInfo.signatureAlgorithm,
    digest,
    publicKey,
    signedBytes,
    value,
  );
  if (verified === "unsupported") outcome.problems.push("signature-algorithm");
  else {
    outcome.signatureMatch = verified === "valid";
    if (verified === "hash-mismatch") outcome.warnings.push("signature-algorithm-mismatch");
    if (!outcome.signatureMatch) outcome.problems.push("signature-mismatch");
  }
  if (!signedAttrs) outcome.digestMatch = outcome.signatureMatch;
  return outcome;
}

/**
 * Verifies a signature value. The hash is the SignerInfo's digest algorithm, as OpenSSL
 * does (for RSA PKCS #1 the DigestInfo inside the signature names it anyway); an OID that
 * names another hash only earns a warning. PSS takes hash and salt from its parameters.
 */
function verifySignatureValue(
  family: KeyFamily,
  impliedHash: string | undefined,
  identifier: AlgorithmIdentifier,
  digest: DigestAlgorithm,
  key: crypto.KeyObject,
  data: Uint8Array[],
  signature: Buffer,
): "valid" | "invalid" | "hash-mismatch" | "unsupported" {
  try {
    if (family === "ed25519" || family === "ed448") {
      return crypto.verify(null, Buffer.concat(data), key, signature) ? "valid" : "invalid";
    }
    if (digest.outputLength) return "unsupported"; // SHAKE with RSA, ECDSA or DSA: not in node:crypto
    if (family === "rsa-pss") {
      const pss = pssParameters(identifier);
      if (!pss || pss.hash !== digest.node || pss.mgfHash !== pss.hash || pss.trailerField !== 1) return "unsupported";
      const verifier = crypto.createVerify(pss.hash);
      for (const chunk of data) verifier.update(chunk);
      return verifier.verify(
        { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
        signature,
      )
        ? "valid"
        : "invalid";
    }
    const verifier = crypto.createVerify(digest.node);
    for (const chunk of data) verifier.update(chunk);
    const ok = verifier.verify(family === "rsa" ? key : { key, dsaEncoding: "der" }, signature);
    if (!ok) return "invalid";
    return impliedHash && impliedHash !== digest.node ? "hash-mismatch" : "valid";
  } catch {
    return "invalid";
  }
}

function pssParameters(
  identifier: AlgorithmIdentifier,
): { hash: string; mgfHash: string; saltLength: number; trailerField: number } | null {
  try {
    const params =
      identifier.algorithmParams instanceof asn1js.Sequence
        ? new pkijs.RSASSAPSSParams({ schema: identifier.algorithmParams })
        : new pkijs.RSASSAPSSParams();
    const hash = DIGESTS[params.hashAlgorithm.algorithmId];
    if (params.maskGenAlgorithm.algorithmId !== OID.mgf1) return null;
    const mgfParams = params.maskGenAlgorithm.algorithmParams;
    const mgfHash =
      mgfParams instanceof asn1js.Sequence
        ? DIGESTS[new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId]
        : DIGESTS["1.3.14.3.2.26"];
    if (!hash || !mgfHash || hash.outputLength) return null;
    return { hash: hash.node, mgfHash: mgfHash.node, saltLength: params.saltLength, trailerField: params.trailerField };
  } catch {
    return null;
  }
}

/** ESS signing-certificate(-v2): binds the signature to the signer certificate (RFC 5035). */
function checkSigningCertificate(
  attributes: Attribute[],
  signer: ParsedCertificate,
  required: boolean,
  outcome: SignerOutcome,
): void {
  const v2 = attributeValues(attributes, OID.signingCertificateV2);
  const v1 = attributeValues(attributes, OID.signingCertificate);
  if (!v2 && !v1) {
    if (required) outcome.warnings.push("signing-certificate-absent");
    return;
  }
  try {
    const value = (v2 ?? v1)![0] as asn1js.Sequence;
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
    const certs = value.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let algorithm: DigestAlgorithm | null = v2 ? DIGESTS["2.16.840.1.101.3.4.2.1"] : DIGESTS["1.3.14.3.2.26"];
    let hashIndex = 0;
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      algorithm = digestAlgorithmOf(new pkijs.AlgorithmIdentifier({ schema: parts[0] }));
      hashIndex = 1;
    }
    const certHash = parts[hashIndex];
    if (!algorithm || !(certHash instanceof asn1js.OctetString)) throw new Error("bad ESSCertID");
    if (!equalBytes(toBytes(certHash.valueBlock.valueHexView), hashChunks(algorithm, [signer.der])))
      outcome.problems.push("signing-certificate-mismatch");
  } catch {
    outcome.problems.push("signing-certificate-mismatch");
  }
}

/** Chain and validity of a signer, into the result's fields. */
function judgeChain(
  signer: ParsedCertificate,
  certificates: ParsedCertificate[],
  options: CmsCheckOptions,
  into: { chain: CertificateInfo[]; certificateTrusted: boolean; problems: CmsProblem[] },
  at: Date[] = [],
): void {
  const trusted = options.trustedCertificates
    .map(parseTrusted)
    .filter((entry): entry is ParsedCertificate => entry !== null);
  const chain = buildChain(signer, certificates, trusted, options.now);
  const notValidAtTimes = at.some((time) => chain.chain.some((entry) => !validAt(entry.cert, time)));
  into.chain = chain.chain.map((entry) => entry.info);
  into.certificateTrusted = chain.trusted && !chain.expired && !notValidAtTimes;
  if (!chain.trusted) into.problems.push("certificate-not-trusted");
  else if (chain.expired || notValidAtTimes) into.problems.push("certificate-expired");
}

/** SHA-1 anywhere in the signature: a warning before the cut-off date, a refusal after (or without a date). */
function applySha1Policy(
  weak: boolean,
  time: Date | null,
  into: { problems: CmsProblem[]; warnings: CmsWarning[] },
): void {
  if (!weak) return;
  if (time && time < SHA1_ACCEPTED_BEFORE) into.warnings.push("weak-digest-sha1");
  else into.problems.push("digest-algorithm");
}

// ---------------------------------------------------------------- PDF signatures

/**
 * How the CMS relates to the document: "detached" (adbe.pkcs7.detached) and "pades"
 * (ETSI.CAdES.detached, where a missing signing-certificate-v2 earns a warning) sign the
 * ByteRange bytes; "sha1-embedded" (adbe.pkcs7.sha1) signs an embedded SHA-1 of them.
 */
export type CmsFormat = "detached" | "pades" | "sha1-embedded";

/** Checks one CMS signature over `covered` (the ByteRange chunks). */
export function checkCms(
  der: Uint8Array,
  covered: Uint8Array[],
  options: CmsCheckOptions,
  format: CmsFormat,
): CmsResult {
  const result: CmsResult = {
    digestAlgorithm: null,
    signatureAlgorithm: null,
    digestMatch: false,
    signatureMatch: false,
    certificateTrusted: false,
    signer: null,
    chain: [],
    signingTimeAttribute: null,
    timestamp: null,
    problems: [],
    warnings: [],
  };
  try {
    checkCmsInto(der, covered, options, format, result);
  } catch (error) {
    if (isTimeUp(error)) throw error;
    // Whatever pkijs or node:crypto trip over in a hostile CMS, it is a malformed signature.
    if (!result.problems.includes("cms-malformed")) result.problems.push("cms-malformed");
    result.signatureMatch = false;
    result.certificateTrusted = false;
  }
  return result;
}

/** The verification's budget ran out inside a check: that ends the whole verification. */
function isTimeUp(error: unknown): boolean {
  return error instanceof UnreadablePdfError;
}

function checkCmsInto(
  der: Uint8Array,
  covered: Uint8Array[],
  options: CmsCheckOptions,
  format: CmsFormat,
  result: CmsResult,
): void {
  options.checkTime?.();
  const parsed = parseSignedData(der);
  if (!parsed) {
    result.problems.push("cms-malformed");
    return;
  }
  const { signedData, certificates } = parsed;
  if (signedData.encapContentInfo.eContentType !== OID.data) return void result.problems.push("cms-content-type");
  // Detached only: embedded content is how a forged CMS "verifies" unrelated bytes. The one
  // exception is adbe.pkcs7.sha1, whose embedded content must be the SHA-1 of the signed bytes.
  let content = covered;
  let embeddedMatch = true;
  if (format === "sha1-embedded") {
    const embedded = octets(signedData.encapContentInfo.eContent);
    if (!embedded) return void result.problems.push("cms-malformed");
    embeddedMatch = equalBytes(embedded, hashChunks(DIGESTS["1.3.14.3.2.26"], covered));
    content = [embedded];
  } else if (signedData.encapContentInfo.eContent) return void result.problems.push("cms-embedded-content");
  if (signedData.signerInfos.length !== 1) return void result.problems.push("cms-signer-count");
  const signerInfo = signedData.signerInfos[0];
  // The SignedData lists the digest algorithms its signers use (RFC 5652 §5.1); a signer
  // whose algorithm is not listed is malformed (openssl refuses it too).
  if (!listsDigest(signedData, signerInfo)) return void result.problems.push("cms-malformed");

  const outcome = checkSigner(signerInfo, certificates, content, OID.data, format === "pades");
  if (!embeddedMatch) {
    outcome.digestMatch = false;
    if (!outcome.problems.includes("digest-mismatch")) outcome.problems.push("digest-mismatch");
  }
  result.digestAlgorithm =
    format === "sha1-embedded"
      ? "sha1"
      : (outcome.digestAlgorithm?.name ?? digestName(null, signerInfo.digestAlgorithm.algorithmId));
  result.signatureAlgorithm = outcome.signatureAlgorithm;
  result.digestMatch = outcome.digestMatch;
  result.signatureMatch = outcome.signatureMatch;
  result.signingTimeAttribute = outcome.signingTimeAttribute;
  result.problems.push(...outcome.problems);
  result.warnings.push(...outcome.warnings);
  const signer = outcome.signer;
  if (!signer) return;
  result.signer = signer.info;

  const usage = keyUsage(signer.cert);
  if (usage && !usage(0) && !usage(1)) result.problems.push("certificate-key-usage");
  options.checkTime?.();
  judgeChain(signer, certificates, options, result);

  // A signature time-stamp (PAdES B-T) proves when the signature value existed.
  const token = attributeValues(signerInfo.unsignedAttrs?.attributes, OID.signatureTimeStamp)?.[0];
  if (token) {
    options.checkTime?.();
    const tokenDer = token instanceof asn1js.Sequence ? toBytes(token.valueBeforeDecodeView) : null;
    result.timestamp = tokenDer ? checkTimestampToken(tokenDer, [signerInfo.signature], options) : malformedTimestamp();
    if (!result.timestamp.valid) result.warnings.push("signature-timestamp-invalid");
  }

  const weak =
    format === "sha1-embedded" ||
    outcome.digestAlgorithm?.weak === true ||
    SIGNATURE_ALGORITHMS[signerInfo.signatureAlgorithm.algorithmId]?.hash === "sha1";
  const proven = result.timestamp?.valid && result.timestamp.genTime ? new Date(result.timestamp.genTime) : null;
  applySha1Policy(weak, proven ?? outcome.signingTimeAttribute ?? options.claimedTime ?? null, result);
}

// ---------------------------------------------------------------- RFC 3161 time-stamp tokens

function malformedTimestamp(): TimestampInfo {
  return {
    genTime: null,
    policy: null,
    serialNumber: null,
    hashAlgorithm: null,
    signatureAlgorithm: null,
    imprintMatch: false,
    signatureMatch: false,
    certificateTrusted: false,
    tsa: null,
    chain: [],
    valid: false,
    problems: ["timestamp-malformed"],
    warnings: [],
  };
}

/**
 * Checks an RFC 3161 TimeStampToken over `imprinted` (the document's ByteRange chunks for a
 * document time-stamp, the signature value for a signature time-stamp): the imprint, the
 * TSA's CMS signature over the TSTInfo, its ESS signing-certificate attribute, its
 * timeStamping extended key usage, and its chain to a trusted certificate (valid now and
 * at the time it claims).
 */
export function checkTimestampToken(der: Uint8Array, imprinted: Uint8Array[], options: CmsCheckOptions): TimestampInfo {
  const result = malformedTimestamp();
  result.problems = [];
  try {
    checkTimestampInto(der, imprinted, options, result);
  } catch (error) {
    if (isTimeUp(error)) throw error;
    if (!result.problems.includes("timestamp-malformed")) result.problems.push("timestamp-malformed");
    result.signatureMatch = false;
    result.certificateTrusted = false;
  }
  result.valid =
    result.problems.length === 0 && result.imprintMatch && result.signatureMatch && result.certificateTrusted;
  return result;
}

function checkTimestampInto(
  der: Uint8Array,
  imprinted: Uint8Array[],
  options: CmsCheckOptions,
  result: TimestampInfo,
): void {
  const parsed = parseSignedData(der);
  if (!parsed) return void result.problems.push("timestamp-malformed");
  const { signedData, certificates } = parsed;
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo) return void result.problems.push("cms-content-type");
  const content = octets(signedData.encapContentInfo.eContent);
  if (!content) return void result.problems.push("timestamp-malformed");
  let info: pkijs.TSTInfo;
  try {
    info = pkijs.TSTInfo.fromBER(content as Uint8Array<ArrayBuffer>);
  } catch {
    return void result.problems.push("timestamp-malformed");
  }
  const genTime = info.genTime instanceof Date && !Number.isNaN(info.genTime.getTime()) ? info.genTime : null;
  result.genTime = genTime?.toISOString() ?? null;
  result.policy = info.policy ?? null;
  result.serialNumber = Buffer.from(info.serialNumber.valueBlock.valueHexView).toString("hex").slice(0, 80);

  const imprintAlgorithm = digestAlgorithmOf(info.messageImprint.hashAlgorithm);
  result.hashAlgorithm = digestName(imprintAlgorithm, info.messageImprint.hashAlgorithm.algorithmId);
  if (!imprintAlgorithm) result.problems.push("digest-algorithm");
  else {
    result.imprintMatch = equalBytes(
      toBytes(info.messageImprint.hashedMessage.valueBlock.valueHexView),
      hashChunks(imprintAlgorithm, imprinted),
    );
    if (!result.imprintMatch) result.problems.push("timestamp-imprint-mismatch");
  }

  if (signedData.signerInfos.length !== 1) return void result.problems.push("cms-signer-count");
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo.signedAttrs || !listsDigest(signedData, signerInfo))
    return void result.problems.push("timestamp-malformed");
  const outcome = checkSigner(signerInfo, certificates, [content], OID.tstInfo, true);
  result.signatureAlgorithm = outcome.signatureAlgorithm;
  result.signatureMatch = outcome.signatureMatch && outcome.digestMatch;
  result.problems.push(...outcome.problems);
  // RFC 3161 §2.4.1: the ESS signing-certificate attribute is required in a token.
  if (outcome.warnings.includes("signing-certificate-absent")) result.problems.push("signing-certificate-missing");
  result.warnings.push(...outcome.warnings.filter((warning) => warning !== "signing-certificate-absent"));
  const signer = outcome.signer;
  if (!signer) return;
  result.tsa = signer.info;

  const eku = extension(signer.cert, OID.extendedKeyUsage);
  const purposes = eku?.parsedValue instanceof pkijs.ExtKeyUsage ? eku.parsedValue.keyPurposes : ([] as string[]);
  if (!purposes.includes(OID.timeStamping)) result.problems.push("timestamp-certificate-usage");
  else if (!eku?.critical) result.warnings.push("timestamp-usage-not-critical");
  options.checkTime?.();
  judgeChain(signer, certificates, options, result, genTime ? [genTime] : []);

  const weak = imprintAlgorithm?.weak === true || outcome.digestAlgorithm?.weak === true;
  applySha1Policy(weak, genTime, result);
}

/** DER certificates from PEM text (any number of CERTIFICATE blocks). */
export function certificatesFromPem(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const pattern = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const match of pem.matchAll(pattern))
    out.push(new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64")));
  return out;
}
