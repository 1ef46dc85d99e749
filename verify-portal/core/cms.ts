// CMS (RFC 5652) signature checks for PDF signatures, parsed with pkijs/asn1js and
// verified with node:crypto. pkijs' own SignedData.verify is not used: it would hash
// embedded content when present and does not check the chain, key usage or the
// signing-certificate attribute the way a PAdES verifier must (see CONVENTIONS.md).
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
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
  | "certificate-key-usage";

export interface CmsResult {
  digestAlgorithm: string | null;
  digestMatch: boolean;
  signatureMatch: boolean;
  certificateTrusted: boolean;
  signer: CertificateInfo | null;
  /** Signer first, then issuers up to (and including) the trusted certificate when found. */
  chain: CertificateInfo[];
  signingTimeAttribute: Date | null;
  problems: CmsProblem[];
}

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
};

const DIGESTS: Record<string, string> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
const SHA1 = "1.3.14.3.2.26";

/** Signature algorithms: [key type, hash implied by the OID (undefined: the digest algorithm's)]. */
const SIGNATURE_ALGORITHMS: Record<string, { key: "rsa" | "ec"; hash?: string }> = {
  "1.2.840.113549.1.1.1": { key: "rsa" },
  "1.2.840.113549.1.1.11": { key: "rsa", hash: "sha256" },
  "1.2.840.113549.1.1.12": { key: "rsa", hash: "sha384" },
  "1.2.840.113549.1.1.13": { key: "rsa", hash: "sha512" },
  "1.2.840.10045.4.3.2": { key: "ec", hash: "sha256" },
  "1.2.840.10045.4.3.3": { key: "ec", hash: "sha384" },
  "1.2.840.10045.4.3.4": { key: "ec", hash: "sha512" },
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
  return name.typesAndValues
    .map((pair) => {
      const label = NAME_LABELS[pair.type] ?? pair.type;
      const value = (pair.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${label}=${typeof value === "string" ? value : "?"}`;
    })
    .join(", ");
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

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  return parseCertificateFrom(der, pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>));
}

function parseCertificateFrom(der: Uint8Array, cert: pkijs.Certificate): ParsedCertificate {
  return { der, cert, info: describeCertificate(cert, der), x509: new crypto.X509Certificate(der) };
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

function describeCertificate(cert: pkijs.Certificate, der: Uint8Array): CertificateInfo {
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString("hex"),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256: crypto.createHash("sha256").update(der).digest("hex"),
  };
}

/** Did `issuer` sign `subject`? (names match and the signature verifies) */
function issuedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!sameName(subject.cert.issuer, issuer.cert.subject)) return false;
  const algorithm = SIGNATURE_ALGORITHMS[subject.cert.signatureAlgorithm.algorithmId];
  if (!algorithm?.hash) return false;
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
  for (let depth = 0; depth < 8; depth++) {
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

function attributeValues(attributes: pkijs.Attribute[] | undefined, oid: string): unknown[] | null {
  const found = attributes?.filter((attribute) => attribute.type === oid) ?? [];
  if (found.length === 0) return null;
  if (found.length > 1) return []; // a repeated attribute is malformed: callers treat [] as invalid
  return found[0].values;
}

/**
 * Checks one detached CMS signature over `covered` (the ByteRange chunks).
 * `requireSigningCertificateV2`: PAdES (ETSI.CAdES.detached) demands the ESS attribute.
 */
export function checkCms(
  der: Uint8Array,
  covered: Uint8Array[],
  trustedCertificates: Uint8Array[],
  now: Date,
  requireSigningCertificate: boolean,
): CmsResult {
  const result: CmsResult = {
    digestAlgorithm: null,
    digestMatch: false,
    signatureMatch: false,
    certificateTrusted: false,
    signer: null,
    chain: [],
    signingTimeAttribute: null,
    problems: [],
  };
  const fail = (problem: CmsProblem): CmsResult => {
    result.problems.push(problem);
    return result;
  };

  let signedData: pkijs.SignedData;
  let certificateBlocks: asn1js.AsnType[] = [];
  try {
    const parsed = asn1js.fromBER(der as Uint8Array<ArrayBuffer>);
    if (parsed.offset === -1) return fail("cms-malformed");
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== OID.signedData) return fail("cms-malformed");
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    // The certificates exactly as received ([0] IMPLICIT SET OF Certificate), so hashes
    // and trust comparisons see the signer's bytes, not a re-encoding.
    const fields = (contentInfo.content as asn1js.Sequence).valueBlock.value;
    const certificateSet = fields.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0) as
      | asn1js.Constructed
      | undefined;
    certificateBlocks = certificateSet?.valueBlock.value ?? [];
  } catch {
    return fail("cms-malformed");
  }

  // Detached only: embedded content is how a forged CMS "verifies" unrelated bytes.
  if (signedData.encapContentInfo.eContent) return fail("cms-embedded-content");
  if (signedData.encapContentInfo.eContentType !== OID.data) return fail("cms-content-type");
  if (signedData.signerInfos.length !== 1) return fail("cms-signer-count");
  const signerInfo = signedData.signerInfos[0];

  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const hash = DIGESTS[digestOid];
  if (!hash) {
    result.digestAlgorithm = digestOid === SHA1 ? "sha1" : digestOid;
    return fail("digest-algorithm");
  }
  result.digestAlgorithm = hash;

  const certificates: ParsedCertificate[] = [];
  (signedData.certificates ?? []).forEach((entry, i) => {
    const raw = certificateBlocks[i]?.valueBeforeDecodeView;
    if (!(entry instanceof pkijs.Certificate) || !raw) return;
    try {
      certificates.push(parseCertificateFrom(new Uint8Array(raw), entry));
    } catch {
      // A certificate node cannot parse is no certificate to chain through.
    }
  });
  const signer = findSigner(signerInfo, certificates);
  if (!signer) return fail("signer-certificate-missing");
  result.signer = signer.info;

  const digest = crypto.createHash(hash);
  for (const chunk of covered) digest.update(chunk);
  const computed = digest.digest();

  const algorithm = SIGNATURE_ALGORITHMS[signerInfo.signatureAlgorithm.algorithmId];
  if (!algorithm || (algorithm.hash && algorithm.hash !== hash)) return fail("signature-algorithm");

  let signedBytes: Uint8Array[];
  const signedAttrs = signerInfo.signedAttrs;
  if (signedAttrs) {
    const attributes = signedAttrs.attributes;
    const contentType = attributeValues(attributes, OID.contentType);
    if (
      !contentType ||
      contentType.length !== 1 ||
      !(contentType[0] instanceof asn1js.ObjectIdentifier) ||
      contentType[0].valueBlock.toString() !== OID.data
    ) {
      result.problems.push("cms-content-type");
    }
    const messageDigest = attributeValues(attributes, OID.messageDigest);
    if (!messageDigest || messageDigest.length !== 1 || !(messageDigest[0] instanceof asn1js.OctetString)) {
      result.problems.push("message-digest-missing");
    } else {
      result.digestMatch = equalBytes(toBytes(messageDigest[0].valueBlock.valueHexView), computed);
      if (!result.digestMatch) result.problems.push("digest-mismatch");
    }
    const signingTime = attributeValues(attributes, OID.signingTime);
    const time = signingTime?.[0];
    if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime)
      result.signingTimeAttribute = time.toDate();
    checkSigningCertificate(attributes, signer, requireSigningCertificate, result);
    // encodedValue is the attributes exactly as received, re-tagged as SET (RFC 5652 §5.4).
    signedBytes = [toBytes(signedAttrs.encodedValue)];
  } else {
    // Without signed attributes the signature is directly over the content.
    if (requireSigningCertificate) result.problems.push("signing-certificate-missing");
    signedBytes = covered;
    result.digestMatch = true;
  }

  try {
    const verifier = crypto.createVerify(hash);
    for (const chunk of signedBytes) verifier.update(chunk);
    result.signatureMatch = verifier.verify(
      signer.x509.publicKey,
      Buffer.from(signerInfo.signature.valueBlock.valueHexView),
    );
  } catch {
    result.signatureMatch = false;
  }
  if (!result.signatureMatch) result.problems.push("signature-mismatch");
  if (!signedAttrs) result.digestMatch = result.signatureMatch;

  const usage = keyUsage(signer.cert);
  if (usage && !usage(0) && !usage(1)) result.problems.push("certificate-key-usage");

  const trusted = trustedCertificates.map(parseTrusted).filter((entry): entry is ParsedCertificate => entry !== null);
  const chain = buildChain(signer, certificates, trusted, now);
  result.chain = chain.chain.map((entry) => entry.info);
  result.certificateTrusted = chain.trusted && !chain.expired;
  if (!chain.trusted) result.problems.push("certificate-not-trusted");
  else if (chain.expired) result.problems.push("certificate-expired");
  return result;
}

function findSigner(signerInfo: pkijs.SignerInfo, certificates: ParsedCertificate[]): ParsedCertificate | undefined {
  const sid = signerInfo.sid as unknown;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find(
      (entry) =>
        sameName(entry.cert.issuer, sid.issuer) &&
        equalBytes(
          toBytes(entry.cert.serialNumber.valueBlock.valueHexView),
          toBytes(sid.serialNumber.valueBlock.valueHexView),
        ),
    );
  }
  // [0] SubjectKeyIdentifier
  const keyId = (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  if (!keyId) return undefined;
  return certificates.find((entry) => {
    const ski = extension(entry.cert, "2.5.29.14")?.parsedValue;
    return ski instanceof asn1js.OctetString && equalBytes(toBytes(ski.valueBlock.valueHexView), toBytes(keyId));
  });
}

/** ESS signing-certificate(-v2): binds the signature to the signer certificate (RFC 5035). */
function checkSigningCertificate(
  attributes: pkijs.Attribute[],
  signer: ParsedCertificate,
  required: boolean,
  result: CmsResult,
): void {
  const v2 = attributeValues(attributes, OID.signingCertificateV2);
  const v1 = attributeValues(attributes, OID.signingCertificate);
  if (!v2 && !v1) {
    if (required) result.problems.push("signing-certificate-missing");
    return;
  }
  try {
    const value = (v2 ?? v1)![0] as asn1js.Sequence;
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
    const certs = value.valueBlock.value[0] as asn1js.Sequence;
    const first = certs.valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let hashName = v2 ? "sha256" : "sha1";
    let hashIndex = 0;
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      const algorithm = new pkijs.AlgorithmIdentifier({ schema: parts[0] });
      hashName = DIGESTS[algorithm.algorithmId] ?? "";
      hashIndex = 1;
    }
    const certHash = parts[hashIndex];
    if (!hashName || !(certHash instanceof asn1js.OctetString)) throw new Error("bad ESSCertID");
    const expected = crypto.createHash(hashName).update(signer.der).digest();
    if (!equalBytes(toBytes(certHash.valueBlock.valueHexView), expected))
      result.problems.push("signing-certificate-mismatch");
  } catch {
    result.problems.push("signing-certificate-mismatch");
  }
}

/** DER certificates from PEM text (any number of CERTIFICATE blocks). */
export function certificatesFromPem(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const pattern = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const match of pem.matchAll(pattern))
    out.push(new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64")));
  return out;
}
