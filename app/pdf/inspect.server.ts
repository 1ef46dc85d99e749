// Checks an uploaded PDF before we accept it: judged by content (never by the file's
// name), bounded in size, pages and time, and read by two parsers that must agree.
// pdf-lib is what will later draw into and seal the file, so it has to read it; but it
// reads objects top to bottom and silently repairs broken cross-reference tables, so
// we also check the file's structure ourselves and ask PDF.js (what a viewer shows).
import zlib from "node:zlib";
import pdfLib from "pdf-lib";
import { PdfDeadlineError, openWithPdfjs, withDeadline, type PDFDocumentProxy } from "./pdfjs.server";

const { PDFDocument } = pdfLib;

export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
}

export const defaultPdfLimits: PdfLimits = { maxBytes: 25 * 1024 * 1024, maxPages: 200 };

/** i18n keys (app/i18n/messages/documents.ts) for why a file was refused. */
export type PdfErrorKey =
  | "error.pdf.empty"
  | "error.pdf.notPdf"
  | "error.pdf.tooLarge"
  | "error.pdf.tooManyPages"
  | "error.pdf.encrypted"
  | "error.pdf.broken"
  | "error.pdf.tooComplex";

export type PdfInspection =
  | { ok: true; pageCount: number; pageSizes: [number, number][] }
  | { ok: false; error: PdfErrorKey };

/** Time allowed to each parser; a file that needs more is refused as too complex. */
const PARSE_TIMEOUT_MS = 15_000;

class RefusedPdf extends Error {
  constructor(readonly key: PdfErrorKey) {
    super(key);
  }
}

/**
 * Whether `bytes` is a PDF we can take: its page count and page sizes ([width, height]
 * in points as displayed, i.e. crop box with /Rotate applied), or the i18n key of the
 * reason it is refused. Never throws.
 */
export async function inspectPdf(bytes: Uint8Array, limits: PdfLimits = defaultPdfLimits): Promise<PdfInspection> {
  try {
    if (bytes.length === 0) return { ok: false, error: "error.pdf.empty" };
    if (findAscii(bytes, "%PDF-", 0, 1024) < 0) return { ok: false, error: "error.pdf.notPdf" };
    if (bytes.length > limits.maxBytes) return { ok: false, error: "error.pdf.tooLarge" };
    checkStructure(bytes);
    checkCompressedStreams(bytes);
    const pageCount = await countPagesWithPdfLib(bytes);
    if (pageCount > limits.maxPages) return { ok: false, error: "error.pdf.tooManyPages" };
    const pageSizes = await readPagesWithPdfjs(bytes, pageCount);
    return { ok: true, pageCount, pageSizes };
  } catch (error) {
    if (error instanceof RefusedPdf) return { ok: false, error: error.key };
    if (error instanceof PdfDeadlineError) return { ok: false, error: "error.pdf.tooComplex" };
    return { ok: false, error: "error.pdf.broken" };
  }
}

// ---------------------------------------------------------------- structure

function findAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(0, Math.min(to, bytes.length))
    .indexOf(needle, from, "latin1");
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    "latin1",
    Math.max(0, start),
    Math.min(bytes.length, end),
  );
}

const MAX_XREF_SECTIONS = 64;
const WHITESPACE = /^[\0\t\n\f\r ]*/;

/**
 * The end of the file must say where its cross-reference data is, and every section of
 * it (following /Prev through incremental updates) must point at real objects. Catches
 * truncated files and broken tables, which viewers "repair" each in their own way.
 */
function checkStructure(bytes: Uint8Array) {
  const tailStart = Math.max(0, bytes.length - 2048);
  const tail = latin1(bytes, tailStart, bytes.length);
  const eof = tail.lastIndexOf("%%EOF");
  const startxref = tail.lastIndexOf("startxref", eof);
  if (eof < 0 || startxref < 0) throw new RefusedPdf("error.pdf.broken");
  const offsetMatch = /^startxref\s+(\d+)\s*$/.exec(tail.slice(startxref, eof));
  if (!offsetMatch) throw new RefusedPdf("error.pdf.broken");

  const visited = new Set<number>();
  const pending = [Number(offsetMatch[1])];
  while (pending.length > 0) {
    const offset = pending.pop()!;
    if (visited.has(offset)) continue;
    if (visited.size >= MAX_XREF_SECTIONS || !Number.isSafeInteger(offset) || offset >= bytes.length)
      throw new RefusedPdf("error.pdf.broken");
    visited.add(offset);
    pending.push(...checkXrefSection(bytes, offset));
  }
}

/** Checks one cross-reference section; returns the offsets of the sections it refers to. */
function checkXrefSection(bytes: Uint8Array, offset: number): number[] {
  const head = latin1(bytes, offset, offset + 64);
  const skipped = WHITESPACE.exec(head)![0].length;
  if (head.startsWith("xref", skipped)) return checkXrefTable(bytes, offset + skipped + 4);
  // PDF 1.5 cross-reference stream: an object of /Type /XRef. Its binary entries are
  // left to PDF.js, which decodes them; here only its place and kind are checked.
  const objectHead = latin1(bytes, offset + skipped, offset + skipped + 4096);
  if (!/^\d+\s+\d+\s+obj\b/.test(objectHead)) throw new RefusedPdf("error.pdf.broken");
  const dictionary = objectHead.slice(0, objectHead.indexOf("stream") >= 0 ? objectHead.indexOf("stream") : undefined);
  if (!/\/Type\s*\/XRef\b/.test(dictionary)) throw new RefusedPdf("error.pdf.broken");
  return referencedSections(dictionary);
}

function referencedSections(dictionary: string): number[] {
  return [...dictionary.matchAll(/\/(?:Prev|XRefStm)\s+(\d+)/g)].map((match) => Number(match[1]));
}

/** A classic "xref" table: subsections of 20-byte entries, then the trailer. */
function checkXrefTable(bytes: Uint8Array, position: number): number[] {
  let cursor = position;
  // Read line by line: subsection header "first count", then `count` entries.
  const readLine = () => {
    const text = latin1(bytes, cursor, cursor + 256);
    const leading = WHITESPACE.exec(text)![0].length;
    const end = text.slice(leading).search(/[\r\n]/);
    const line = end < 0 ? text.slice(leading) : text.slice(leading, leading + end);
    cursor += leading + line.length;
    return line.trim();
  };
  for (let subsections = 0; ; subsections++) {
    if (subsections > 100_000 || cursor >= bytes.length) throw new RefusedPdf("error.pdf.broken");
    const header = readLine();
    if (header.startsWith("trailer")) break;
    const match = /^(\d+)\s+(\d+)$/.exec(header);
    if (!match) throw new RefusedPdf("error.pdf.broken");
    const first = Number(match[1]);
    const count = Number(match[2]);
    if (count > 10_000_000) throw new RefusedPdf("error.pdf.broken");
    for (let index = 0; index < count; index++) {
      const entry = /^(\d{10})\s(\d{5})\s([nf])$/.exec(readLine());
      if (!entry) throw new RefusedPdf("error.pdf.broken");
      if (entry[3] === "n") checkObjectAt(bytes, Number(entry[1]), first + index);
    }
  }
  const trailerEnd = findAscii(bytes, "startxref", cursor, cursor + 65536);
  return referencedSections(latin1(bytes, cursor, trailerEnd < 0 ? cursor + 4096 : trailerEnd));
}

/** An in-use entry must point at "<number> <generation> obj" of the same object number. */
function checkObjectAt(bytes: Uint8Array, offset: number, objectNumber: number) {
  if (offset >= bytes.length) throw new RefusedPdf("error.pdf.broken");
  const text = latin1(bytes, offset, offset + 40);
  const match = /^[\0\t\n\f\r ]*(\d+)\s+\d+\s+obj\b/.exec(text);
  if (!match || Number(match[1]) !== objectNumber) throw new RefusedPdf("error.pdf.broken");
}

/** Decoded size allowed to object and cross-reference streams together (real files need kilobytes to a few MB). */
const MAX_INFLATED_STRUCTURE_BYTES = 16 * 1024 * 1024;
/**
 * Decoded size allowed to any one non-image stream (page contents, fonts, forms): PDF.js
 * holds it whole and parses it, at about ten times its size in memory. Images are not
 * measured: no parser decodes them on loading, and PDF.js checks their pixel count
 * before it decodes them for a preview.
 */
const MAX_INFLATED_STREAM_BYTES = 32 * 1024 * 1024;
/** Decoded size allowed to all streams together, which bounds the time spent decoding. */
const MAX_INFLATED_TOTAL_BYTES = 1024 * 1024 * 1024;

/**
 * Compressed streams are measured before any parser sees them. A few kilobytes of
 * deflated zeros decode to gigabytes: pdf-lib and PDF.js inflate object streams whole
 * while loading (before a deadline can fire), and PDF.js inflates page contents whole
 * when rendering previews. Streams whose filter chain we do not decode here (e.g.
 * ASCII85 before Flate) are left to the parsers' own limits.
 */
function checkCompressedStreams(bytes: Uint8Array) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString("latin1");
  const streamStart = />>\s*stream(?:\r\n|\n|\r)/g;
  let structureBudget = MAX_INFLATED_STRUCTURE_BYTES;
  let totalBudget = MAX_INFLATED_TOTAL_BYTES;
  for (let found = streamStart.exec(text); found; found = streamStart.exec(text)) {
    const dataStart = found.index + found[0].length;
    const dataEnd = text.indexOf("endstream", dataStart);
    if (dataEnd < 0) throw new RefusedPdf("error.pdf.broken");
    streamStart.lastIndex = dataEnd;
    const dictionary = text.slice(Math.max(0, text.lastIndexOf(" obj", found.index)), found.index);
    const filters = /\/Filter\s*(\/\w+|\[[^\]]*\])/.exec(dictionary)?.[1].match(/\/\w+/g) ?? [];
    if (filters.length === 0 || /\/Subtype\s*\/Image\b/.test(dictionary)) continue;
    const structural = /\/Type\s*\/(?:ObjStm|XRef)\b/.test(dictionary);
    const flateCount = filters.filter((filter) => filter === "/FlateDecode" || filter === "/Fl").length;
    // A bomb inside a bomb; and object/xref streams are only ever plain Flate in real files.
    if (flateCount > 1 || (structural && (filters.length > 1 || flateCount !== 1)))
      throw new RefusedPdf("error.pdf.tooComplex");
    if (flateCount !== 1 || filters.length !== 1) continue;
    const limit = Math.min(MAX_INFLATED_STREAM_BYTES, totalBudget, structural ? structureBudget : Infinity);
    let size: number;
    try {
      size = zlib.inflateSync(buffer.subarray(dataStart, dataEnd), {
        maxOutputLength: Math.max(1, limit),
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      }).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
        throw new RefusedPdf("error.pdf.tooComplex");
      continue; // a corrupt stream: the parsers judge it
    }
    totalBudget -= size;
    if (structural) structureBudget -= size;
  }
}

// ---------------------------------------------------------------- parsers

async function countPagesWithPdfLib(bytes: Uint8Array): Promise<number> {
  // Loaded with ignoreEncryption and asked afterwards: pdf-lib's EncryptedPDFError is
  // compiled to ES5 and fails `instanceof`, so it cannot be told from other errors.
  const doc = await withDeadline(
    PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true }),
    PARSE_TIMEOUT_MS,
  );
  if (doc.isEncrypted) throw new RefusedPdf("error.pdf.encrypted");
  const count = doc.getPageCount();
  if (count < 1) throw new RefusedPdf("error.pdf.broken");
  return count;
}

/** PDF.js must see the same pages as pdf-lib, each of them readable. */
async function readPagesWithPdfjs(bytes: Uint8Array, expectedPages: number): Promise<[number, number][]> {
  let doc: PDFDocumentProxy | undefined;
  try {
    doc = await openWithPdfjs(bytes, PARSE_TIMEOUT_MS);
    const opened = doc;
    const { info } = (await withDeadline(opened.getMetadata(), PARSE_TIMEOUT_MS)) as {
      info: { EncryptFilterName?: string | null };
    };
    // Encrypted with an empty user password: viewers open it, but we could not add to it.
    if (info.EncryptFilterName) throw new RefusedPdf("error.pdf.encrypted");
    // Disagreement means the file shows one thing to a viewer and another to our tools.
    if (opened.numPages !== expectedPages) throw new RefusedPdf("error.pdf.broken");
    return await withDeadline(
      (async () => {
        const sizes: [number, number][] = [];
        for (let number = 1; number <= opened.numPages; number++) {
          const viewport = (await opened.getPage(number)).getViewport({ scale: 1 });
          sizes.push([round2(viewport.width), round2(viewport.height)]);
        }
        return sizes;
      })(),
      PARSE_TIMEOUT_MS,
    );
  } catch (error) {
    if (error instanceof RefusedPdf || error instanceof PdfDeadlineError) throw error;
    if (error instanceof Error && error.name === "PasswordException") throw new RefusedPdf("error.pdf.encrypted");
    throw new RefusedPdf("error.pdf.broken");
  } finally {
    await doc?.destroy().catch(() => {});
  }
}

function round2(value: number) {
  return Math.round(value * 100) / 100;
}
