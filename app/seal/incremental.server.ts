// A PDF incremental update (ISO 32000 7.5.6), written by us: the input bytes stay
// untouched and the changed or new objects, a cross-reference section of the same kind
// as the file's (table or stream) and a trailer are appended. pdf-lib only reads the file
// here (it follows object streams and cross-reference streams); it never re-saves it,
// because its save() rewrites the whole file and breaks every signature in it.
// Used for the seal's signature field (placeholder.server.ts), the DSS (dss.server.ts)
// and document time-stamps.
import type { PDFDict as PDFDictType, PDFDocument as PDFDocumentType, PDFObject, PDFRef as PDFRefType } from "pdf-lib";
import pdfLib from "pdf-lib";

const { PDFDocument, PDFArray, PDFDict, PDFRef, ParseSpeeds } = pdfLib;

export class IncrementalUpdate {
  // Keyed by object number: an object changed twice is written once, last state.
  readonly #written = new Map<number, { ref: PDFRefType; body: Buffer }>();
  #nextNumber: number;

  private constructor(
    readonly pdf: Buffer,
    readonly document: PDFDocumentType,
    readonly rootRef: PDFRefType,
    readonly catalog: PDFDictType,
    readonly startxref: { offset: number; isStream: boolean; size: number },
  ) {
    // pdf-lib does not count the file's object and cross-reference streams, the
    // trailer's /Size does: new objects must not reuse their numbers.
    this.#nextNumber = Math.max(document.context.largestObjectNumber + 1, startxref.size);
  }

  static async open(pdf: Buffer): Promise<IncrementalUpdate> {
    const startxref = findStartxref(pdf);
    // The default parse speed yields to a timer every 100 objects: a millisecond each time.
    const document = await PDFDocument.load(pdf, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    const rootRef = document.context.trailerInfo.Root;
    if (!(rootRef instanceof PDFRef)) throw new Error("PDF trailer has no /Root reference");
    return new IncrementalUpdate(pdf, document, rootRef, document.context.lookup(rootRef, PDFDict), startxref);
  }

  get context() {
    return this.document.context;
  }

  allocate(): PDFRefType {
    return PDFRef.of(this.#nextNumber++);
  }

  /** Writes `object` (its current state) as the new version of `ref`. */
  write(ref: PDFRefType, object: PDFObject) {
    this.#written.set(ref.objectNumber, { ref, body: serialize(object) });
  }

  /** Writes a body written by hand (a signature dictionary whose placeholders are found by searching bytes). */
  writeRaw(ref: PDFRefType, body: string | Buffer) {
    this.#written.set(ref.objectNumber, { ref, body: typeof body === "string" ? Buffer.from(body, "latin1") : body });
  }

  /** A new stream object holding `data` as it is (no filter); returns its reference. */
  addStream(data: Uint8Array): PDFRefType {
    const ref = this.allocate();
    const body = Buffer.concat([
      Buffer.from(`<< /Length ${data.byteLength} >>\nstream\n`, "latin1"),
      Buffer.from(data),
      Buffer.from("\nendstream", "latin1"),
    ]);
    this.#written.set(ref.objectNumber, { ref, body });
    return ref;
  }

  /** Appends `ref` to the array under `key` of `dict`, rewriting the array object itself when it is indirect. */
  appendToArrayEntry(dict: PDFDictType, key: string, ref: PDFRefType) {
    const name = pdfLib.PDFName.of(key);
    const entry = dict.get(name);
    if (entry instanceof PDFRef) {
      const array = this.context.lookup(entry, PDFArray);
      array.push(ref);
      this.write(entry, array);
    } else if (entry instanceof PDFArray) {
      entry.push(ref);
    } else {
      dict.set(name, this.context.obj([ref]));
    }
  }

  /** The input bytes followed by the update. */
  finish(): Buffer {
    const { pdf, startxref } = this;
    const chunks: Buffer[] = [pdf, Buffer.from(endsWithEol(pdf) ? "" : "\n")];
    let offset = chunks[0].length + chunks[1].length;
    const offsets = new Map<number, { offset: number; generation: number }>();
    for (const { ref, body } of this.#written.values()) {
      const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
      const tail = Buffer.from("\nendobj\n");
      offsets.set(ref.objectNumber, { offset, generation: ref.generationNumber });
      chunks.push(head, body, tail);
      offset += head.length + body.length + tail.length;
    }

    const { Info: infoRef, ID: id } = this.context.trailerInfo;
    const trailerEntries = [
      `/Root ${this.rootRef}`,
      infoRef instanceof PDFRef ? `/Info ${infoRef}` : "",
      id ? `/ID ${serialize(id).toString("latin1")}` : "",
      `/Prev ${startxref.offset}`,
    ]
      .filter(Boolean)
      .join(" ");

    if (startxref.isStream) {
      // A file with a cross-reference stream gets one in the update too.
      const xrefRef = this.allocate();
      offsets.set(xrefRef.objectNumber, { offset, generation: 0 });
      const { index, data } = xrefStreamData(offsets);
      const head = Buffer.from(
        `${xrefRef.objectNumber} 0 obj\n<< /Type /XRef /Size ${this.#nextNumber} /Index [${index.join(" ")}] /W [1 4 2] ${trailerEntries} /Length ${data.length} >>\nstream\n`,
      );
      chunks.push(head, data, Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`));
    } else {
      chunks.push(
        Buffer.from(
          `xref\n${xrefTable(offsets)}trailer\n<< /Size ${this.#nextNumber} ${trailerEntries} >>\nstartxref\n${offset}\n%%EOF\n`,
        ),
      );
    }
    return Buffer.concat(chunks);
  }
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

export function serialize(object: PDFObject): Buffer {
  const bytes = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
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
