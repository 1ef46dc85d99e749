// A CAdES (PAdES baseline B-B) detached CMS signer for @signpdf: pkijs/asn1js
// encode the parts, node:crypto signs. @signpdf's P12Signer does not fit:
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
  // Everything that does not depend on the document is encoded once, with
  // pkijs/asn1js; sign() only splices bytes. Re-encoding the certificates
  // through asn1js on every call took ~4 ms, twice the RSA signature itself.
  readonly #signerIdentifier: Buffer;
  readonly #digestAlgorithm: Buffer;
  readonly #signatureAlgorithm: Buffer;
  readonly #fixedAttributes: Buffer[];
  readonly #certificates: Buffer;

  constructor(identity: Pick<SealIdentity, "privateKey" | "chain">) {
    super();
    if (identity.privateKey.asymmetricKeyType !== "rsa") throw new Error("The seal signs with RSA keys only");
    this.#privateKey = identity.privateKey;
    const seal = pkijs.Certificate.fromBER(new Uint8Array(identity.chain[0]));
    this.#signerIdentifier = encode(
      new pkijs.IssuerAndSerialNumber({ issuer: seal.issuer, serialNumber: seal.serialNumber }).toSchema(),
    );
    // RFC 5754: parameters absent for SHA-2 digest algorithms.
    this.#digestAlgorithm = encode(new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }).toSchema());
    this.#signatureAlgorithm = encode(
      new pkijs.AlgorithmIdentifier({
        algorithmId: CMS_OID.sha256WithRSAEncryption,
        algorithmParams: new asn1js.Null(),
      }).toSchema(),
    );
    this.#fixedAttributes = [
      encode(
        new pkijs.Attribute({
          type: CMS_OID.contentType,
          values: [new asn1js.ObjectIdentifier({ value: CMS_OID.data })],
        }).toSchema(),
      ),
      encode(signingCertificateV2Attribute(identity.chain[0], seal).toSchema()),
    ];
    // The chain as it came, seal certificate first: byte-exact, never re-encoded.
    this.#certificates = Buffer.concat(identity.chain);
  }

  /** `signingTime` is ignored on purpose: B-B puts the time in the signature dictionary's /M only. */
  async sign(pdfBuffer: Buffer, _signingTime?: Date): Promise<Buffer> {
    return this.signDetached(pdfBuffer);
  }

  /** Synchronous core, for callers outside @signpdf: DER ContentInfo holding a detached SignedData. */
  signDetached(content: Uint8Array): Buffer {
    const digest = crypto.createHash("sha256").update(content).digest();
    const messageDigest = encode(
      new pkijs.Attribute({
        type: CMS_OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
      }).toSchema(),
    );
    const attributes = [...this.#fixedAttributes, messageDigest].sort(compareDerSetElements);
    // Signed as a SET (tag 0x31); stored in SignerInfo as [0] IMPLICIT (0xA0).
    const signature = crypto.sign("sha256", tlv(0x31, ...attributes), this.#privateKey); // RSASSA-PKCS1-v1_5

    const signerInfo = tlv(
      0x30,
      INTEGER_1,
      this.#signerIdentifier,
      this.#digestAlgorithm,
      tlv(0xa0, ...attributes),
      this.#signatureAlgorithm,
      tlv(0x04, signature),
    );
    const signedData = tlv(
      0x30,
      INTEGER_1,
      tlv(0x31, this.#digestAlgorithm),
      tlv(0x30, DATA_CONTENT_TYPE), // detached: eContentType only, no eContent
      tlv(0xa0, this.#certificates),
      tlv(0x31, signerInfo),
    );
    return tlv(0x30, SIGNED_DATA_CONTENT_TYPE, tlv(0xa0, signedData));
  }
}

const INTEGER_1 = Buffer.from([0x02, 0x01, 0x01]);
const DATA_CONTENT_TYPE = encode(new asn1js.ObjectIdentifier({ value: CMS_OID.data }));
const SIGNED_DATA_CONTENT_TYPE = encode(new asn1js.ObjectIdentifier({ value: CMS_OID.signedData }));

function encode(value: asn1js.AsnType): Buffer {
  return Buffer.from(value.toBER());
}

/** One DER tag-length-value with definite length. */
function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const length = contents.reduce((total, part) => total + part.length, 0);
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const lengthBytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest & 0xff);
    header = Buffer.from([tag, 0x80 | lengthBytes.length, ...lengthBytes]);
  }
  return Buffer.concat([header, ...contents]);
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
function compareDerSetElements(a: Buffer, b: Buffer) {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0); // shorter one padded with zero octets
    if (difference !== 0) return difference;
  }
  return 0;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
