// A CAdES (PAdES baseline B-B) detached CMS signer for @signpdf: pkijs/asn1js
// build the structure, node:crypto signs. @signpdf's P12Signer does not fit:
// no signing-certificate-v2, a signingTime attribute B-B forbids, one sign()
// per instance, and ~50 ms of JavaScript RSA (see CONVENTIONS.md).
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { Signer } from "@signpdf/utils";
import type { SealIdentity } from "./keys.server";

export const CMS_OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
} as const;

/** Signs the ByteRange bytes @signpdf hands over; one instance serves any number of documents. */
export class SealSigner extends Signer {
  readonly #privateKey: crypto.KeyObject;
  readonly #certificates: pkijs.Certificate[];
  readonly #signerId: pkijs.IssuerAndSerialNumber;
  readonly #signingCertificateV2: pkijs.Attribute;

  constructor(identity: Pick<SealIdentity, "privateKey" | "chain">) {
    super();
    if (identity.privateKey.asymmetricKeyType !== "rsa") throw new Error("The seal signs with RSA keys only");
    this.#privateKey = identity.privateKey;
    // Parsed once: every sign() re-uses them read-only.
    this.#certificates = identity.chain.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der)));
    const seal = this.#certificates[0];
    this.#signerId = new pkijs.IssuerAndSerialNumber({ issuer: seal.issuer, serialNumber: seal.serialNumber });
    this.#signingCertificateV2 = signingCertificateV2Attribute(identity.chain[0], seal);
  }

  /** `signingTime` is ignored on purpose: B-B puts the time in the signature dictionary's /M only. */
  async sign(pdfBuffer: Buffer, _signingTime?: Date): Promise<Buffer> {
    return this.signDetached(pdfBuffer);
  }

  /** Synchronous core, for callers outside @signpdf. */
  signDetached(content: Uint8Array): Buffer {
    const digest = crypto.createHash("sha256").update(content).digest();
    const attributes = sortedForDer([
      new pkijs.Attribute({ type: CMS_OID.contentType, values: [new asn1js.ObjectIdentifier({ value: CMS_OID.data })] }),
      new pkijs.Attribute({ type: CMS_OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })] }),
      this.#signingCertificateV2,
    ]);
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
    // The signature covers the attributes as a SET (tag 0x31), not as the [0] they are stored under.
    const toSign = Buffer.from(signedAttrs.toSchema().toBER());
    toSign[0] = 0x31;
    const signature = crypto.sign("sha256", toSign, this.#privateKey); // RSASSA-PKCS1-v1_5

    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: this.#signerId,
      digestAlgorithm: sha256Algorithm(),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: CMS_OID.sha256WithRSAEncryption,
        algorithmParams: new asn1js.Null(),
      }),
      signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [sha256Algorithm()],
      // Detached: eContentType only, no eContent.
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
      certificates: this.#certificates,
      signerInfos: [signerInfo],
    });
    const contentInfo = new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER());
  }
}

/**
 * ESS signing-certificate-v2 (RFC 5035) binding the signature to the seal
 * certificate: SHA-256 of its DER, hashAlgorithm omitted (SHA-256 is the
 * DEFAULT, and DER leaves defaults out), and issuerSerial, which validators
 * such as EU DSS match as well.
 */
function signingCertificateV2Attribute(certificateDer: Buffer, certificate: pkijs.Certificate) {
  const certHash = crypto.createHash("sha256").update(certificateDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        // GeneralNames: one directoryName [4], explicitly tagged because Name is a CHOICE.
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })],
      }),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial] });
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  return new pkijs.Attribute({ type: CMS_OID.signingCertificateV2, values: [signingCertificateV2] });
}

/** DER orders a SET OF by the encodings of its elements (X.690 11.6). */
function sortedForDer(attributes: pkijs.Attribute[]) {
  const encoded = attributes.map((attribute) => ({ attribute, bytes: Buffer.from(attribute.toSchema().toBER()) }));
  encoded.sort((a, b) => compareDerSetElements(a.bytes, b.bytes));
  return encoded.map((entry) => entry.attribute);
}

function compareDerSetElements(a: Buffer, b: Buffer) {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0); // shorter one padded with zero octets
    if (difference !== 0) return difference;
  }
  return 0;
}

function sha256Algorithm() {
  // RFC 5754: parameters absent for SHA-2 digest algorithms.
  return new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
