// CMS pieces shared by the seal signer (signer.server.ts), the time-stamp checks
// (tsp.server.ts) and the development TSA (dev-tsa/): object identifiers, the ESS
// signing-certificate-v2 attribute and DER ordering of a SET OF.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./certificates.server";

export const CMS_OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
} as const;

/** Digest algorithm OIDs to node:crypto hash names. */
export const DIGEST_NAMES: Record<string, string> = {
  [CMS_OID.sha1]: "sha1",
  [CMS_OID.sha256]: "sha256",
  [CMS_OID.sha384]: "sha384",
  [CMS_OID.sha512]: "sha512",
};

/**
 * ESS signing-certificate-v2 (RFC 5035) binding a signature to its certificate:
 * SHA-256 of its DER, hashAlgorithm omitted (SHA-256 is the DEFAULT, and DER leaves
 * defaults out), and issuerSerial, which validators such as EU DSS match as well.
 */
export function signingCertificateV2Attribute(certificateDer: Uint8Array) {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(certificateDer));
  const certHash = crypto.createHash("sha256").update(certificateDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        // GeneralNames: one directoryName [4], explicitly tagged because Name is a CHOICE.
        value: [
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] }),
        ],
      }),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
  });
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  return new pkijs.Attribute({ type: CMS_OID.signingCertificateV2, values: [signingCertificateV2] });
}

/** DER orders a SET OF by the encodings of its elements (X.690 11.6). */
export function compareDerSetElements(a: Uint8Array, b: Uint8Array) {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0); // shorter one padded with zero octets
    if (difference !== 0) return difference;
  }
  return 0;
}
