// X.509 building blocks shared by the instance CA (keys.server.ts), its CRL (crl.server.ts),
// the time-stamp checks (tsp.server.ts) and the development TSA (dev-tsa/): certificates are
// built with pkijs/asn1js and signed with node:crypto, so no WebCrypto key import is needed.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export const X509_OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  crlDistributionPoints: "2.5.29.31",
  crlNumber: "2.5.29.20",
  crlReason: "2.5.29.21",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
} as const;

export interface KeyPair {
  publicKey: crypto.KeyObject;
  privateKey: crypto.KeyObject;
}

export function generateRsaKeyPair(modulusLength: number): Promise<KeyPair> {
  return new Promise((resolve, reject) =>
    crypto.generateKeyPair("rsa", { modulusLength, publicExponent: 0x10001 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey }),
    ),
  );
}

export interface CertificateRequest {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.RelativeDistinguishedNames;
  subjectPublicKey: crypto.KeyObject;
  issuerPrivateKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: pkijs.Extension[];
}

/** Builds the certificate with pkijs and signs its TBS with node:crypto (RSA, SHA-256). */
export function issueCertificate(request: CertificateRequest): Buffer {
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: positiveSerial() }),
    signature: rsaSha256Algorithm(),
    issuer: request.issuer,
    subject: request.subject,
    notBefore: certificateTime(request.notBefore),
    notAfter: certificateTime(request.notAfter),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(request.subjectPublicKey.export({ type: "spki", format: "der" })),
    extensions: request.extensions,
  });
  certificate.signatureAlgorithm = rsaSha256Algorithm();
  certificate.tbsView = new Uint8Array(certificate.encodeTBS().toBER());
  const signature = crypto.sign("sha256", certificate.tbsView, request.issuerPrivateKey);
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  return Buffer.from(certificate.toSchema().toBER());
}

export function rsaSha256Algorithm() {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: X509_OID.sha256WithRSAEncryption,
    algorithmParams: new asn1js.Null(),
  });
}

/** O, OU and CN, one attribute per RDN (pkijs would make one multi-valued RDN, which viewers show badly). */
export function distinguishedName(parts: { organization: string; organizationalUnit: string; commonName: string }) {
  const rdn = (type: string, value: string) =>
    new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()],
    });
  const name = new asn1js.Sequence({
    value: [
      rdn(X509_OID.organization, parts.organization),
      rdn(X509_OID.organizationalUnit, parts.organizationalUnit),
      rdn(X509_OID.commonName, parts.commonName),
    ],
  });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER());
}

export function extension(extnID: string, critical: boolean, value: asn1js.AsnType) {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** Extensions every certificate of ours carries, by role. */
export const extensions = {
  ca: (subjectKeyId: ArrayBuffer) => [
    extension(
      X509_OID.basicConstraints,
      true,
      new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema(),
    ),
    // keyCertSign (bit 5) + cRLSign (bit 6)
    extension(
      X509_OID.keyUsage,
      true,
      new asn1js.BitString({ valueHex: new Uint8Array([0x06]).buffer, unusedBits: 1 }),
    ),
    extension(X509_OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: subjectKeyId })),
  ],
  leaf: (subjectKeyId: ArrayBuffer, authorityKeyId: ArrayBuffer) => [
    extension(X509_OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    // digitalSignature (bit 0) + nonRepudiation (bit 1)
    extension(
      X509_OID.keyUsage,
      true,
      new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }),
    ),
    extension(X509_OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: subjectKeyId })),
    extension(
      X509_OID.authorityKeyIdentifier,
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: authorityKeyId }),
      }).toSchema(),
    ),
  ],
  /** RFC 5280 CRL distribution point: one full-name URI. */
  crlDistributionPoint: (url: string) =>
    extension(
      X509_OID.crlDistributionPoints,
      false,
      new pkijs.CRLDistributionPoints({
        distributionPoints: [
          new pkijs.DistributionPoint({
            distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })],
          }),
        ],
      }).toSchema(),
    ),
  /** RFC 3161 2.3: the TSA certificate's only extended key usage, critical. */
  timeStampingOnly: (purposes: string[] = [X509_OID.timeStamping]) =>
    extension(X509_OID.extendedKeyUsage, true, new pkijs.ExtKeyUsage({ keyPurposes: purposes }).toSchema()),
};

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: crypto.KeyObject): ArrayBuffer {
  const spki = pkijs.PublicKeyInfo.fromBER(publicKey.export({ type: "spki", format: "der" }));
  return toArrayBuffer(crypto.createHash("sha1").update(spki.subjectPublicKey.valueBlock.valueHexView).digest());
}

export function positiveSerial(): ArrayBuffer {
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  return toArrayBuffer(serial);
}

export function certificateTime(value: Date) {
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

export function addYears(date: Date, years: number) {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

export function derToPem(der: Uint8Array, label = "CERTIFICATE") {
  const base64 = Buffer.from(der)
    .toString("base64")
    .replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${base64}-----END ${label}-----\n`;
}

/** Every certificate in a PEM text, as DER. */
export function certificatesFromPem(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
    Buffer.from(match[1].replace(/\s+/g, ""), "base64"),
  );
}

// ------------------------------------------------------------------ reading

export function parseCertificate(der: Uint8Array) {
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

function extensionValue(certificate: pkijs.Certificate, id: string) {
  return certificate.extensions?.find((candidate) => candidate.extnID === id);
}

/** The extended key usage purposes and whether the extension is critical; null when absent. */
export function extendedKeyUsage(certificate: pkijs.Certificate): { purposes: string[]; critical: boolean } | null {
  const found = extensionValue(certificate, X509_OID.extendedKeyUsage);
  if (!found) return null;
  const parsed = found.parsedValue as pkijs.ExtKeyUsage | undefined;
  const purposes =
    parsed?.keyPurposes ??
    new pkijs.ExtKeyUsage({ schema: asn1js.fromBER(found.extnValue.valueBlock.valueHexView).result }).keyPurposes;
  return { purposes, critical: found.critical };
}

/** Key usage bits as a number (bit 0 = digitalSignature … bit 6 = cRLSign); null when absent. */
export function keyUsageBits(certificate: pkijs.Certificate): number | null {
  const found = extensionValue(certificate, X509_OID.keyUsage);
  if (!found) return null;
  const bits = asn1js.fromBER(found.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  let value = 0;
  // bit n of the BIT STRING is bit (7 - n % 8) of byte n / 8
  for (let bit = 0; bit < Math.min(16, bytes.length * 8); bit++) {
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) value |= 1 << bit;
  }
  return value;
}

export const KEY_USAGE = { digitalSignature: 1, nonRepudiation: 2, keyCertSign: 1 << 5, cRLSign: 1 << 6 } as const;

/** http(s) URIs of the certificate's CRL distribution points. */
export function crlDistributionUrls(certificate: pkijs.Certificate): string[] {
  const found = extensionValue(certificate, X509_OID.crlDistributionPoints);
  if (!found) return [];
  const points = new pkijs.CRLDistributionPoints({
    schema: asn1js.fromBER(found.extnValue.valueBlock.valueHexView).result,
  });
  const urls: string[] = [];
  for (const point of points.distributionPoints) {
    const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
    for (const name of names) {
      if (name.type === 6 && typeof name.value === "string" && /^https?:\/\//i.test(name.value)) urls.push(name.value);
    }
  }
  return urls;
}

export function sha256(bytes: Uint8Array) {
  return crypto.createHash("sha256").update(bytes).digest();
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
