// verifyPdf: bytes in, report out. No I/O. The verdict follows SPEC section 7:
//   unreadable  the bounded reader cannot make a document of it
//   unsigned    no signature anywhere
//   invalid     a signature is malformed, does not verify, or its signer is not trusted
//   modified    every signature verifies, but bytes follow the last one
//   valid       every signature verifies, is trusted, and the last one covers the whole file
// Anything appended after the last signature (a new revision, or loose bytes) makes the
// file "modified", which is what defeats incremental-saving and shadow attacks; the
// ByteRange checks (start at 0, gap == /Contents exactly, inside the file) defeat
// universal signature forgery and signature wrapping.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import { checkCms } from "./cms";
import { Budget, DEFAULT_LIMITS, UnreadablePdfError, type ReaderLimits } from "./limits";
import { PdfDocument, View, type XrefEntry } from "./reader";
import {
  problem,
  type ObjectChange,
  type Problem,
  type RegistryEntry,
  type RevisionChanges,
  type SignatureReport,
  type Verdict,
  type VerificationReport,
} from "./report";
import {
  catalogOf,
  classify,
  formFieldsOf,
  indexStructure,
  pagesOf,
  textOf,
  type SignatureField,
  type StructureIndex,
} from "./structure";
import { PdfArray, PdfDict, PdfRef, PdfStream, PdfString, isInteger, nameOf } from "./syntax";

export interface VerifyOptions {
  /** DER certificates a signer may chain to (the instance CA, VERIFY_TRUST). */
  trustedCertificates: Uint8Array[];
  /** Looks a file up by the SHA-256 (hex) of its bytes. */
  registry?: (sha256Hex: string) => RegistryEntry | null;
  /** Time at which certificates must be valid. */
  now?: Date;
  limits?: Partial<ReaderLimits>;
}

const SUPPORTED_SUBFILTERS = new Set(["adbe.pkcs7.detached", "ETSI.CAdES.detached"]);
const MAX_LISTED_CHANGES = 200;

export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const limits: ReaderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const report: VerificationReport = {
    verdict: "unreadable",
    file: { size: bytes.length, sha256 },
    pageCount: null,
    revisionCount: 0,
    signatures: [],
    afterLastSignature: null,
    registry: { match: false },
    problems: [],
  };
  const entry = options.registry?.(sha256) ?? null;
  if (entry) {
    report.registry = {
      match: true,
      publicId: entry.publicId,
      documentNumber: entry.documentNumber,
      completedAt: entry.completedAt.toISOString(),
      signatureCount: entry.signatureCount,
    };
  }
  try {
    analyze(bytes, options, limits, report);
  } catch (error) {
    if (!(error instanceof UnreadablePdfError)) throw error;
    report.verdict = "unreadable";
    report.unreadable = { reason: error.reason, message: error.message };
    report.signatures = [];
    report.afterLastSignature = null;
    report.problems = [problem("unreadable", undefined, error.message)];
  }
  return report;
}

function analyze(bytes: Uint8Array, options: VerifyOptions, limits: ReaderLimits, report: VerificationReport): void {
  if (bytes.length === 0) throw new UnreadablePdfError("empty", "the file is empty (0 bytes)");
  if (bytes.length > limits.maxFileBytes)
    throw new UnreadablePdfError(
      "too-large",
      `the file is larger than ${Math.round(limits.maxFileBytes / 1048576)} MB`,
    );
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
  if (head.indexOf("%PDF-") < 0)
    throw new UnreadablePdfError("not-pdf", "the file does not start with a PDF header (%PDF-)");

  const budget = new Budget(limits);
  const document = PdfDocument.open(bytes, budget);
  const finalView = document.finalView();
  if (finalView.trailer?.get("Encrypt") !== undefined)
    throw new UnreadablePdfError("encrypted", "encrypted PDFs are not supported");

  const catalog = catalogOf(finalView);
  const pages = pagesOf(finalView, catalog);
  report.pageCount = pages.length;
  report.revisionCount = new Set(document.sections.map((section) => section.revisionEnd)).size;

  // Bytes after the last readable revision: a cut-off file, or something appended.
  const tail = bytes.length - document.structuredEnd;
  if (tail > 0 && document.failedMarkers.length === 0 && looksTruncated(document, document.structuredEnd)) {
    throw new UnreadablePdfError(
      "truncated",
      `the file ends in the middle of an update (${tail} bytes after the last end-of-file marker)`,
    );
  }

  const form = formFieldsOf(finalView, catalog);
  if (document.failedMarkers.length > 0) {
    // The final update is unreadable. With no signature in what remains, nothing is salvageable.
    if (form.signatures.length === 0) throw document.failedMarkers[document.failedMarkers.length - 1].error;
    report.problems.push(problem("broken-update", undefined, document.failedMarkers[0].error.message));
  }

  checkPageContents(
    document,
    finalView,
    pages.flatMap((page) => page.contents),
    report,
  );

  const now = options.now ?? new Date();
  report.signatures = form.signatures.map((field, i) =>
    checkSignature(document, field, i + 1, options.trustedCertificates, now),
  );
  for (const signature of report.signatures) report.problems.push(...signature.problems);

  // Signatures a later update took out of the form still tell whether the signed part was genuine.
  const orphans = findUnreferencedSignatures(document, form.signatures);
  orphans.forEach((field, i) => {
    const signature = checkSignature(document, field, report.signatures.length + 1, options.trustedCertificates, now);
    signature.referenced = false;
    report.signatures.push(signature);
    report.problems.push(...signature.problems);
    if (i === 0)
      report.problems.push(
        problem(
          "signature-not-referenced",
          undefined,
          `${orphans.length} signature dictionar${orphans.length === 1 ? "y" : "ies"}`,
        ),
      );
  });

  if (report.signatures.length === 0) {
    report.verdict = "unsigned";
    return;
  }

  const last = report.signatures.reduce<SignatureReport | null>((best, signature) => {
    const end = coverageEnd(signature);
    return end !== null && (best === null || end > (coverageEnd(best) ?? -1)) ? signature : best;
  }, null);
  const signedEnd = last ? (coverageEnd(last) ?? 0) : 0;
  if (last && signedEnd < bytes.length) {
    const revisions = describeRevisionsAfter(document, signedEnd);
    report.afterLastSignature = { bytes: bytes.length - signedEnd, unstructuredBytes: tail, revisions };
    report.problems.push(
      problem(
        "modified-after-signing",
        undefined,
        `${bytes.length - signedEnd} bytes follow the signed part (${revisions.length} revision${revisions.length === 1 ? "" : "s"}${tail > 0 ? `, ${tail} bytes outside any revision` : ""})`,
      ),
    );
  }

  report.verdict = decide(report, signedEnd === bytes.length);
}

function decide(report: VerificationReport, lastCoversFile: boolean): Verdict {
  if (report.signatures.some((signature) => !signature.intact)) return "invalid";
  if (!lastCoversFile) return "modified";
  // Everything is signed, yet the final form does not show a signature that is there.
  if (report.signatures.some((signature) => !signature.referenced)) return "invalid";
  return "valid";
}

function coverageEnd(signature: SignatureReport): number | null {
  const range = signature.byteRange;
  return range && range.length === 4 ? range[2] + range[3] : null;
}

// ---------------------------------------------------------------- one signature

function checkSignature(
  document: PdfDocument,
  field: SignatureField,
  index: number,
  trusted: Uint8Array[],
  now: Date,
): SignatureReport {
  const dict = field.signature;
  const problems: Problem[] = [];
  const add = (code: Parameters<typeof problem>[0], detail?: string) => problems.push(problem(code, index, detail));
  const report: SignatureReport = {
    index,
    fieldName: field.fieldName,
    subFilter: nameOf(dict.get("SubFilter")) ?? null,
    signer: null,
    chain: [],
    signingTime: parsePdfDate(textOf(dict.get("M"))),
    byteRange: null,
    bytesCovered: 0,
    coversWholeFile: false,
    digestAlgorithm: null,
    digestMatch: false,
    signatureMatch: false,
    certificateTrusted: false,
    intact: false,
    referenced: true,
    name: textOf(dict.get("Name")) ?? null,
    reason: textOf(dict.get("Reason")) ?? null,
    location: textOf(dict.get("Location")) ?? null,
    problems,
  };

  // Which /Contents or /ByteRange would a viewer use? Refuse to guess.
  if (dict.duplicateKeys.length > 0) add("signature-duplicate-keys", dict.duplicateKeys.join(", "));
  if (!report.subFilter || !SUPPORTED_SUBFILTERS.has(report.subFilter))
    add("subfilter-unsupported", report.subFilter ?? "none");
  if (!field.inFileBody) add("signature-in-object-stream");

  const rangeValue = dict.get("ByteRange");
  let range: number[] | null = null;
  if (rangeValue === undefined) add("byte-range-missing");
  else if (
    !(rangeValue instanceof PdfArray) ||
    rangeValue.items.length !== 4 ||
    !rangeValue.items.every((v) => isInteger(v) && v >= 0)
  ) {
    add("byte-range-malformed");
  } else {
    range = rangeValue.items as number[];
    report.byteRange = range;
  }

  const contents = dict.get("Contents");
  const signatureValue = contents instanceof PdfString && contents.hex ? contents : null;
  if (!signatureValue) add("contents-missing");

  let rangeUsable = false;
  if (range) {
    const [start, firstLength, gapEnd, secondLength] = range;
    rangeUsable = true;
    if (start !== 0) add("byte-range-not-from-start");
    if (firstLength === 0 || gapEnd < firstLength || gapEnd + secondLength > document.length) {
      add("byte-range-outside-file");
      rangeUsable = false;
    }
    if (rangeUsable) {
      report.bytesCovered = firstLength + secondLength;
      // The gap must be exactly the <hex> token of this dictionary's /Contents: nothing
      // else may hide unsigned in it (signature wrapping).
      const gapIsContents =
        field.inFileBody &&
        signatureValue !== null &&
        signatureValue.start === start + firstLength &&
        signatureValue.end === gapEnd;
      if (field.inFileBody && signatureValue && !gapIsContents) add("byte-range-gap-mismatch");
      // "Covers the whole file": every byte is signed except the signature value itself.
      report.coversWholeFile = start === 0 && gapIsContents && gapEnd + secondLength === document.length;
      if (field.inFileBody && (dict.start < start || dict.end > gapEnd + secondLength))
        add("signature-dictionary-not-covered");
      if (!report.coversWholeFile && !endsAtRevision(document, gapEnd + secondLength))
        add("byte-range-not-revision-end");
    }
  }

  let der: Uint8Array | null = null;
  if (signatureValue) {
    const value = signatureValue.bytes;
    if (value.length === 0 || value.every((byte) => byte === 0)) add("contents-empty");
    else {
      // The hex string is zero-padded to the placeholder size; only zeros may follow the DER.
      const parsed = asn1js.fromBER(value);
      const used = parsed.offset;
      if (used <= 0 || value.subarray(used).some((byte) => byte !== 0)) add("cms-malformed");
      else der = value.subarray(0, used);
    }
  }

  if (der && range && rangeUsable) {
    const [start, firstLength, gapEnd, secondLength] = range;
    const covered = [
      document.bytes.subarray(start, start + firstLength),
      document.bytes.subarray(gapEnd, gapEnd + secondLength),
    ];
    const cms = checkCms(der, covered, trusted, now, report.subFilter === "ETSI.CAdES.detached");
    report.digestAlgorithm = cms.digestAlgorithm;
    report.digestMatch = cms.digestMatch;
    report.signatureMatch = cms.signatureMatch;
    report.certificateTrusted = cms.certificateTrusted;
    report.signer = cms.signer;
    report.chain = cms.chain;
    if (!report.signingTime && cms.signingTimeAttribute) report.signingTime = cms.signingTimeAttribute.toISOString();
    for (const code of cms.problems) add(code);
  }
  report.intact = problems.length === 0 && report.digestMatch && report.signatureMatch && report.certificateTrusted;
  return report;
}

function endsAtRevision(document: PdfDocument, end: number): boolean {
  return document.markers.some((marker) => end >= marker.eofEnd && end <= marker.end);
}

/** "D:YYYYMMDDHHmmSS+HH'mm'" → ISO 8601, or null. */
export function parsePdfDate(text: string | undefined): string | null {
  if (!text) return null;
  const match = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(text.trim());
  if (!match) return null;
  const [
    ,
    year,
    month = "01",
    day = "01",
    hour = "00",
    minute = "00",
    second = "00",
    zone,
    zoneHours = "00",
    zoneMinutes = "00",
  ] = match;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(utc)) return null;
  const offset =
    zone === "+" || zone === "-" ? (zone === "+" ? 1 : -1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) : 0;
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

// ---------------------------------------------------------------- whole-document checks

/**
 * Decodes every page content stream within the inflate budget: a compression bomb makes
 * the file unreadable rather than a viewer's problem; damage is only noted.
 */
function checkPageContents(document: PdfDocument, view: View, refs: PdfRef[], report: VerificationReport): void {
  let damaged = 0;
  for (const ref of refs) {
    try {
      const value = view.getObject(ref)?.value;
      if (value instanceof PdfStream) document.decodeStream(value);
    } catch (error) {
      // Damaged compressed data is a viewer's problem (a blank page); anything else —
      // limits, absurd lengths, missing objects — makes the file unreadable.
      if (
        !(error instanceof UnreadablePdfError) ||
        (error.reason !== "syntax" && error.reason !== "unsupported-filter")
      )
        throw error;
      if (error.reason === "syntax") damaged++;
    }
  }
  if (damaged > 0)
    report.problems.push(problem("page-content-damaged", undefined, `${damaged} stream${damaged === 1 ? "" : "s"}`));
}

/**
 * A cut-off file ends inside an object, a stream or a cross-reference section; appended
 * complete objects (an update without its xref) are not truncation but a modification.
 */
function looksTruncated(document: PdfDocument, from: number): boolean {
  const tail = document.buffer.subarray(from);
  const count = (needle: string) => {
    let n = 0;
    for (let at = tail.indexOf(needle); at >= 0 && n < 1_000_000; at = tail.indexOf(needle, at + needle.length)) n++;
    return n;
  };
  const endobj = count("endobj");
  const opened = count("obj") - endobj;
  const endstream = count("endstream");
  const streams = count("stream") - endstream;
  return (
    opened > endobj ||
    streams > endstream ||
    tail.indexOf("startxref") >= 0 ||
    tail.indexOf("trailer") >= 0 ||
    /(^|\s)xref\s/.test(tail.subarray(0, 1 << 20).toString("latin1"))
  );
}

/**
 * Signature dictionaries present in the file body but not reached through the final
 * revision's form: a later update removed or replaced them.
 */
function findUnreferencedSignatures(document: PdfDocument, referenced: SignatureField[]): SignatureField[] {
  const known = new Set(referenced.filter((field) => field.inFileBody).map((field) => field.signature.start));
  const needle = Buffer.from("/ByteRange");
  const seenObjects = new Set<number>();
  const orphans: SignatureField[] = [];
  for (
    let at = document.buffer.indexOf(needle), hits = 0;
    at >= 0 && hits < 256;
    at = document.buffer.indexOf(needle, at + needle.length), hits++
  ) {
    document.budget.tick();
    const windowStart = Math.max(0, at - 8192);
    const window = document.buffer.subarray(windowStart, at).toString("latin1");
    let objectStart = -1;
    for (const match of window.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)) objectStart = windowStart + (match.index ?? 0);
    if (objectStart < 0 || seenObjects.has(objectStart)) continue;
    seenObjects.add(objectStart);
    try {
      const loaded = document.parseIndirectAt(objectStart, undefined, undefined, null);
      const value = loaded.value;
      if (
        value instanceof PdfDict &&
        value.get("ByteRange") !== undefined &&
        value.get("Contents") !== undefined &&
        !known.has(value.start)
      ) {
        orphans.push({ fieldName: "", fieldRef: null, signatureRef: null, signature: value, inFileBody: true });
      }
    } catch (error) {
      if (error instanceof UnreadablePdfError && (error.reason === "time-limit" || error.reason === "too-many-objects"))
        throw error;
    }
  }
  return orphans;
}

// ---------------------------------------------------------------- what changed after signing

function sameLocation(a: XrefEntry, b: XrefEntry): boolean {
  if (a.type === "offset" && b.type === "offset") return a.offset === b.offset && a.gen === b.gen;
  if (a.type === "compressed" && b.type === "compressed") return a.stream === b.stream && a.index === b.index;
  return false;
}

function describeRevisionsAfter(document: PdfDocument, signedEnd: number): RevisionChanges[] {
  const indexes = new Map<number, StructureIndex | null>();
  const indexFor = (k: number): StructureIndex | null => {
    if (!indexes.has(k)) {
      try {
        indexes.set(k, indexStructure(new View(document, document.sections.slice(k))));
      } catch (error) {
        if (
          error instanceof UnreadablePdfError &&
          (error.reason === "time-limit" || error.reason === "too-many-objects")
        )
          throw error;
        indexes.set(k, null);
      }
    }
    return indexes.get(k) ?? null;
  };
  const results: RevisionChanges[] = [];
  const sections = document.sections;
  // File order: the chain is newest first.
  for (let k = sections.length - 1; k >= 0; k--) {
    const section = sections[k];
    if (section.offset < signedEnd) continue;
    const after = new View(document, sections.slice(k));
    const before = new View(document, sections.slice(k + 1));
    const afterIndex = indexFor(k);
    const beforeIndex = indexFor(k + 1);
    const changes: ObjectChange[] = [];
    let more = 0;
    const nums = [...section.entries.keys()].sort((a, b) => a - b);
    for (const num of nums) {
      document.budget.tick();
      const entry = section.entries.get(num)!;
      const previous = before.lookup(num);
      const previousInUse = previous !== undefined && previous.type !== "free";
      let action: ObjectChange["action"];
      if (entry.type === "free") {
        if (!previousInUse || num === 0) continue;
        action = "deleted";
      } else if (!previousInUse) action = "added";
      else if (sameLocation(previous, entry)) continue;
      else action = "changed";
      const generation = entry.type === "offset" ? entry.gen : entry.type === "free" ? Math.max(0, entry.gen - 1) : 0;
      const ref = new PdfRef(num, action === "deleted" && previous?.type === "offset" ? previous.gen : generation);
      const view = action === "deleted" ? before : after;
      let value;
      try {
        value = view.resolve(ref);
      } catch (error) {
        if (
          error instanceof UnreadablePdfError &&
          (error.reason === "time-limit" || error.reason === "too-many-objects")
        )
          throw error;
        value = undefined;
      }
      const empty: StructureIndex = {
        catalog: null,
        info: null,
        acroForm: null,
        pageTreeNodes: new Set(),
        pages: new Map(),
        contents: new Map(),
        annotations: new Map(),
        fields: new Set(),
        pageCount: 0,
      };
      let kind = classify(ref, value, (action === "deleted" ? beforeIndex : afterIndex) ?? empty);
      if (kind.kind === "other" && beforeIndex && action !== "deleted") kind = classify(ref, value, beforeIndex);
      if (kind.kind === "cross-reference") continue;
      if (changes.length >= MAX_LISTED_CHANGES) {
        more++;
        continue;
      }
      const change: ObjectChange = { object: num, generation: ref.gen, action, kind: kind.kind };
      if (kind.page !== undefined) change.page = kind.page;
      if (entry.type === "offset" && entry.offset < signedEnd) change.pointsIntoSignedBytes = true;
      changes.push(change);
    }
    const kinds = new Set(changes.map((change) => change.kind));
    results.push({
      revision: new Set(sections.slice(k).map((s) => s.revisionEnd)).size,
      xrefOffset: section.offset,
      xrefKind: section.kind,
      endOffset: section.revisionEnd,
      changes,
      moreChanges: more,
      touches: {
        pages:
          kinds.has("page") || kinds.has("page-tree") || (afterIndex?.pageCount ?? 0) !== (beforeIndex?.pageCount ?? 0),
        pageContent: kinds.has("page-content") || kinds.has("form-xobject") || kinds.has("image") || kinds.has("font"),
        annotations: kinds.has("annotation"),
        formFields: kinds.has("form-field") || kinds.has("form") || kinds.has("signature"),
        catalog: kinds.has("catalog"),
        other: kinds.has("other") || kinds.has("metadata") || kinds.has("document-info") || kinds.has("object-stream"),
      },
      pageCountBefore: beforeIndex?.pageCount ?? null,
      pageCountAfter: afterIndex?.pageCount ?? null,
    });
  }
  return results;
}
