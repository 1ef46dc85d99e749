// A DEVELOPMENT-ONLY RFC 3161 time-stamping authority: its own CA and TSA certificate
// (named "not for production"), kept in a directory so a restart keeps the same keys, and
// a CRL for its TSA certificate. The demo (DEV_TSA=1) and the tests use it so that seals
// are PAdES B-LTA with nothing configured; a real installation sets TSA_URL to a real TSA.
// Everything is built with pkijs/asn1js and signed with node:crypto.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import {
  addYears,
  derToPem,
  distinguishedName,
  extensions,
  generateRsaKeyPair,
  issueCertificate,
  keyIdentifier,
  parseCertificate,
  rsaSha256Algorithm,
  sha256,
  toArrayBuffer,
} from "../app/seal/certificates.server";
import { CMS_OID, compareDerSetElements, signingCertificateV2Attribute } from "../app/seal/cms.server";
import { issueCrl } from "../app/seal/crl.server";

/** A policy OID of our own (UUID arc 2.25): "Signet development time-stamps, no assurance". */
export const DEVELOPMENT_POLICY = "2.25.169396372735373427934302349614387166061";

const FILES = { ca: "ca.pem", caKey: "ca.key.pem", tsa: "tsa.pem", tsaKey: "tsa.key.pem", meta: "meta.json" };
const ORGANIZATION = "Signet DEVELOPMENT ONLY";

export interface DevelopmentTsaOptions {
  /** Where the TSA certificate says its CRL is; changes re-issue the TSA certificate. */
  crlUrl?: string;
  /** Tests only: the TSA certificate's extended key usage (default: timeStamping, critical). */
  extendedKeyUsage?: string[];
}

/** Tests only: what to get wrong in an answer. */
export interface TokenOverrides {
  nonce?: Buffer | null;
  hashedMessage?: Buffer;
  genTime?: Date;
  status?: number;
}

export class DevelopmentTsa {
  private constructor(
    readonly caCertificate: Buffer,
    private readonly caKey: crypto.KeyObject,
    readonly certificate: Buffer,
    private readonly key: crypto.KeyObject,
  ) {}

  get caPem() {
    return derToPem(this.caCertificate);
  }

  /** The TSA certificate and its CA, as tokens carry them. */
  get chain() {
    return [this.certificate, this.caCertificate];
  }

  /** Opens (or creates) the authority kept in `dir`. */
  static async open(dir: string, options: DevelopmentTsaOptions = {}): Promise<DevelopmentTsa> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = (name: string) => path.join(dir, name);
    let ca: { der: Buffer; key: crypto.KeyObject };
    try {
      ca = {
        der: new crypto.X509Certificate(await fs.readFile(file(FILES.ca))).raw,
        key: crypto.createPrivateKey(await fs.readFile(file(FILES.caKey), "utf8")),
      };
    } catch {
      ca = await createCa();
      await fs.writeFile(file(FILES.caKey), pkcs8(ca.key), { mode: 0o600 });
      await fs.writeFile(file(FILES.ca), derToPem(ca.der));
    }
    const wanted = JSON.stringify({ crlUrl: options.crlUrl ?? null, eku: options.extendedKeyUsage ?? null });
    const meta = await fs.readFile(file(FILES.meta), "utf8").catch(() => "");
    let tsa: { der: Buffer; key: crypto.KeyObject } | undefined;
    if (meta === wanted) {
      try {
        tsa = {
          der: new crypto.X509Certificate(await fs.readFile(file(FILES.tsa))).raw,
          key: crypto.createPrivateKey(await fs.readFile(file(FILES.tsaKey), "utf8")),
        };
      } catch {
        tsa = undefined;
      }
    }
    if (!tsa) {
      tsa = await createTsaCertificate(ca, options);
      await fs.writeFile(file(FILES.tsaKey), pkcs8(tsa.key), { mode: 0o600 });
      await fs.writeFile(file(FILES.tsa), derToPem(tsa.der));
      await fs.writeFile(file(FILES.meta), wanted);
    }
    return new DevelopmentTsa(ca.der, ca.key, tsa.der, tsa.key);
  }

  /** The answer (a DER TimeStampResp) to a DER TimeStampReq. */
  respond(requestDer: Uint8Array, overrides: TokenOverrides = {}): Buffer {
    let request: pkijs.TimeStampReq;
    try {
      request = pkijs.TimeStampReq.fromBER(new Uint8Array(requestDer));
    } catch {
      return rejection(2, "badDataFormat", 5);
    }
    const algorithm = request.messageImprint.hashAlgorithm.algorithmId;
    const lengths: Record<string, number> = { [CMS_OID.sha256]: 32, [CMS_OID.sha384]: 48, [CMS_OID.sha512]: 64 };
    if (
      request.version !== 1 ||
      lengths[algorithm] !== request.messageImprint.hashedMessage.valueBlock.valueHexView.length
    ) {
      return rejection(2, "unsupported hash algorithm or imprint", 0);
    }
    if (request.reqPolicy && request.reqPolicy !== DEVELOPMENT_POLICY) return rejection(2, "unaccepted policy", 15);
    if (overrides.status !== undefined && overrides.status > 1)
      return rejection(overrides.status, "refused (test)", 25);
    const token = this.token(request, overrides);
    return Buffer.from(
      new asn1js.Sequence({
        value: [new pkijs.PKIStatusInfo({ status: overrides.status ?? 0 }).toSchema(), token],
      }).toBER(),
    );
  }

  /** A fresh CRL for the TSA certificate (nothing revoked), valid for a day. */
  crl(now = new Date()): Buffer {
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    return issueCrl({
      issuerDer: this.caCertificate,
      issuerPrivateKey: this.caKey,
      revoked: [],
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + 24 * 3600 * 1000),
    });
  }

  private token(request: pkijs.TimeStampReq, overrides: TokenOverrides): asn1js.Sequence {
    const genTime = overrides.genTime ?? new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds, accuracy 1 s
    const imprint = overrides.hashedMessage
      ? new pkijs.MessageImprint({
          hashAlgorithm: request.messageImprint.hashAlgorithm,
          hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(overrides.hashedMessage) }),
        })
      : request.messageImprint;
    const nonce =
      overrides.nonce === null
        ? undefined
        : overrides.nonce
          ? new asn1js.Integer({ valueHex: toArrayBuffer(overrides.nonce) })
          : request.nonce;
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: DEVELOPMENT_POLICY,
      messageImprint: imprint,
      serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(positive(crypto.randomBytes(16))) }),
      genTime,
      accuracy: new pkijs.Accuracy({ seconds: 1 }),
      ...(nonce ? { nonce } : {}),
    });
    const tstInfoDer = Buffer.from(tstInfo.toSchema().toBER());

    const certificate = parseCertificate(this.certificate);
    const attributes = [
      new pkijs.Attribute({
        type: CMS_OID.contentType,
        values: [new asn1js.ObjectIdentifier({ value: CMS_OID.tstInfo })],
      }),
      new pkijs.Attribute({
        type: CMS_OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(tstInfoDer)) })],
      }),
      signingCertificateV2Attribute(this.certificate),
    ]
      .map((attribute) => ({ attribute, der: Buffer.from(attribute.toSchema().toBER()) }))
      .sort((a, b) => compareDerSetElements(a.der, b.der));
    const signedSet = new asn1js.Set({ value: attributes.map(({ attribute }) => attribute.toSchema()) }).toBER();
    const signature = crypto.sign("sha256", Buffer.from(signedSet), this.key);

    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: attributes.map(({ attribute }) => attribute),
      }),
      signatureAlgorithm: rsaSha256Algorithm(),
      signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    });
    // Assigned after construction: pkijs' constructor would split the content into a
    // constructed (BER) OCTET STRING.
    const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.tstInfo });
    encapContentInfo.eContent = new asn1js.OctetString({ valueHex: toArrayBuffer(tstInfoDer) });
    const signedData = new pkijs.SignedData({
      version: 3,
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 })],
      encapContentInfo,
      signerInfos: [signerInfo],
      ...(request.certReq ? { certificates: this.chain.map((der) => parseCertificate(der)) } : {}),
    });
    return new pkijs.ContentInfo({
      contentType: CMS_OID.signedData,
      content: signedData.toSchema(),
    }).toSchema() as asn1js.Sequence;
  }
}

function rejection(status: number, text: string, failBit: number): Buffer {
  const failInfo = new Uint8Array(4);
  failInfo[failBit >> 3] |= 0x80 >> (failBit & 7);
  return Buffer.from(
    new asn1js.Sequence({
      value: [
        new pkijs.PKIStatusInfo({
          status,
          statusStrings: [new asn1js.Utf8String({ value: text })],
          failInfo: new asn1js.BitString({ valueHex: failInfo.buffer, unusedBits: 0 }),
        }).toSchema(),
      ],
    }).toBER(),
  );
}

async function createCa() {
  const keys = await generateRsaKeyPair(2048);
  const name = distinguishedName({
    organization: ORGANIZATION,
    organizationalUnit: "not for production",
    commonName: "Signet development TSA CA (not for production)",
  });
  const notBefore = new Date(Date.now() - 3600_000);
  const der = issueCertificate({
    subject: name,
    issuer: name,
    subjectPublicKey: keys.publicKey,
    issuerPrivateKey: keys.privateKey,
    notBefore,
    notAfter: addYears(notBefore, 10),
    extensions: extensions.ca(keyIdentifier(keys.publicKey)),
  });
  return { der, key: keys.privateKey };
}

async function createTsaCertificate(ca: { der: Buffer; key: crypto.KeyObject }, options: DevelopmentTsaOptions) {
  const keys = await generateRsaKeyPair(2048);
  const caCertificate = new crypto.X509Certificate(ca.der);
  const notBefore = new Date(Date.now() - 3600_000);
  const der = issueCertificate({
    subject: distinguishedName({
      organization: ORGANIZATION,
      organizationalUnit: "not for production",
      commonName: "Signet development TSA (not for production)",
    }),
    issuer: parseCertificate(ca.der).subject,
    subjectPublicKey: keys.publicKey,
    issuerPrivateKey: ca.key,
    notBefore,
    notAfter: addYears(notBefore, 5),
    extensions: [
      ...extensions.leaf(keyIdentifier(keys.publicKey), keyIdentifier(caCertificate.publicKey)),
      extensions.timeStampingOnly(options.extendedKeyUsage),
      ...(options.crlUrl ? [extensions.crlDistributionPoint(options.crlUrl)] : []),
    ],
  });
  return { der, key: keys.privateKey };
}

function pkcs8(key: crypto.KeyObject) {
  return key.export({ type: "pkcs8", format: "pem" }) as string;
}

function positive(bytes: Buffer) {
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes;
}
