// A CAdES (PAdES baseline B-B) detached CMS signer for @signpdf: pkijs/asn1js
// encode the parts, node:crypto signs. @signpdf's P12Signer does not fit:
// no signing-certificate-v2, a signingTime attribute B-B forbids, one sign()
// per instance, and ~50 ms of JavaScript RSA (see CONVENTIONS.md).
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { Signer } from "@signpdf/utils";
import { CMS_OID, compareDerSetElements, signingCertificateV2Attribute } from "./cms.server";
import type { SealIdentity } from "./keys.server";

export { CMS_OID } from "./cms.server";

/** Asks a time-stamping authority for a token over the signature value; returns the token's DER. */
export type SignatureTimestamper = (signatureValue: Buffer) => Promise<Buffer>;

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
      encode(signingCertificateV2Attribute(identity.chain[0]).toSchema()),
    ];
    // The chain as it came, seal certificate first: byte-exact, never re-encoded.
    this.#certificates = Buffer.concat(identity.chain);
  }

  /** `signingTime` is ignored on purpose: B-B puts the time in the signature dictionary's /M only. */
  async sign(pdfBuffer: Buffer, _signingTime?: Date): Promise<Buffer> {
    return this.signDetached(pdfBuffer);
  }

  /** Synchronous core, for callers outside @signpdf: DER ContentInfo holding a detached SignedData (B-B). */
  signDetached(content: Uint8Array): Buffer {
    const { attributes, signature } = this.#sign(content);
    return this.#assemble(attributes, signature);
  }

  /**
   * PAdES B-T: the same signature plus a signature time-stamp token (RFC 3161, over the
   * signature value) as the unsigned attribute id-aa-signatureTimeStampToken. The token's
   * bytes go in as received: re-encoding them could break the TSA's signature.
   */
  async signDetachedWithTimestamp(content: Uint8Array, timestamp: SignatureTimestamper): Promise<Buffer> {
    const { attributes, signature } = this.#sign(content);
    const token = await timestamp(signature);
    const attribute = tlv(0x30, SIGNATURE_TIME_STAMP_TOKEN, tlv(0x31, token));
    return this.#assemble(attributes, signature, tlv(0xa1, attribute));
  }

  #sign(content: Uint8Array) {
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
    return { attributes, signature };
  }

  #assemble(attributes: Buffer[], signature: Buffer, unsignedAttributes?: Buffer): Buffer {
    const signerInfo = tlv(
      0x30,
      INTEGER_1,
      this.#signerIdentifier,
      this.#digestAlgorithm,
      tlv(0xa0, ...attributes),
      this.#signatureAlgorithm,
      tlv(0x04, signature),
      ...(unsignedAttributes ? [unsignedAttributes] : []),
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
const SIGNATURE_TIME_STAMP_TOKEN = encode(new asn1js.ObjectIdentifier({ value: CMS_OID.signatureTimeStampToken }));

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

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
