// Adds an empty PAdES signature to a finished PDF as an incremental update:
// the input bytes stay untouched and the new objects, a cross-reference
// section of the same kind as the file's (table or stream) and a trailer are
// appended. pdf-lib only reads the file here (it follows object streams and
// cross-reference streams, which @signpdf/placeholder-plain's string search
// cannot); it never re-saves it.
import type { PDFDict as PDFDictType, PDFObject, PDFRef as PDFRefType } from "pdf-lib";
import pdfLib from "pdf-lib";

const { PDFDocument, PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFString, PDFHexString, ParseSpeeds } = pdfLib;

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

const FIELD_NAME = "Signet seal";
// Print (4) + Locked (128): shown when printed, not movable or deletable in a viewer.
const WIDGET_FLAGS = 132;
// SignaturesExist (1) + AppendOnly (2): viewers must save changes incrementally.
const SIG_FLAGS = 3;

export async function addSignaturePlaceholder(pdf: Buffer, fields: SignatureFields): Promise<Buffer> {
  const startxref = findStartxref(pdf);
  // The default parse speed yields to a timer every 100 objects: a millisecond each time.
  const document = await PDFDocument.load(pdf, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
  const context = document.context;
  const { Root: rootRef, Info: infoRef, ID: id } = context.trailerInfo;
  if (!(rootRef instanceof PDFRef)) throw new Error("PDF trailer has no /Root reference");
  if (document.getPageCount() === 0) throw new Error("PDF has no pages");

  // pdf-lib does not count the file's object and cross-reference streams, the
  // trailer's /Size does: new objects must not reuse their numbers.
  let nextNumber = Math.max(context.largestObjectNumber + 1, startxref.size);
  const allocate = () => PDFRef.of(nextNumber++);
  // Keyed by object number: an object changed twice is written once, last state.
  const written = new Map<number, { ref: PDFRefType; body: Buffer }>();
  const write = (ref: PDFRefType, object: PDFObject) => written.set(ref.objectNumber, { ref, body: serialize(object) });

  const signatureRef = allocate();
  const widgetRef = allocate();
  const page = document.getPage(0);
  const catalog = context.lookup(rootRef, PDFDict);

  // Form: reuse the document's AcroForm if it has one, wherever it lives.
  const acroFormEntry = catalog.get(PDFName.of("AcroForm"));
  const fieldName = uniqueFieldName(
    acroFormEntry ? existingFieldNames(context.lookupMaybe(acroFormEntry, PDFDict)) : [],
  );
  if (acroFormEntry instanceof PDFRef) {
    const acroForm = context.lookup(acroFormEntry, PDFDict);
    appendToArrayEntry(acroForm, "Fields", widgetRef, write);
    acroForm.set(PDFName.of("SigFlags"), PDFNumber.of(SIG_FLAGS));
    write(acroFormEntry, acroForm);
  } else if (acroFormEntry instanceof PDFDict) {
    appendToArrayEntry(acroFormEntry, "Fields", widgetRef, write);
    acroFormEntry.set(PDFName.of("SigFlags"), PDFNumber.of(SIG_FLAGS));
    write(rootRef, catalog);
  } else {
    const acroFormRef = allocate();
    write(acroFormRef, context.obj({ Fields: [widgetRef], SigFlags: SIG_FLAGS }));
    catalog.set(PDFName.of("AcroForm"), acroFormRef);
    write(rootRef, catalog);
  }

  // Invisible widget (zero rectangle) on page 1, merged with its signature field.
  appendToArrayEntry(page.node, "Annots", widgetRef, write);
  write(page.ref, page.node);
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
  write(widgetRef, widget);

  // Written by hand: @signpdf finds the ByteRange placeholder and the /Contents
  // right after it by searching the bytes.
  const signatureDictionary = [
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
  ]
    .filter(Boolean)
    .join("\n");
  written.set(signatureRef.objectNumber, { ref: signatureRef, body: Buffer.from(signatureDictionary, "latin1") });

  // Body of the update.
  const chunks: Buffer[] = [pdf, Buffer.from(endsWithEol(pdf) ? "" : "\n")];
  let offset = chunks[0].length + chunks[1].length;
  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const { ref, body } of written.values()) {
    const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    const tail = Buffer.from("\nendobj\n");
    offsets.set(ref.objectNumber, { offset, generation: ref.generationNumber });
    chunks.push(head, body, tail);
    offset += head.length + body.length + tail.length;
  }

  const trailerEntries = [
    `/Root ${rootRef}`,
    infoRef instanceof PDFRef ? `/Info ${infoRef}` : "",
    id ? `/ID ${serialize(id).toString("latin1")}` : "",
    `/Prev ${startxref.offset}`,
  ]
    .filter(Boolean)
    .join(" ");

  if (startxref.isStream) {
    // A file with a cross-reference stream gets one in the update too.
    const xrefRef = allocate();
    offsets.set(xrefRef.objectNumber, { offset, generation: 0 });
    const { index, data } = xrefStreamData(offsets);
    const head = Buffer.from(
      `${xrefRef.objectNumber} 0 obj\n<< /Type /XRef /Size ${nextNumber} /Index [${index.join(" ")}] /W [1 4 2] ${trailerEntries} /Length ${data.length} >>\nstream\n`,
    );
    chunks.push(head, data, Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`));
  } else {
    chunks.push(
      Buffer.from(
        `xref\n${xrefTable(offsets)}trailer\n<< /Size ${nextNumber} ${trailerEntries} >>\nstartxref\n${offset}\n%%EOF\n`,
      ),
    );
  }
  return Buffer.concat(chunks);
}

function findStartxref(pdf: Buffer) {
  const tail = pdf.subarray(Math.max(0, pdf.length - 2048)).toString("latin1");
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!match) throw new Error("PDF does not end with startxref and %%EOF");
  const offset = Number(match[1]);
  if (offset >= pdf.length) throw new Error("PDF startxref points past the end of the file");
  const isStream = pdf.subarray(offset, offset + 4).toString("latin1") !== "xref";
  // /Size is in the trailer after a table, in the stream dictionary otherwise.
  const dictionaryStart = isStream ? offset : pdf.indexOf("trailer", offset, "latin1");
  const dictionaryEnd = pdf.indexOf(isStream ? "stream" : "startxref", dictionaryStart, "latin1");
  const size = /\/Size\s+(\d+)/.exec(
    dictionaryStart < 0 || dictionaryEnd < 0 ? "" : pdf.subarray(dictionaryStart, dictionaryEnd).toString("latin1"),
  );
  if (!size) throw new Error("PDF has no /Size in its last trailer");
  return { offset, isStream, size: Number(size[1]) };
}

/** Appends `ref` to the array under `key`, rewriting the array object itself when it is indirect. */
function appendToArrayEntry(
  dict: PDFDictType,
  key: string,
  ref: PDFRefType,
  write: (ref: PDFRefType, object: PDFObject) => void,
) {
  const name = PDFName.of(key);
  const entry = dict.get(name);
  if (entry instanceof PDFRef) {
    const array = dict.context.lookup(entry, PDFArray);
    array.push(ref);
    write(entry, array);
  } else if (entry instanceof PDFArray) {
    entry.push(ref);
  } else {
    dict.set(name, dict.context.obj([ref]));
  }
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

function uniqueFieldName(taken: string[]) {
  let name = FIELD_NAME;
  for (let suffix = 2; taken.includes(name); suffix++) name = `${FIELD_NAME} ${suffix}`;
  return name;
}

function serialize(object: PDFObject): Buffer {
  const bytes = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
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

function endsWithEol(pdf: Buffer) {
  const last = pdf[pdf.length - 1];
  return last === 0x0a || last === 0x0d;
}

/** Consecutive object numbers grouped into subsections. */
function subsections(offsets: Map<number, unknown>) {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const number of numbers) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === number - 1) last.push(number);
    else groups.push([number]);
  }
  return groups;
}

function xrefTable(offsets: Map<number, { offset: number; generation: number }>) {
  let table = "";
  for (const group of subsections(offsets)) {
    table += `${group[0]} ${group.length}\n`;
    for (const number of group) {
      const { offset, generation } = offsets.get(number)!;
      // Each entry is exactly 20 bytes, ending in space + LF.
      table += `${String(offset).padStart(10, "0")} ${String(generation).padStart(5, "0")} n \n`;
    }
  }
  return table;
}

function xrefStreamData(offsets: Map<number, { offset: number; generation: number }>) {
  const groups = subsections(offsets);
  const data = Buffer.alloc(offsets.size * 7);
  let position = 0;
  for (const group of groups) {
    for (const number of group) {
      const { offset, generation } = offsets.get(number)!;
      data.writeUInt8(1, position); // type 1: uncompressed object at offset
      data.writeUInt32BE(offset, position + 1);
      data.writeUInt16BE(generation, position + 5);
      position += 7;
    }
  }
  return { index: groups.flatMap((group) => [group[0], group.length]), data };
}
