// A bounded PDF reader for the verifier. It finds the file's revisions (every
// "startxref N %%EOF"), follows the cross-reference chain backwards through /Prev exactly
// as a viewer does (tables, streams and hybrid files), and resolves objects lazily in a
// "view": the document as the chain from one section down to the first shows it. Views
// let the verifier compare what the signed revision showed with what the final one shows.
// Every loop is bounded by the Budget (time, objects, inflated bytes, nesting).
import zlib from "node:zlib";
import { isSignatureDictionary, openEncryption, type Decryptor } from "./crypt";
import { Budget, UnreadablePdfError } from "./limits";
import {
  Lexer,
  PdfArray,
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  isInteger,
  isWhitespace,
  nameOf,
  parseObject,
  type PdfObject,
} from "./syntax";

export type XrefEntry =
  | { type: "free"; gen: number }
  | { type: "offset"; offset: number; gen: number }
  | { type: "compressed"; stream: number; index: number };

export interface XrefSection {
  /** Byte offset the chain points at ("xref" keyword or the xref stream object). */
  offset: number;
  kind: "table" | "stream";
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  /** End of the revision this section closes: just after its "%%EOF" (and one end-of-line). */
  revisionEnd: number;
}

export interface StartxrefMarker {
  /** Offset of the "startxref" keyword. */
  position: number;
  xrefOffset: number;
  /** Just after "%%EOF". */
  eofEnd: number;
  /** Just after "%%EOF" and one following end-of-line. */
  end: number;
}

export interface LoadedObject {
  value: PdfObject;
  /** True when the object came from a compressed object stream (positions are not file offsets). */
  inObjectStream: boolean;
  /** File span of "N G obj ... endobj" (object streams: the span inside the decoded stream). */
  start: number;
  end: number;
}

const encoder = new TextEncoder();
const STARTXREF = encoder.encode("startxref");
const EOF_MARK = encoder.encode("%%EOF");
const ENDSTREAM = encoder.encode("endstream");

/** Does `needle` occur at `pos`? (false near the end instead of a RangeError) */
function matchesAt(bytes: Uint8Array, needle: Uint8Array, pos: number): boolean {
  if (pos < 0 || pos + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) if (bytes[pos + i] !== needle[i]) return false;
  return true;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Every well-formed "startxref N %%EOF" in the file, in file order. */
export function findStartxrefMarkers(bytes: Uint8Array, budget: Budget, maxMarkers = 4096): StartxrefMarker[] {
  const buffer = asBuffer(bytes);
  const markers: StartxrefMarker[] = [];
  let from = 0;
  for (;;) {
    const position = buffer.indexOf(STARTXREF, from);
    if (position < 0 || markers.length >= maxMarkers) break;
    budget.tick();
    from = position + STARTXREF.length;
    let pos = from;
    while (pos < bytes.length && isWhitespace(bytes[pos])) pos++;
    const digitsStart = pos;
    while (pos < bytes.length && bytes[pos] >= 48 && bytes[pos] <= 57 && pos - digitsStart < 16) pos++;
    if (pos === digitsStart) continue;
    const xrefOffset = Number(Buffer.from(bytes.subarray(digitsStart, pos)).toString("latin1"));
    while (pos < bytes.length && isWhitespace(bytes[pos])) pos++;
    if (!matchesAt(bytes, EOF_MARK, pos)) continue;
    pos += EOF_MARK.length;
    const eofEnd = pos;
    if (bytes[pos] === 13) pos++;
    if (bytes[pos] === 10) pos++;
    markers.push({ position, xrefOffset, eofEnd, end: pos });
  }
  return markers;
}

export class PdfDocument {
  readonly buffer: Buffer;
  /** The chain newest first: sections[0] is what the last startxref points at. */
  sections: XrefSection[] = [];
  /** Every "startxref N %%EOF" in the file: the ends of its revisions. */
  markers: StartxrefMarker[] = [];
  /** Markers that could not be followed (a broken last update); bytes from the first one on are unstructured. */
  failedMarkers: Array<{ marker: StartxrefMarker; error: UnreadablePdfError }> = [];
  /** End of the last revision that could be read; bytes after it belong to no revision. */
  structuredEnd = 0;
  /** Set for an encrypted file opened with the empty user password. */
  decryptor: Decryptor | null = null;
  /** The encryption dictionary's object ("num gen"): its strings are not encrypted. */
  private encryptObject: string | null = null;
  /** Sections by offset: every view and every signature's chain shares them. */
  private readonly sectionCache = new Map<number, XrefSection>();
  private readonly objectCache = new Map<string, LoadedObject | null>();
  private readonly objectStreamCache = new Map<
    string,
    { data: Uint8Array; offsets: Map<number, number>; first: number }
  >();

  constructor(
    readonly bytes: Uint8Array,
    readonly budget: Budget,
  ) {
    this.buffer = asBuffer(bytes);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** The document as the whole chain shows it (what a viewer displays). */
  finalView(): View {
    return new View(this, this.sections);
  }

  /** The document as it was when the file ended at `end` (sections physically before it). */
  viewAt(end: number): View {
    return new View(
      this,
      this.sections.filter((section) => section.offset < end),
    );
  }

  // ------------------------------------------------------------ loading

  static open(bytes: Uint8Array, budget: Budget): PdfDocument {
    const document = new PdfDocument(bytes, budget);
    const markers = findStartxrefMarkers(bytes, budget);
    document.markers = markers;
    if (markers.length === 0) {
      throw new UnreadablePdfError(
        "truncated",
        "the file has no end-of-file marker (startxref … %%EOF): it is truncated or not a finished PDF",
      );
    }
    // Follow the last marker, as a viewer does; if the last update is broken, fall back to
    // the one before and treat the rest as unstructured bytes appended after it.
    for (let i = markers.length - 1; i >= 0; i--) {
      const marker = markers[i];
      try {
        document.sections = document.loadChain(marker.xrefOffset, markers);
        document.structuredEnd = marker.end;
        document.openEncryption();
        return document;
      } catch (error) {
        if (!(error instanceof UnreadablePdfError)) throw error;
        if (
          error.reason === "time-limit" ||
          error.reason === "too-many-objects" ||
          error.reason === "stream-too-large" ||
          error.reason === "nesting-too-deep" ||
          error.reason === "encrypted" ||
          error.reason === "password-required"
        )
          throw error;
        document.failedMarkers.unshift({ marker, error });
        if (document.failedMarkers.length > 16) break;
      }
    }
    throw (
      document.failedMarkers[document.failedMarkers.length - 1]?.error ??
      new UnreadablePdfError("xref-broken", "no readable cross-reference section")
    );
  }

  /** An /Encrypt in the trailer: open it with the empty user password, or refuse with a reason. */
  private openEncryption(): void {
    const trailer = this.sections[0]?.trailer;
    const value = trailer?.get("Encrypt");
    if (value === undefined || value === null) return;
    if (value instanceof PdfRef) this.encryptObject = `${value.num} ${value.gen}`;
    const dict = this.finalView().dict(value);
    if (!dict) throw new UnreadablePdfError("encrypted", "the file's encryption dictionary is missing");
    const id = trailer?.get("ID");
    const first = id instanceof PdfArray && id.items[0] instanceof PdfString ? id.items[0].bytes : null;
    this.decryptor = openEncryption(dict, first);
    // Anything read before the key was known is stale.
    this.objectCache.clear();
    this.objectStreamCache.clear();
  }

  /** The chain of cross-reference sections from the one at `offset` back to the first. */
  chainFrom(offset: number): XrefSection[] {
    return this.loadChain(offset, this.markers);
  }

  private loadChain(startOffset: number, markers: StartxrefMarker[]): XrefSection[] {
    const sections: XrefSection[] = [];
    const seen = new Set<number>();
    let offset: number | undefined = startOffset;
    while (offset !== undefined) {
      if (seen.has(offset))
        throw new UnreadablePdfError("xref-broken", `the cross-reference chain loops back to byte ${offset}`);
      if (sections.length >= this.budget.limits.maxXrefSections)
        throw new UnreadablePdfError("xref-broken", "too many cross-reference sections");
      seen.add(offset);
      let section = this.sectionCache.get(offset);
      if (!section) {
        section = this.parseSection(offset, markers);
        this.sectionCache.set(offset, section);
      }
      sections.push(section);
      const prev = section.trailer.get("Prev");
      if (prev === undefined) offset = undefined;
      else if (isInteger(prev) && prev >= 0 && prev < this.length) offset = prev;
      else
        throw new UnreadablePdfError(
          "xref-broken",
          `bad /Prev in the cross-reference section at byte ${section.offset}`,
        );
    }
    return sections;
  }

  private revisionEndAfter(offset: number, markers: StartxrefMarker[]): number {
    for (const marker of markers) if (marker.position > offset) return marker.end;
    return this.length;
  }

  private parseSection(offset: number, markers: StartxrefMarker[]): XrefSection {
    if (offset >= this.length)
      throw new UnreadablePdfError(
        "xref-broken",
        `a cross-reference offset (${offset}) points past the end of the file`,
      );
    try {
      return this.parseSectionAt(offset, markers);
    } catch (error) {
      // Whatever breaks inside a cross-reference section, the section is what is broken.
      if (error instanceof UnreadablePdfError && (error.reason === "syntax" || error.reason === "truncated")) {
        throw new UnreadablePdfError(
          "xref-broken",
          `cross-reference section at byte ${offset}: ${error.message}`,
          offset,
        );
      }
      throw error;
    }
  }

  private parseSectionAt(offset: number, markers: StartxrefMarker[]): XrefSection {
    const lexer = new Lexer(this.bytes, offset, this.budget);
    const first = lexer.peek();
    if (first.type === "keyword" && first.value === "xref") {
      const section = this.parseTable(lexer, offset, markers);
      // Hybrid file: a table whose trailer also points at an xref stream. The table wins,
      // the stream fills in, /Prev continues the chain (ISO 32000-1 §7.5.8.4).
      const hybrid = section.trailer.get("XRefStm");
      if (isInteger(hybrid) && hybrid >= 0 && hybrid < this.length) {
        const stream = this.parseXrefStream(hybrid, markers);
        for (const [num, entry] of stream.entries) if (!section.entries.has(num)) section.entries.set(num, entry);
      }
      return section;
    }
    if (first.type === "number") return this.parseXrefStream(offset, markers);
    throw new UnreadablePdfError("xref-broken", `no cross-reference section at byte ${offset}`, offset);
  }

  private parseTable(lexer: Lexer, offset: number, markers: StartxrefMarker[]): XrefSection {
    const fail = (what: string): never => {
      throw new UnreadablePdfError("xref-broken", `cross-reference table at byte ${offset}: ${what}`, offset);
    };
    lexer.next(); // "xref"
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      const token = lexer.next();
      if (token.type === "keyword" && token.value === "trailer") break;
      if (token.type !== "number" || !token.integer || token.value < 0) fail("expected a subsection or 'trailer'");
      const countToken = lexer.next();
      if (countToken.type !== "number" || !countToken.integer || countToken.value < 0) fail("bad subsection header");
      const start = token.type === "number" ? token.value : 0;
      const count = countToken.type === "number" ? countToken.value : 0;
      // Each entry takes at least 18 bytes: a count that cannot fit is a lie.
      if (count * 18 > this.length - lexer.pos + 18) fail("subsection longer than the file");
      for (let i = 0; i < count; i++) {
        const a = lexer.next();
        const b = lexer.next();
        const c = lexer.next();
        if (
          a.type !== "number" ||
          !a.integer ||
          b.type !== "number" ||
          !b.integer ||
          c.type !== "keyword" ||
          (c.value !== "n" && c.value !== "f")
        ) {
          fail(`bad entry ${i} of subsection ${start}`);
        }
        const num = start + i;
        if (entries.has(num)) continue;
        const entryOffset = (a as { value: number }).value;
        const gen = (b as { value: number }).value;
        if ((c as { value: string }).value === "f" || entryOffset === 0) entries.set(num, { type: "free", gen });
        else entries.set(num, { type: "offset", offset: entryOffset, gen });
      }
    }
    let trailer: PdfObject;
    try {
      trailer = parseObject(lexer, this.budget.limits.maxNestingDepth);
    } catch (error) {
      if (error instanceof UnreadablePdfError && error.reason !== "syntax") throw error;
      return fail("unreadable trailer");
    }
    if (!(trailer instanceof PdfDict)) return fail("trailer is not a dictionary");
    return { offset, kind: "table", trailer, entries, revisionEnd: this.revisionEndAfter(offset, markers) };
  }

  private parseXrefStream(offset: number, markers: StartxrefMarker[]): XrefSection {
    const fail = (what: string): never => {
      throw new UnreadablePdfError("xref-broken", `cross-reference stream at byte ${offset}: ${what}`, offset);
    };
    let loaded: { value: PdfObject };
    try {
      // Its /Length must be direct: nothing can be resolved before the xref is known.
      loaded = this.parseIndirectAt(offset, undefined, undefined, null);
    } catch (error) {
      if (error instanceof UnreadablePdfError && error.reason !== "syntax" && error.reason !== "xref-broken")
        throw error;
      return fail(error instanceof Error ? error.message : "unreadable");
    }
    const stream = loaded.value;
    if (!(stream instanceof PdfStream) || nameOf(stream.dict.get("Type")) !== "XRef")
      return fail("not an /XRef stream");
    const dict = stream.dict;
    const widths = dict.get("W");
    if (
      !(widths instanceof PdfArray) ||
      widths.items.length !== 3 ||
      !widths.items.every((w) => isInteger(w) && w >= 0 && w <= 8)
    ) {
      return fail("bad /W");
    }
    const [w1, w2, w3] = widths.items as number[];
    const rowLength = w1 + w2 + w3;
    if (rowLength === 0) return fail("bad /W");
    const size = dict.get("Size");
    if (!isInteger(size) || size < 0) return fail("bad /Size");
    const indexValue = dict.get("Index");
    let index: number[];
    if (indexValue === undefined) index = [0, size];
    else if (
      indexValue instanceof PdfArray &&
      indexValue.items.length % 2 === 0 &&
      indexValue.items.every((v) => isInteger(v) && v >= 0)
    ) {
      index = indexValue.items as number[];
    } else return fail("bad /Index");
    const data = this.decodeStream(stream);
    const rows = Math.floor(data.length / rowLength);
    const entries = new Map<number, XrefEntry>();
    const field = (pos: number, width: number, fallback: number): number => {
      if (width === 0) return fallback;
      let value = 0;
      for (let k = 0; k < width; k++) value = value * 256 + data[pos + k];
      return value;
    };
    let row = 0;
    for (let i = 0; i < index.length; i += 2) {
      const start = index[i];
      const count = index[i + 1];
      for (let k = 0; k < count; k++) {
        if (row >= rows) return fail("shorter than its /Index says");
        this.budget.tick();
        const pos = row * rowLength;
        row++;
        const type = field(pos, w1, 1);
        const second = field(pos + w1, w2, 0);
        const third = field(pos + w1 + w2, w3, 0);
        const num = start + k;
        if (entries.has(num)) continue;
        if (type === 0) entries.set(num, { type: "free", gen: third });
        else if (type === 1) entries.set(num, { type: "offset", offset: second, gen: third });
        else if (type === 2) entries.set(num, { type: "compressed", stream: second, index: third });
        // Other types are reserved: a reader treats them as null objects.
      }
    }
    return { offset, kind: "stream", trailer: dict, entries, revisionEnd: this.revisionEndAfter(offset, markers) };
  }

  // ------------------------------------------------------------ objects

  /** Reads "num gen obj … endobj" at a file offset. */
  parseIndirectAt(
    offset: number,
    expectedNum: number | undefined,
    expectedGen: number | undefined,
    view: View | null,
  ): LoadedObject {
    if (offset < 0 || offset >= this.length) {
      throw new UnreadablePdfError("xref-broken", `an object offset (${offset}) points outside the file`, offset);
    }
    this.budget.countObject();
    const lexer = new Lexer(this.bytes, offset, this.budget);
    const num = lexer.next();
    const gen = lexer.next();
    const keyword = lexer.next();
    if (num.type !== "number" || gen.type !== "number" || keyword.type !== "keyword" || keyword.value !== "obj") {
      throw new UnreadablePdfError(
        "xref-broken",
        `no object at byte ${offset} where the cross-reference table says one is`,
        offset,
      );
    }
    if (
      (expectedNum !== undefined && num.value !== expectedNum) ||
      (expectedGen !== undefined && gen.value !== expectedGen)
    ) {
      throw new UnreadablePdfError(
        "xref-broken",
        `object ${num.value} ${gen.value} found at byte ${offset} where the cross-reference table places object ${expectedNum}`,
        offset,
      );
    }
    const value = parseObject(lexer, this.budget.limits.maxNestingDepth);
    let after = lexer.next();
    let result: PdfObject = value;
    if (after.type === "keyword" && after.value === "stream") {
      if (!(value instanceof PdfDict))
        throw new UnreadablePdfError("syntax", `stream without a dictionary at byte ${offset}`, offset);
      let dataStart = after.end;
      if (this.bytes[dataStart] === 13) dataStart++;
      if (this.bytes[dataStart] === 10) dataStart++;
      const dataEnd = this.findStreamEnd(value, dataStart, view);
      result = new PdfStream(value, this.bytes.subarray(dataStart, dataEnd), dataStart, num.value, gen.value);
      lexer.pos = dataEnd;
      const endstream = lexer.next();
      if (endstream.type !== "keyword" || endstream.value !== "endstream") {
        throw new UnreadablePdfError("syntax", `stream at byte ${offset} has no "endstream"`, offset);
      }
      after = lexer.next();
    }
    // A missing "endobj" is tolerated, as every viewer does.
    const end = after.type === "keyword" && after.value === "endobj" ? after.end : after.start;
    if (this.decryptor && this.encryptObject !== `${num.value} ${gen.value}`)
      decryptStrings(result instanceof PdfStream ? result.dict : result, this.decryptor, num.value, gen.value);
    return { value: result, inObjectStream: false, start: offset, end };
  }

  private findStreamEnd(dict: PdfDict, dataStart: number, view: View | null): number {
    let length = dict.get("Length");
    if (length instanceof PdfRef && view) length = view.resolve(length);
    if (isInteger(length) && length >= 0) {
      if (dataStart + length > this.length) {
        throw new UnreadablePdfError(
          "stream-length",
          `a stream declares ${length} bytes but the file ends ${this.length - dataStart} bytes later`,
          dataStart,
        );
      }
      let pos = dataStart + length;
      while (pos < this.length && isWhitespace(this.bytes[pos])) pos++;
      if (matchesAt(this.bytes, ENDSTREAM, pos)) return dataStart + length;
    }
    // Wrong or indirect-unresolvable /Length: find "endstream" as viewers do.
    const found = this.buffer.indexOf(ENDSTREAM, dataStart);
    if (found < 0)
      throw new UnreadablePdfError("truncated", `a stream starting at byte ${dataStart} never ends`, dataStart);
    let end = found;
    if (this.bytes[end - 1] === 10) end--;
    if (this.bytes[end - 1] === 13) end--;
    return Math.max(end, dataStart);
  }

  /** Loads the object an xref entry points at (cached per location, shared by views). */
  load(num: number, entry: XrefEntry, view: View): LoadedObject | null {
    if (entry.type === "free") return null;
    const key =
      entry.type === "offset"
        ? `o${entry.offset}`
        : `c${entry.stream}:${entry.index}:${view.locationKey(entry.stream)}`;
    const cached = this.objectCache.get(key);
    if (cached !== undefined) return cached;
    this.objectCache.set(key, null); // guards against reference cycles while loading
    try {
      const loaded =
        entry.type === "offset"
          ? this.parseIndirectAt(entry.offset, num, entry.gen, view)
          : this.loadCompressed(num, entry.stream, entry.index, view);
      this.objectCache.set(key, loaded);
      return loaded;
    } catch (error) {
      this.objectCache.delete(key);
      throw error;
    }
  }

  private loadCompressed(num: number, streamNum: number, index: number, view: View): LoadedObject | null {
    const streamEntry = view.lookup(streamNum);
    if (!streamEntry || streamEntry.type !== "offset") {
      throw new UnreadablePdfError(
        "xref-broken",
        `object ${num} is said to be in object stream ${streamNum}, which does not exist`,
      );
    }
    const cacheKey = `o${streamEntry.offset}`;
    let objectStream = this.objectStreamCache.get(cacheKey);
    if (!objectStream) {
      const loaded = this.load(streamNum, streamEntry, view);
      const stream = loaded?.value;
      if (!(stream instanceof PdfStream) || nameOf(stream.dict.get("Type")) !== "ObjStm") {
        throw new UnreadablePdfError("xref-broken", `object ${streamNum} is not an object stream`);
      }
      const count = stream.dict.get("N");
      const first = stream.dict.get("First");
      if (!isInteger(count) || count < 0 || count > 100_000 || !isInteger(first) || first < 0) {
        throw new UnreadablePdfError("syntax", `object stream ${streamNum} has a bad /N or /First`);
      }
      const data = this.decodeStream(stream);
      const header = new Lexer(data, 0, this.budget, Math.min(first, data.length));
      const offsets = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        const objectNum = header.next();
        const objectOffset = header.next();
        if (
          objectNum.type !== "number" ||
          objectOffset.type !== "number" ||
          !objectNum.integer ||
          !objectOffset.integer
        ) {
          throw new UnreadablePdfError("syntax", `object stream ${streamNum} has a bad header`);
        }
        if (!offsets.has(i)) offsets.set(i, objectOffset.value);
        offsets.set(-1 - i, objectNum.value); // object number of slot i, kept beside its offset
      }
      objectStream = { data, offsets, first };
      this.objectStreamCache.set(cacheKey, objectStream);
    }
    const relative = objectStream.offsets.get(index);
    if (relative === undefined || objectStream.offsets.get(-1 - index) !== num) {
      throw new UnreadablePdfError(
        "xref-broken",
        `object ${num} is not at slot ${index} of object stream ${streamNum}`,
      );
    }
    const start = objectStream.first + relative;
    if (start >= objectStream.data.length)
      throw new UnreadablePdfError("syntax", `object ${num} lies outside its object stream`);
    this.budget.countObject();
    const lexer = new Lexer(objectStream.data, start, this.budget);
    const value = parseObject(lexer, this.budget.limits.maxNestingDepth);
    return { value, inObjectStream: true, start, end: lexer.pos };
  }

  // ------------------------------------------------------------ streams

  /** Decodes a stream's filters (Flate, with predictors) within the inflate budget. */
  decodeStream(stream: PdfStream): Uint8Array {
    const filterValue = stream.dict.get("Filter");
    const filters =
      filterValue instanceof PdfArray
        ? filterValue.items
        : filterValue === undefined || filterValue === null
          ? []
          : [filterValue];
    const parmsValue = stream.dict.get("DecodeParms") ?? stream.dict.get("DP");
    const parmsList = parmsValue instanceof PdfArray ? parmsValue.items : [parmsValue];
    if (filters.length > 4) throw new UnreadablePdfError("unsupported-filter", "more than four filters on one stream");
    let data: Uint8Array = stream.data;
    if (this.decryptor && stream.objectNum !== undefined)
      data = this.decryptor.stream(data, stream.objectNum, stream.objectGen ?? 0, stream.dict);
    filters.forEach((filter, i) => {
      const name = nameOf(filter);
      if (name === "Crypt") return; // applied above
      if (name !== "FlateDecode" && name !== "Fl") {
        throw new UnreadablePdfError(
          "unsupported-filter",
          `unsupported stream filter ${name ? "/" + name : "(not a name)"}`,
        );
      }
      data = this.inflate(data);
      const parms = parmsList[i];
      if (parms instanceof PdfDict) data = applyPredictor(data, parms);
    });
    return data;
  }

  private inflate(data: Uint8Array): Uint8Array {
    const allowance = this.budget.inflateAllowance();
    if (allowance <= 0)
      throw new UnreadablePdfError("stream-too-large", "the file's compressed streams expand beyond the allowed total");
    this.budget.checkTime();
    let output: Buffer;
    try {
      // SYNC_FLUSH: tolerate a stream cut short of its checksum, as viewers do.
      output = zlib.inflateSync(data, { maxOutputLength: allowance, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch (error) {
      if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        throw new UnreadablePdfError(
          "stream-too-large",
          `a compressed stream expands beyond ${Math.round(allowance / 1048576)} MB (compression bomb?)`,
        );
      }
      throw new UnreadablePdfError("syntax", "a compressed stream is damaged");
    }
    this.budget.countInflated(output.length);
    return output;
  }
}

/**
 * Replaces every string inside an object read from an encrypted file by its clear text
 * (in place: the object was just parsed). A signature dictionary's /Contents stays as it is.
 */
function decryptStrings(root: PdfObject, decryptor: Decryptor, num: number, gen: number): void {
  const stack: PdfObject[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value instanceof PdfArray) {
      value.items.forEach((item, i) => {
        if (item instanceof PdfString) value.items[i] = decrypted(item);
        else if (item instanceof PdfArray || item instanceof PdfDict) stack.push(item);
      });
    } else if (value instanceof PdfDict) {
      const signature = isSignatureDictionary(value);
      for (const [key, item] of value.entries) {
        if (item instanceof PdfString) {
          if (!(signature && key === "Contents")) value.entries.set(key, decrypted(item));
        } else if (item instanceof PdfArray || item instanceof PdfDict) stack.push(item);
      }
    }
  }
  function decrypted(item: PdfString): PdfString {
    return new PdfString(decryptor.string(item.bytes, num, gen), item.hex, item.start, item.end);
  }
}

function applyPredictor(data: Uint8Array, parms: PdfDict): Uint8Array {
  const predictor = parms.get("Predictor");
  if (!isInteger(predictor) || predictor <= 1) return data;
  const colors = intOr(parms.get("Colors"), 1);
  const bits = intOr(parms.get("BitsPerComponent"), 8);
  const columns = intOr(parms.get("Columns"), 1);
  if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bits) || columns < 1 || columns > 1 << 20) {
    throw new UnreadablePdfError("unsupported-filter", "bad predictor parameters");
  }
  const pixelBytes = Math.max(1, Math.ceil((colors * bits) / 8));
  const rowBytes = Math.ceil((colors * bits * columns) / 8);
  if (predictor === 2) {
    if (bits !== 8) throw new UnreadablePdfError("unsupported-filter", "TIFF predictor with other than 8 bits");
    const out = Uint8Array.from(data);
    for (let row = 0; row + rowBytes <= out.length; row += rowBytes) {
      for (let i = pixelBytes; i < rowBytes; i++) out[row + i] = (out[row + i] + out[row + i - pixelBytes]) & 0xff;
    }
    return out;
  }
  if (predictor < 10) throw new UnreadablePdfError("unsupported-filter", `unsupported predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let row = 0; row < rows; row++) {
    const type = data[row * (rowBytes + 1)];
    const input = row * (rowBytes + 1) + 1;
    const base = row * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[input + i];
      const left = i >= pixelBytes ? out[base + i - pixelBytes] : 0;
      const up = row > 0 ? out[base - rowBytes + i] : 0;
      const upLeft = row > 0 && i >= pixelBytes ? out[base - rowBytes + i - pixelBytes] : 0;
      let value: number;
      switch (type) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new UnreadablePdfError("unsupported-filter", `bad PNG predictor row type ${type}`);
      }
      out[base + i] = value & 0xff;
    }
  }
  return out;
}

function intOr(value: PdfObject | undefined, fallback: number): number {
  return isInteger(value) ? value : fallback;
}

/** The document as a chain of sections (newest first) shows it. */
export class View {
  constructor(
    readonly document: PdfDocument,
    readonly sections: XrefSection[],
  ) {}

  get trailer(): PdfDict | undefined {
    return this.sections[0]?.trailer;
  }

  lookup(num: number): XrefEntry | undefined {
    for (const section of this.sections) {
      const entry = section.entries.get(num);
      if (entry) return entry;
    }
    return undefined;
  }

  /** Identifies where object `num` lives in this view, so caches can tell versions apart. */
  locationKey(num: number): string {
    const entry = this.lookup(num);
    if (!entry || entry.type === "free") return "none";
    return entry.type === "offset" ? `o${entry.offset}` : `c${entry.stream}:${entry.index}`;
  }

  getObject(ref: PdfRef): LoadedObject | null {
    const entry = this.lookup(ref.num);
    if (!entry) return null;
    if (entry.type === "offset" && entry.gen !== ref.gen) return null;
    if (entry.type === "compressed" && ref.gen !== 0) return null;
    return this.document.load(ref.num, entry, this);
  }

  /** Follows references (a short chain at most) to a direct value; missing objects are null. */
  resolve(value: PdfObject | undefined): PdfObject | undefined {
    let current = value;
    for (let hops = 0; current instanceof PdfRef; hops++) {
      if (hops > 16) throw new UnreadablePdfError("syntax", "a reference chain is too long");
      current = this.getObject(current)?.value ?? null;
    }
    return current;
  }

  dict(value: PdfObject | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    if (resolved instanceof PdfDict) return resolved;
    if (resolved instanceof PdfStream) return resolved.dict;
    return undefined;
  }
}
