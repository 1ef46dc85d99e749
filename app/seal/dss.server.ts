// The Document Security Store (ISO 32000-2 12.8.4.3, ETSI EN 319 142-1 5.4): certificates
// and CRLs in the file itself, so the seal and its time-stamps can be checked offline
// after their certificates expire. Added as an incremental update after the last signature
// (its bytes untouched); a later update (seal:renew) merges into the existing store.
import crypto from "node:crypto";
import type { PDFArray as PDFArrayType, PDFDict as PDFDictType, PDFRef as PDFRefType } from "pdf-lib";
import * as asn1js from "asn1js";
import pdfLib from "pdf-lib";
import { IncrementalUpdate } from "./incremental.server";
import { pdfDate } from "./placeholder.server";

const { PDFArray, PDFDict, PDFName, PDFRef, PDFHexString, PDFString, PDFRawStream, PDFNumber } = pdfLib;

export interface SignatureInFile {
  /** The decoded /Contents (CMS or time-stamp token, with its zero padding). */
  contents: Buffer;
  byteRange: [number, number, number, number];
  subFilter: string;
}

/** The file's signatures (seal and document time-stamps), in the order their ByteRanges end. */
export async function signaturesIn(pdf: Buffer): Promise<SignatureInFile[]> {
  return listSignatures(await IncrementalUpdate.open(pdf));
}

function listSignatures(update: IncrementalUpdate): SignatureInFile[] {
  const { catalog } = update;
  const acroForm = catalog.lookupMaybe(PDFName.of("AcroForm"), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of("Fields"), PDFArray);
  const found: SignatureInFile[] = [];
  for (let index = 0; index < (fields?.size() ?? 0); index++) {
    const field = fields!.lookupMaybe(index, PDFDict);
    if (field?.get(PDFName.of("FT"))?.toString() !== "/Sig") continue;
    const value = field.lookupMaybe(PDFName.of("V"), PDFDict);
    const contents = value?.get(PDFName.of("Contents"));
    const byteRange = value?.lookupMaybe(PDFName.of("ByteRange"), PDFArray);
    if (!value || !(contents instanceof PDFHexString || contents instanceof PDFString) || !byteRange) continue;
    const numbers = byteRange.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : Number.NaN));
    if (numbers.length !== 4 || numbers.some((number) => !Number.isInteger(number))) continue;
    found.push({
      contents: Buffer.from(contents.asBytes()),
      byteRange: numbers as SignatureInFile["byteRange"],
      subFilter: value.get(PDFName.of("SubFilter"))?.toString().slice(1) ?? "",
    });
  }
  return found.sort((a, b) => a.byteRange[2] + a.byteRange[3] - (b.byteRange[2] + b.byteRange[3]));
}

/**
 * The /VRI key of a signature: upper-case hex SHA-1 of its /Contents bytes as stored (for
 * CAdES, padding included, as iText and EU DSS compute it; for an RFC 3161 token, of the
 * token's DER without padding).
 */
export function vriKey(signature: SignatureInFile) {
  let bytes = signature.contents;
  if (signature.subFilter === "ETSI.RFC3161") bytes = bytes.subarray(0, derLength(bytes));
  return crypto.createHash("sha1").update(bytes).digest("hex").toUpperCase();
}

export interface DssEntry {
  /** The signature the data is for (its VRI entry). */
  signature: SignatureInFile;
  certificates: Buffer[];
  crls: Buffer[];
}

/** Appends (or extends) the DSS with `entries`; returns the file with the update after it. */
export async function addDss(pdf: Buffer, entries: DssEntry[], time = new Date()): Promise<Buffer> {
  const update = await IncrementalUpdate.open(pdf);
  const { context, catalog, rootRef } = update;
  const existing = catalog.lookupMaybe(PDFName.of("DSS"), PDFDict);
  const existingRef = catalog.get(PDFName.of("DSS"));
  const dss = existing ?? context.obj({});

  // Streams already in the store, by content: a certificate is stored once.
  const stored = new Map<string, PDFRefType>();
  for (const key of ["Certs", "CRLs", "OCSPs"]) {
    const array = dss.lookupMaybe(PDFName.of(key), PDFArray);
    for (let index = 0; index < (array?.size() ?? 0); index++) {
      const ref = array!.get(index);
      const stream = ref instanceof PDFRef ? context.lookup(ref) : undefined;
      if (stream instanceof PDFRawStream && ref instanceof PDFRef) stored.set(digest(stream.getContents()), ref);
    }
  }
  const arrayOf = (dict: PDFDictType, key: string) => {
    const current = dict.lookupMaybe(PDFName.of(key), PDFArray);
    const array = context.obj([]);
    for (let index = 0; index < (current?.size() ?? 0); index++) array.push(current!.get(index));
    dict.set(PDFName.of(key), array);
    return array;
  };
  const certs = arrayOf(dss, "Certs");
  const crls = arrayOf(dss, "CRLs");
  const vri = dss.lookupMaybe(PDFName.of("VRI"), PDFDict) ?? context.obj({});
  dss.set(PDFName.of("VRI"), vri);

  const streamFor = (der: Buffer, into: PDFArrayType) => {
    const key = digest(der);
    let ref = stored.get(key);
    if (!ref) {
      ref = update.addStream(der);
      stored.set(key, ref);
      into.push(ref);
    }
    return ref;
  };
  for (const entry of entries) {
    const certificateRefs = entry.certificates.map((der) => streamFor(der, certs));
    const crlRefs = entry.crls.map((der) => streamFor(der, crls));
    vri.set(
      PDFName.of(vriKey(entry.signature)),
      context.obj({
        Cert: certificateRefs,
        ...(crlRefs.length ? { CRL: crlRefs } : {}),
        TU: PDFString.of(pdfDate(time)),
      }),
    );
  }
  if (crls.size() === 0) dss.delete(PDFName.of("CRLs"));

  const dssRef = existingRef instanceof PDFRef ? existingRef : update.allocate();
  update.write(dssRef, dss);
  catalog.set(PDFName.of("DSS"), dssRef);
  // ETSI EN 319 142-1 / ISO 32000 extension level for the DSS in a PDF 1.7 file.
  if (!catalog.get(PDFName.of("Extensions"))) {
    catalog.set(PDFName.of("Extensions"), context.obj({ ESIC: { BaseVersion: PDFName.of("1.7"), ExtensionLevel: 5 } }));
  }
  update.write(rootRef, catalog);
  return update.finish();
}

function digest(bytes: Uint8Array) {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** Length of the DER element at the start of `bytes` (the rest is /Contents padding). */
function derLength(bytes: Buffer): number {
  const { offset } = asn1js.fromBER(new Uint8Array(bytes));
  return offset > 0 ? offset : bytes.length;
}
