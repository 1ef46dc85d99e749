// Adds an empty signature to a finished PDF as an incremental update (incremental.server.ts):
// an invisible widget on page 1 merged with its signature field, in the document's AcroForm,
// and a signature dictionary whose /ByteRange and /Contents @signpdf fills in. Two kinds:
// the seal (PAdES, ETSI.CAdES.detached) and a document time-stamp (ETSI.RFC3161, B-LTA).
import type { PDFDict as PDFDictType } from "pdf-lib";
import pdfLib from "pdf-lib";
import { IncrementalUpdate } from "./incremental.server";

const { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFString, PDFHexString } = pdfLib;

/** What @signpdf/signpdf looks for and fills in. */
export const BYTE_RANGE_PLACEHOLDER = "/ByteRange [0 /********** /********** /**********]";

export interface SignatureFields {
  reason: string;
  name: string;
  location?: string;
  contactInfo?: string;
  signingTime: Date;
  /** Bytes reserved for the DER CMS (the /Contents hex string is twice as long). */
  signatureLength: number;
}

const SEAL_FIELD_NAME = "Signet seal";
const TIMESTAMP_FIELD_NAME = "Signet time-stamp";
// Print (4) + Locked (128): shown when printed, not movable or deletable in a viewer.
const WIDGET_FLAGS = 132;
// SignaturesExist (1) + AppendOnly (2): viewers must save changes incrementally.
const SIG_FLAGS = 3;

/** The seal's signature placeholder (PAdES baseline, time in /M). */
export async function addSignaturePlaceholder(pdf: Buffer, fields: SignatureFields): Promise<Buffer> {
  // Written by hand: @signpdf finds the ByteRange placeholder and the /Contents
  // right after it by searching the bytes.
  const dictionary = [
    "<<",
    "/Type /Sig",
    "/Filter /Adobe.PPKLite",
    "/SubFilter /ETSI.CAdES.detached",
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${"0".repeat(fields.signatureLength * 2)}>`,
    `/M ${pdfText(pdfDate(fields.signingTime))}`,
    `/Name ${pdfText(fields.name)}`,
    `/Reason ${pdfText(fields.reason)}`,
    fields.location ? `/Location ${pdfText(fields.location)}` : "",
    fields.contactInfo ? `/ContactInfo ${pdfText(fields.contactInfo)}` : "",
    "/Prop_Build << /App << /Name /Signet >> >>",
    ">>",
  ];
  return addSignatureField(pdf, SEAL_FIELD_NAME, dictionary.filter(Boolean).join("\n"));
}

/** A document time-stamp placeholder (PAdES B-LTA): the token's time is the only time. */
export async function addDocumentTimestampPlaceholder(pdf: Buffer, tokenLength: number): Promise<Buffer> {
  const dictionary = [
    "<<",
    "/Type /DocTimeStamp",
    "/Filter /Adobe.PPKLite",
    "/SubFilter /ETSI.RFC3161",
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${"0".repeat(tokenLength * 2)}>`,
    "/Prop_Build << /App << /Name /Signet >> >>",
    ">>",
  ];
  return addSignatureField(pdf, TIMESTAMP_FIELD_NAME, dictionary.join("\n"));
}

async function addSignatureField(pdf: Buffer, baseName: string, signatureDictionary: string): Promise<Buffer> {
  const update = await IncrementalUpdate.open(pdf);
  const { document, context, catalog, rootRef } = update;
  if (document.getPageCount() === 0) throw new Error("PDF has no pages");
  const signatureRef = update.allocate();
  const widgetRef = update.allocate();
  const page = document.getPage(0);

  // Form: reuse the document's AcroForm if it has one, wherever it lives.
  const acroFormEntry = catalog.get(PDFName.of("AcroForm"));
  const fieldName = uniqueFieldName(
    baseName,
    acroFormEntry ? existingFieldNames(context.lookupMaybe(acroFormEntry, PDFDict)) : [],
  );
  if (acroFormEntry instanceof PDFRef) {
    const acroForm = context.lookup(acroFormEntry, PDFDict);
    update.appendToArrayEntry(acroForm, "Fields", widgetRef);
    acroForm.set(PDFName.of("SigFlags"), PDFNumber.of(SIG_FLAGS));
    update.write(acroFormEntry, acroForm);
  } else if (acroFormEntry instanceof PDFDict) {
    update.appendToArrayEntry(acroFormEntry, "Fields", widgetRef);
    acroFormEntry.set(PDFName.of("SigFlags"), PDFNumber.of(SIG_FLAGS));
    update.write(rootRef, catalog);
  } else {
    const acroFormRef = update.allocate();
    update.write(acroFormRef, context.obj({ Fields: [widgetRef], SigFlags: SIG_FLAGS }));
    catalog.set(PDFName.of("AcroForm"), acroFormRef);
    update.write(rootRef, catalog);
  }

  // Invisible widget (zero rectangle) on page 1, merged with its signature field.
  update.appendToArrayEntry(page.node, "Annots", widgetRef);
  update.write(page.ref, page.node);
  const widget = context.obj({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    Rect: [0, 0, 0, 0],
    V: signatureRef,
    T: PDFString.of(escapeLiteral(fieldName)),
    F: WIDGET_FLAGS,
    P: page.ref,
  });
  update.write(widgetRef, widget);
  update.writeRaw(signatureRef, signatureDictionary);
  return update.finish();
}

function existingFieldNames(acroForm: PDFDictType | undefined): string[] {
  const fields = acroForm?.lookupMaybe(PDFName.of("Fields"), PDFArray);
  if (!fields) return [];
  const names: string[] = [];
  for (let index = 0; index < fields.size(); index++) {
    const title = fields.lookupMaybe(index, PDFDict)?.get(PDFName.of("T"));
    if (title instanceof PDFString || title instanceof PDFHexString) names.push(title.decodeText());
  }
  return names;
}

function uniqueFieldName(baseName: string, taken: string[]) {
  let name = baseName;
  for (let suffix = 2; taken.includes(name); suffix++) name = `${baseName} ${suffix}`;
  return name;
}

/** A PDF text string: a literal for plain ASCII, UTF-16BE with BOM otherwise (Polish names). */
export function pdfText(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${escapeLiteral(value)})`;
  return PDFHexString.fromText(value).toString();
}

function escapeLiteral(value: string) {
  return value.replace(/[\\()]/g, "\\$&");
}

/** D:YYYYMMDDHHmmSSZ, in UTC. */
export function pdfDate(date: Date) {
  const pad = (value: number) => String(value).padStart(2, "0");
  return (
    `D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}
