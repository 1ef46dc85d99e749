// Test PDFs for the verifier: plain documents from pdf-lib, true incremental updates
// (xref table or xref stream), and a PAdES B-B signer of our own that can be told to
// misbehave in the ways the published attacks need. Used by tests/helpers/attacks.ts,
// the verifier's unit tests and the benchmark.
import crypto from "node:crypto";
import zlib from "node:zlib";
import * as asn1js from "asn1js";
import pdfLib from "pdf-lib";
import * as pkijs from "pkijs";
import { Budget, DEFAULT_LIMITS } from "../../verify-portal/core/limits";
import { PdfDocument } from "../../verify-portal/core/reader";
import { catalogOf, pagesOf, textOf } from "../../verify-portal/core/structure";
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from "../../verify-portal/core/syntax";
import type { TestIdentity } from "./verify-pki";

const { PDFDocument, StandardFonts, rgb } = pdfLib;

const latin1 = (text: string) => Buffer.from(text, "latin1");

export function concat(...parts: Array<Uint8Array | string>): Uint8Array {
  return new Uint8Array(
    Buffer.concat(parts.map((part) => (typeof part === "string" ? latin1(part) : Buffer.from(part)))),
  );
}

/** A plain invoice-like PDF; `objectStreams` makes pdf-lib write an xref stream. */
export async function makePdf(
  pageCount: number,
  options: { objectStreams?: boolean; title?: string } = {},
): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pageCount; i++) {
    const page = document.addPage([595, 842]);
    page.drawText(options.title ?? "Invoice FV/2026/0001", { x: 50, y: 780, size: 20, font });
    page.drawText(`Amount due: 1 230,00 PLN - page ${i} of ${pageCount}`, {
      x: 50,
      y: 740,
      size: 12,
      font,
      color: rgb(0.1, 0.1, 0.1),
    });
    for (let line = 0; line < 30; line++)
      page.drawText(`Line ${line + 1}: services rendered under the agreement`, {
        x: 50,
        y: 700 - line * 18,
        size: 10,
        font,
      });
  }
  document.setProducer("Signet tests");
  document.setCreationDate(new Date("2026-11-28T10:00:00Z"));
  document.setModificationDate(new Date("2026-11-28T10:00:00Z"));
  return document.save({ useObjectStreams: options.objectStreams ?? false });
}

// ---------------------------------------------------------------- serializing objects

/** Encrypts a string's bytes for the object being written (encrypted files only). */
export type StringEncryptor = (bytes: Uint8Array) => Uint8Array;

export function serialize(value: PdfObject | undefined): string {
  return serializeWith(value);
}

/** serialize, encrypting strings for an encrypted file. */
export function serializeWith(value: PdfObject | undefined, encrypt?: StringEncryptor): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
  if (value instanceof PdfName)
    return (
      "/" + value.name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => "#" + c.charCodeAt(0).toString(16).padStart(2, "0"))
    );
  if (value instanceof PdfString)
    return "<" + Buffer.from(encrypt ? encrypt(value.bytes) : value.bytes).toString("hex") + ">";
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (value instanceof PdfArray) return "[" + value.items.map((item) => serializeWith(item, encrypt)).join(" ") + "]";
  if (value instanceof PdfDict)
    return (
      "<<" +
      [...value.entries]
        .map(([key, item]) => `${serialize(new PdfName(key))} ${serializeWith(item, encrypt)}`)
        .join(" ") +
      ">>"
    );
  if (value instanceof PdfStream) throw new Error("streams are written with writeStream");
  throw new Error("cannot serialize");
}

export function withEntries(
  dict: PdfDict,
  entries: Record<string, PdfObject | string>,
  encrypt?: StringEncryptor,
): string {
  const parts = [...dict.entries]
    .filter(([key]) => !(key in entries))
    .map(([key, item]) => `${serialize(new PdfName(key))} ${serializeWith(item, encrypt)}`);
  for (const [key, item] of Object.entries(entries))
    parts.push(`/${key} ${typeof item === "string" ? item : serializeWith(item, encrypt)}`);
  return "<<" + parts.join(" ") + ">>";
}

/** How to write text strings into object num of `basics`' file: encrypted when the file is. */
export function textWriter(basics: PdfBasics) {
  const decryptor = basics.document.decryptor;
  const encryptFor = (num: number, gen = 0): StringEncryptor | undefined =>
    decryptor ? (bytes) => decryptor.encryptString(bytes, num, gen) : undefined;
  return {
    encryptFor,
    /** A string literal for object num. */
    text: (value: string, num: number, gen = 0): string => {
      const bytes = Buffer.from(value, "latin1");
      if (!decryptor) return `(${value.replace(/[()\\]/g, (c) => `\\${c}`)})`;
      return `<${Buffer.from(decryptor.encryptString(bytes, num, gen)).toString("hex")}>`;
    },
  };
}

// ---------------------------------------------------------------- reading what an update needs

export interface PdfBasics {
  document: PdfDocument;
  trailer: PdfDict;
  root: PdfRef;
  size: number;
  startxref: number;
  catalog: PdfDict;
  pages: Array<{ ref: PdfRef; dict: PdfDict; contents: PdfRef[] }>;
}

export function readBasics(pdf: Uint8Array): PdfBasics {
  const document = PdfDocument.open(pdf, new Budget(DEFAULT_LIMITS));
  const view = document.finalView();
  const trailer = view.trailer!;
  const root = trailer.get("Root") as PdfRef;
  const catalog = catalogOf(view);
  const pages = pagesOf(view, catalog).map((page) => ({ ref: page.ref!, dict: page.dict, contents: page.contents }));
  const last = document.markers[document.markers.length - 1];
  return { document, trailer, root, size: trailer.get("Size") as number, startxref: last.xrefOffset, catalog, pages };
}

// ---------------------------------------------------------------- incremental updates

export interface NewObject {
  num: number;
  gen?: number;
  /** The object body (between "obj" and "endobj"), or a stream. */
  body: string | { dict: string; data: Uint8Array };
}

export interface UpdateOptions {
  /** "table" (default), "stream" (xref stream), or "none" (objects only: no xref, no startxref). */
  xref?: "table" | "stream" | "none";
  /** Extra or replacing trailer entries, serialized. */
  trailer?: Record<string, string>;
  /** Free these object numbers in the new section. */
  free?: number[];
  /** Objects written into the body with no cross-reference entry (shadow content). */
  unlisted?: NewObject[];
  /** Point these object numbers at existing offsets (shadow "re-point" updates). */
  repoint?: Array<{ num: number; gen?: number; offset: number }>;
}

function writeObject(object: NewObject): Uint8Array {
  const header = `${object.num} ${object.gen ?? 0} obj\n`;
  if (typeof object.body === "string") return concat(header, object.body, "\nendobj\n");
  return concat(header, object.body.dict, "\nstream\n", object.body.data, "\nendstream\nendobj\n");
}

/** Appends one revision (ISO 32000-1 §7.5.6) to `pdf`. */
export function appendUpdate(pdf: Uint8Array, objects: NewObject[], options: UpdateOptions = {}): Uint8Array {
  const basics = readBasics(pdf);
  const parts: Uint8Array[] = [pdf];
  let offset = pdf.length;
  const push = (part: Uint8Array | string) => {
    const bytes = typeof part === "string" ? new Uint8Array(latin1(part)) : part;
    parts.push(bytes);
    offset += bytes.length;
  };
  if (pdf[pdf.length - 1] !== 10) push("\n");
  const entries = new Map<number, { type: 0 | 1; offset: number; gen: number }>();
  for (const object of objects) {
    entries.set(object.num, { type: 1, offset, gen: object.gen ?? 0 });
    push(writeObject(object));
  }
  for (const object of options.unlisted ?? []) push(writeObject(object));
  for (const num of options.free ?? []) entries.set(num, { type: 0, offset: 0, gen: 1 });
  for (const target of options.repoint ?? [])
    entries.set(target.num, { type: 1, offset: target.offset, gen: target.gen ?? 0 });
  if (options.xref === "none") return concat(...parts);

  const maxNum = Math.max(basics.size - 1, ...entries.keys());
  const size = maxNum + 1;
  const trailerEntries: Record<string, string> = {
    Size: String(size),
    Root: serialize(basics.root),
    Prev: String(basics.startxref),
  };
  for (const key of ["Info", "ID", "Encrypt"]) {
    const value = basics.trailer.get(key);
    if (value !== undefined) trailerEntries[key] = serialize(value);
  }
  Object.assign(trailerEntries, options.trailer);
  const sorted = [...entries.entries()].sort((a, b) => a[0] - b[0]);

  if ((options.xref ?? "table") === "table") {
    const xrefOffset = offset;
    let table = "xref\n";
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1][0] === sorted[j][0] + 1) j++;
      table += `${sorted[i][0]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        const entry = sorted[k][1];
        table += `${String(entry.offset).padStart(10, "0")} ${String(entry.gen).padStart(5, "0")} ${entry.type === 1 ? "n" : "f"} \n`;
      }
      i = j + 1;
    }
    const trailer =
      "<<" +
      Object.entries(trailerEntries)
        .map(([key, value]) => `/${key} ${value}`)
        .join(" ") +
      ">>";
    push(`${table}trailer\n${trailer}\nstartxref\n${xrefOffset}\n%%EOF\n`);
    return concat(...parts);
  }

  // Cross-reference stream: the stream object itself needs an entry too.
  const xrefNum = size;
  const xrefOffset = offset;
  entries.set(xrefNum, { type: 1, offset: xrefOffset, gen: 0 });
  const all = [...entries.entries()].sort((a, b) => a[0] - b[0]);
  const rows: number[] = [];
  const index: number[] = [];
  for (const [num, entry] of all) {
    if (index.length > 0 && index[index.length - 2] + index[index.length - 1] === num) index[index.length - 1]++;
    else index.push(num, 1);
    rows.push(
      entry.type,
      (entry.offset >>> 24) & 0xff,
      (entry.offset >>> 16) & 0xff,
      (entry.offset >>> 8) & 0xff,
      entry.offset & 0xff,
      (entry.gen >> 8) & 0xff,
      entry.gen & 0xff,
    );
  }
  const data = zlib.deflateSync(Buffer.from(rows));
  trailerEntries.Size = String(xrefNum + 1);
  const dict =
    `<</Type /XRef /W [1 4 2] /Index [${index.join(" ")}] /Filter /FlateDecode /Length ${data.length} ` +
    Object.entries(trailerEntries)
      .map(([key, value]) => `/${key} ${value}`)
      .join(" ") +
    ">>";
  push(writeObject({ num: xrefNum, body: { dict, data } }));
  push(`startxref\n${xrefOffset}\n%%EOF\n`);
  return concat(...parts);
}

// ---------------------------------------------------------------- CMS and signing

export interface CmsOptions {
  /** ETSI.CAdES.detached wants signing-certificate-v2 (default true). */
  signingCertificateV2?: boolean;
  /** Embed this content in the CMS (a forgery: the CMS then signs other bytes). */
  embeddedContent?: Uint8Array;
  /** Sign this digest instead of the real one (a digest that does not match). */
  overrideDigest?: Uint8Array;
  /** Put a signingTime attribute in (B-B does not; some signers do). */
  signingTime?: Date;
  /** The digest algorithm (default SHA-256). */
  digest?: { oid: string; node: string; outputLength?: number };
  /** The signature algorithm and who signs (default RSA PKCS #1 with SHA-256 by node:crypto). */
  signature?: { oid: string; params?: asn1js.AsnType; sign: (toSign: Uint8Array) => Uint8Array };
  /** A signature time-stamp (unsigned attribute): the token for the signature value. */
  timestamp?: (signatureValue: Uint8Array) => Uint8Array;
}

export const DIGEST = {
  sha1: { oid: "1.3.14.3.2.26", node: "sha1" },
  sha256: { oid: "2.16.840.1.101.3.4.2.1", node: "sha256" },
  sha512: { oid: "2.16.840.1.101.3.4.2.3", node: "sha512" },
  sha3_256: { oid: "2.16.840.1.101.3.4.2.8", node: "sha3-256" },
  shake256: { oid: "2.16.840.1.101.3.4.2.12", node: "shake256", outputLength: 64 },
} as const;

/** The digest of the signed bytes, as `options` says it is made. */
export function digestFor(chunks: Uint8Array[], options: CmsOptions = {}): Uint8Array {
  const algorithm = options.digest ?? DIGEST.sha256;
  const hash = crypto.createHash(
    algorithm.node,
    "outputLength" in algorithm ? { outputLength: algorithm.outputLength } : undefined,
  );
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}

export function buildCms(digest: Uint8Array, identity: TestIdentity, options: CmsOptions = {}): Uint8Array {
  const certificate = identity.certificate;
  const attributes = [
    new pkijs.Attribute({
      type: "1.2.840.113549.1.9.3",
      values: [new asn1js.ObjectIdentifier({ value: "1.2.840.113549.1.7.1" })],
    }),
    new pkijs.Attribute({
      type: "1.2.840.113549.1.9.4",
      values: [new asn1js.OctetString({ valueHex: options.overrideDigest ?? digest })],
    }),
  ];
  if (options.signingTime)
    attributes.push(
      new pkijs.Attribute({
        type: "1.2.840.113549.1.9.5",
        values: [new asn1js.UTCTime({ valueDate: options.signingTime })],
      }),
    );
  if (options.signingCertificateV2 ?? true) {
    const certHash = crypto.createHash("sha256").update(identity.certificateDer).digest();
    // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash } ] } (hash algorithm defaults to SHA-256)
    const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] });
    attributes.push(
      new pkijs.Attribute({
        type: "1.2.840.113549.1.9.16.2.47",
        values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })],
      }),
    );
  }
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31; // signed as SET OF (RFC 5652 §5.4)
  const signature = options.signature
    ? options.signature.sign(toSign)
    : crypto.sign("sha256", toSign, identity.privateKey);
  const digestAlgorithm = () =>
    new pkijs.AlgorithmIdentifier({
      algorithmId: (options.digest ?? DIGEST.sha256).oid,
      ...(options.digest && options.digest.oid !== DIGEST.sha256.oid ? {} : { algorithmParams: new asn1js.Null() }),
    });
  const unsignedAttrs = options.timestamp
    ? new pkijs.SignedAndUnsignedAttributes({
        type: 1,
        attributes: [
          new pkijs.Attribute({
            type: "1.2.840.113549.1.9.16.2.14",
            values: [asn1js.fromBER(options.timestamp(new Uint8Array(signature)) as Uint8Array<ArrayBuffer>).result],
          }),
        ],
      })
    : undefined;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: digestAlgorithm(),
    signedAttrs,
    ...(unsignedAttrs ? { unsignedAttrs } : {}),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: options.signature?.oid ?? "1.2.840.113549.1.1.11",
      ...(options.signature
        ? options.signature.params
          ? { algorithmParams: options.signature.params }
          : {}
        : { algorithmParams: new asn1js.Null() }),
    }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const certificates = [
    certificate,
    ...identity.chainDer.map((der) => pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>)),
  ];
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithm()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: "1.2.840.113549.1.7.1",
      ...(options.embeddedContent ? { eContent: new asn1js.OctetString({ valueHex: options.embeddedContent }) } : {}),
    }),
    certificates,
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: "1.2.840.113549.1.7.2",
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

export function pdfDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
}

export interface SignOptions {
  subFilter?: string;
  xref?: "table" | "stream";
  /** Hex digits reserved for the signature. */
  placeholderHexLength?: number;
  signingTime?: Date;
  fieldName?: string;
  cms?: CmsOptions;
  /** Bytes hidden in the gap after the signature object (signature wrapping). */
  gapExtra?: string;
  /** First signed byte (a ByteRange not starting at 0). */
  rangeStart?: number;
  /** Replace the final CMS hex (forgery experiments); receives the real hex. */
  contentsHex?: (realHex: string, placeholderLength: number) => string;
  /** Make the signature value from the signed bytes (another signer: openssl, a TSA). */
  cmsFor?: (signed: Uint8Array[]) => Uint8Array;
  /** A document time-stamp (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161); needs cmsFor. */
  documentTimestamp?: boolean;
  /** A certification signature with this DocMDP permission (/Reference and the catalog's /Perms). */
  docMdp?: 1 | 2 | 3;
  /** FieldMDP: lock these fields (the field's /Lock and the signature's /Reference). */
  lock?: { action: "All" | "Include" | "Exclude"; fields?: string[] };
  /** Name Signet as the signing application (/Prop_Build /App /Name /Signet), as the app's seal does. */
  signet?: boolean;
  /** A visible signature: the widget's rectangle and the content stream of its appearance. */
  visible?: { rect: [number, number, number, number]; appearance: string };
}

/**
 * Signs `pdf` with an incremental update: a signature dictionary, a widget/field on page 1,
 * the catalog with /AcroForm, then fills /ByteRange and /Contents in place.
 */
export function signPdf(pdf: Uint8Array, identity: TestIdentity, options: SignOptions = {}): Uint8Array {
  const basics = readBasics(pdf);
  const { text, encryptFor } = textWriter(basics);
  const page = basics.pages[0];
  const sigNum = basics.size;
  const fieldNum = basics.size + 1;
  const appearanceNum = basics.size + 2;
  const placeholder = options.placeholderHexLength ?? 16384;
  const time = options.signingTime ?? new Date("2026-11-28T12:00:00Z");
  const byteRangePlaceholder = "[0 ********** ********** **********]";
  const references: string[] = [];
  if (options.docMdp)
    references.push(
      `<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P ${options.docMdp} /V /1.2>>>>`,
    );
  const lockFields = options.lock?.fields?.map((name, i) => text(name, fieldNum)).join(" ") ?? "";
  const lockDict = options.lock
    ? `<</Type /TransformParams /Action /${options.lock.action}${options.lock.action === "All" ? "" : ` /Fields [${lockFields}]`} /V /1.2>>`
    : "";
  if (options.lock) references.push(`<</Type /SigRef /TransformMethod /FieldMDP /TransformParams ${lockDict}>>`);
  const sigBody = options.documentTimestamp
    ? `<</Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 ` +
      `/ByteRange ${byteRangePlaceholder} /Contents <${"0".repeat(placeholder)}>>>`
    : `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /${options.subFilter ?? "ETSI.CAdES.detached"} ` +
      `/ByteRange ${byteRangePlaceholder} /Contents <${"0".repeat(placeholder)}> ` +
      `/M ${text(pdfDate(time), sigNum)} /Name ${text(identity.name, sigNum)} /Reason ${text("Sealed by Signet", sigNum)}` +
      `${references.length ? ` /Reference [${references.join(" ")}]` : ""}` +
      `${options.signet ? " /Prop_Build <</App <</Name /Signet>>>>" : ""}>>`;

  // Existing fields and annotations are kept.
  const view = basics.document.finalView();
  const acroForm = view.dict(basics.catalog.get("AcroForm"));
  const fields = acroForm ? view.resolve(acroForm.get("Fields")) : undefined;
  const fieldRefs = fields instanceof PdfArray ? fields.items.map((item) => serialize(item)).join(" ") + " " : "";
  const annots = view.resolve(page.dict.get("Annots"));
  const annotRefs = annots instanceof PdfArray ? annots.items.map((item) => serialize(item)).join(" ") + " " : "";

  const rect = options.visible?.rect ?? [0, 0, 0, 0];
  const fieldName = options.fieldName ?? `Signature${sigNum}`;
  // The form: an indirect /AcroForm is updated in place, a direct one (or none) in the catalog.
  const acroFormValue = basics.catalog.get("AcroForm");
  const fieldsValue = `[${fieldRefs}${fieldNum} 0 R]`;
  const catalogEntries: Record<string, string> = {};
  const formObjects: NewObject[] = [];
  if (acroFormValue instanceof PdfRef && acroForm)
    formObjects.push({
      num: acroFormValue.num,
      gen: acroFormValue.gen,
      body: withEntries(
        acroForm,
        { Fields: fieldsValue, SigFlags: "3" },
        encryptFor(acroFormValue.num, acroFormValue.gen),
      ),
    });
  else
    catalogEntries.AcroForm = acroForm
      ? withEntries(acroForm, { Fields: fieldsValue, SigFlags: "3" }, encryptFor(basics.root.num, basics.root.gen))
      : `<</Fields ${fieldsValue} /SigFlags 3>>`;
  if (options.docMdp) catalogEntries.Perms = `<</DocMDP ${sigNum} 0 R>>`;
  const objects: NewObject[] = [
    ...formObjects,
    { num: sigNum, body: sigBody },
    {
      num: fieldNum,
      body:
        `<</Type /Annot /Subtype /Widget /FT /Sig /T ${text(fieldName, fieldNum)} /V ${sigNum} 0 R /F ${options.visible ? 4 : 132} ` +
        `/Rect [${rect.join(" ")}] /P ${serialize(page.ref)}` +
        `${options.lock ? ` /Lock ${lockDict}` : ""}${options.visible ? ` /AP <</N ${appearanceNum} 0 R>>` : ""}>>`,
    },
    ...(Object.keys(catalogEntries).length > 0
      ? [
          {
            num: basics.root.num,
            gen: basics.root.gen,
            body: withEntries(basics.catalog, catalogEntries, encryptFor(basics.root.num, basics.root.gen)),
          },
        ]
      : []),
    {
      num: page.ref.num,
      gen: page.ref.gen,
      body: withEntries(page.dict, { Annots: `[${annotRefs}${fieldNum} 0 R]` }, encryptFor(page.ref.num, page.ref.gen)),
    },
  ];
  if (options.visible) {
    const data = new Uint8Array(Buffer.from(options.visible.appearance, "latin1"));
    const [x1, y1, x2, y2] = rect;
    objects.push({
      num: appearanceNum,
      body: {
        dict: `<</Type /XObject /Subtype /Form /BBox [0 0 ${x2 - x1} ${y2 - y1}] /Length ${encryptedLength(basics, data, appearanceNum)}>>`,
        data: encryptStream(basics, data, appearanceNum),
      },
    });
  }
  let file = appendUpdate(pdf, objects, { xref: options.xref ?? "table" });
  if (options.gapExtra) {
    // Hide bytes right after the signature object, inside the unsigned gap.
    const marker = Buffer.from(file).indexOf(`${sigNum} 0 obj`, pdf.length);
    const objectEnd = Buffer.from(file).indexOf("endobj\n", marker) + "endobj\n".length;
    file = shiftAfter(file, objectEnd, options.gapExtra);
  }
  return fillSignature(file, pdf.length, identity, options, options.gapExtra?.length ?? 0);
}

/** Stream data as an encrypted file stores it (tests write unfiltered streams). */
function encryptStream(basics: PdfBasics, data: Uint8Array, num: number, gen = 0): Uint8Array {
  const decryptor = basics.document.decryptor;
  return decryptor ? decryptor.encryptString(data, num, gen) : data;
}

function encryptedLength(basics: PdfBasics, data: Uint8Array, num: number): number {
  return basics.document.decryptor ? encryptStream(basics, data, num).length : data.length;
}

/** Inserts text at `at` and fixes the offsets in the (single, last) xref table after it. */
function shiftAfter(file: Uint8Array, at: number, text: string): Uint8Array {
  const delta = text.length;
  const source = Buffer.from(file).toString("latin1");
  let out = source.slice(0, at) + text + source.slice(at);
  const xrefAt = out.lastIndexOf("\nxref\n") + 1;
  const head = out.slice(0, xrefAt);
  let tail = out.slice(xrefAt);
  tail = tail.replace(/^(\d{10}) (\d{5}) n/gm, (line, offset: string, gen: string) => {
    const value = Number(offset);
    return value >= at ? `${String(value + delta).padStart(10, "0")} ${gen} n` : line;
  });
  tail = tail.replace(
    /startxref\n(\d+)\n%%EOF\n$/,
    (_, offset: string) => `startxref\n${Number(offset) + delta}\n%%EOF\n`,
  );
  out = head + tail;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

function fillSignature(
  file: Uint8Array,
  searchFrom: number,
  identity: TestIdentity,
  options: SignOptions,
  gapExtra: number,
): Uint8Array {
  const buffer = Buffer.from(file);
  const rangeAt = buffer.indexOf("/ByteRange [0 **********", searchFrom);
  const contentsAt = buffer.indexOf("/Contents <", rangeAt) + "/Contents ".length;
  const contentsEnd = buffer.indexOf(">", contentsAt) + 1;
  const gapEnd = contentsEnd + gapExtra + (gapExtra ? buffer.indexOf("endobj\n", contentsEnd) + 7 - contentsEnd : 0);
  const start = options.rangeStart ?? 0;
  const range = [start, contentsAt - start, gapEnd, file.length - gapEnd];
  // Same width as the placeholder "[0 ********** …]" so no offset moves.
  const rangeText = `[${range.map((n, i) => (i === 0 ? String(n) : String(n).padEnd(i === 1 ? 11 - String(start).length : 10, " "))).join(" ")}]`;
  buffer.write(rangeText, rangeAt + "/ByteRange ".length, "latin1");
  const digest = digestFor([buffer.subarray(start, contentsAt), buffer.subarray(gapEnd)], options.cms);
  const cms = options.cmsFor
    ? options.cmsFor([buffer.subarray(start, contentsAt), buffer.subarray(gapEnd)])
    : buildCms(digest, identity, options.cms);
  const placeholder = contentsEnd - contentsAt - 2;
  let hex = Buffer.from(cms).toString("hex").padEnd(placeholder, "0");
  if (options.contentsHex) hex = options.contentsHex(hex, placeholder);
  if (hex.length > placeholder)
    throw new Error(`signature (${hex.length} hex digits) does not fit the placeholder (${placeholder})`);
  buffer.write(hex.padEnd(placeholder, "0"), contentsAt + 1, "latin1");
  return new Uint8Array(buffer);
}

// ---------------------------------------------------------------- updates after signing

export interface DssContents {
  certificates?: Uint8Array[];
  crls?: Uint8Array[];
  ocsps?: Uint8Array[];
  /** Signature values (DER) to index in /VRI by the SHA-1 of each. */
  signatures?: Uint8Array[];
}

/**
 * Appends a long-term validation update (PAdES B-LT): a /DSS with the certificates, CRLs
 * and OCSP responses as streams, /VRI entries, and the catalog's /DSS and /Extensions.
 * `extra` objects go into the same revision (to test what may not hide in one).
 */
export function addDss(
  pdf: Uint8Array,
  contents: DssContents,
  options: { xref?: "table" | "stream"; extra?: NewObject[] } = {},
): Uint8Array {
  const basics = readBasics(pdf);
  const { encryptFor } = textWriter(basics);
  let next = basics.size + Math.max(0, ...(options.extra ?? []).map((object) => object.num - basics.size + 1));
  const objects: NewObject[] = [...(options.extra ?? [])];
  const streams = (items: Uint8Array[] = []) =>
    items.map((data) => {
      const num = next++;
      const stored = basics.document.decryptor ? basics.document.decryptor.encryptString(data, num, 0) : data;
      objects.push({ num, body: { dict: `<</Length ${stored.length}>>`, data: stored } });
      return `${num} 0 R`;
    });
  const certs = streams(contents.certificates);
  const crls = streams(contents.crls);
  const ocsps = streams(contents.ocsps);
  const vri = (contents.signatures ?? [])
    .map((value) => {
      const key = crypto.createHash("sha1").update(value).digest("hex").toUpperCase();
      return `/${key} <</Cert [${certs.join(" ")}]${crls.length ? ` /CRL [${crls.join(" ")}]` : ""}>>`;
    })
    .join(" ");
  const dssNum = next++;
  objects.push({
    num: dssNum,
    body:
      `<</Type /DSS${certs.length ? ` /Certs [${certs.join(" ")}]` : ""}${crls.length ? ` /CRLs [${crls.join(" ")}]` : ""}` +
      `${ocsps.length ? ` /OCSPs [${ocsps.join(" ")}]` : ""}${vri ? ` /VRI <<${vri}>>` : ""}>>`,
  });
  objects.push({
    num: basics.root.num,
    gen: basics.root.gen,
    body: withEntries(
      basics.catalog,
      { DSS: `${dssNum} 0 R`, Extensions: "<</ESIC <</BaseVersion /1.7 /ExtensionLevel 5>>>>" },
      encryptFor(basics.root.num, basics.root.gen),
    ),
  });
  return appendUpdate(pdf, objects, { xref: options.xref ?? "table" });
}

/** The DER signature value of the last signature in the file (for /VRI). */
export function lastSignatureValue(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString("latin1");
  const at = text.lastIndexOf("/Contents <");
  const hex = text.slice(at + "/Contents <".length, text.indexOf(">", at)).replace(/(00)+$/, "");
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/**
 * Fills a text field as a viewer does: the field's /V, and each widget's /AP with a new
 * appearance stream showing the value.
 */
export function fillTextField(pdf: Uint8Array, fieldName: string, value: string): Uint8Array {
  const basics = readBasics(pdf);
  const { text, encryptFor } = textWriter(basics);
  const view = basics.document.finalView();
  const acroForm = view.dict(basics.catalog.get("AcroForm"));
  const fields = acroForm ? view.resolve(acroForm.get("Fields")) : undefined;
  const ref =
    fields instanceof PdfArray
      ? fields.items.find((item): item is PdfRef => {
          const dict = view.dict(item);
          const name = dict?.get("T");
          return item instanceof PdfRef && textOf(name) === fieldName;
        })
      : undefined;
  if (!ref) throw new Error(`no field ${fieldName}`);
  const field = view.dict(ref)!;
  const kids = view.resolve(field.get("Kids"));
  const widgets =
    kids instanceof PdfArray ? kids.items.filter((item): item is PdfRef => item instanceof PdfRef) : [ref];
  let next = basics.size;
  const objects: NewObject[] = [];
  const appearance = (widget: PdfDict) => {
    const rect = view.resolve(widget.get("Rect"));
    const [x1, y1, x2, y2] = rect instanceof PdfArray ? (rect.items as number[]) : [0, 0, 100, 20];
    const data = new Uint8Array(Buffer.from(`/Tx BMC BT /Helv 12 Tf 2 6 Td (${value}) Tj ET EMC`, "latin1"));
    const num = next++;
    const stored = basics.document.decryptor ? basics.document.decryptor.encryptString(data, num, 0) : data;
    objects.push({
      num,
      body: {
        dict: `<</Type /XObject /Subtype /Form /BBox [0 0 ${x2 - x1} ${y2 - y1}] /Length ${stored.length}>>`,
        data: stored,
      },
    });
    return `<</N ${num} 0 R>>`;
  };
  if (widgets.length === 1 && widgets[0] === ref) {
    objects.push({
      num: ref.num,
      gen: ref.gen,
      body: withEntries(
        field,
        { V: text(value, ref.num, ref.gen), AP: appearance(field) },
        encryptFor(ref.num, ref.gen),
      ),
    });
  } else {
    objects.push({
      num: ref.num,
      gen: ref.gen,
      body: withEntries(field, { V: text(value, ref.num, ref.gen) }, encryptFor(ref.num, ref.gen)),
    });
    for (const widgetRef of widgets) {
      const widget = view.dict(widgetRef)!;
      objects.push({
        num: widgetRef.num,
        gen: widgetRef.gen,
        body: withEntries(widget, { AP: appearance(widget) }, encryptFor(widgetRef.num, widgetRef.gen)),
      });
    }
  }
  return appendUpdate(pdf, objects);
}

/**
 * A plain PDF with `pageCount` pages, written directly (pdf-lib is slow at this size): a
 * large, legitimate file that takes the verifier a while, for load tests.
 */
export function makeLargePdf(pageCount: number): Uint8Array {
  const parts: string[] = ["%PDF-1.7\n"];
  const offsets: number[] = [0];
  let length = parts[0].length;
  const object = (num: number, body: string) => {
    offsets[num] = length;
    const text = `${num} 0 obj\n${body}\nendobj\n`;
    parts.push(text);
    length += text.length;
  };
  const kids: string[] = [];
  for (let i = 0; i < pageCount; i++) kids.push(`${3 + 2 * i} 0 R`);
  object(1, "<</Type /Catalog /Pages 2 0 R>>");
  object(2, `<</Type /Pages /Kids [${kids.join(" ")}] /Count ${pageCount}>>`);
  const content = "BT /F1 12 Tf 50 750 Td (Page) Tj ET";
  for (let i = 0; i < pageCount; i++) {
    object(3 + 2 * i, `<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + 2 * i} 0 R>>`);
    object(4 + 2 * i, `<</Length ${content.length}>>\nstream\n${content}\nendstream`);
  }
  const size = 3 + 2 * pageCount;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let num = 1; num < size; num++) xref += `${String(offsets[num]).padStart(10, "0")} 00000 n \n`;
  parts.push(`${xref}trailer\n<</Size ${size} /Root 1 0 R>>\nstartxref\n${length}\n%%EOF\n`);
  return new Uint8Array(Buffer.from(parts.join(""), "latin1"));
}
