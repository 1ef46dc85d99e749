// verifyPdf: bytes in, report out. No I/O. The verdict follows SPEC section 7:
//   unreadable  the bounded reader cannot make a document of it (a viewer could not either)
//   unsigned    no signature anywhere
//   invalid     a signature is malformed, does not verify, or its signer is not trusted
//   modified    every signature verifies, but a later revision changed what a signature
//               does not allow (whoever signed after it), or bytes follow the last one
//   valid       every signature verifies and is trusted, every change after each one is
//               one it allows, and nothing but long-term validation data follows the last
// Every revision after the first signature is compared with the one before it
// (changes.ts), and each signature judges the changes after it by its own rule
// (permissions.ts). That, with the ByteRange checks (start at 0, gap == /Contents exactly,
// inside the file, ending at a revision), defeats universal signature forgery, signature
// wrapping, incremental saving and shadow attacks, also between two signatures.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import { judgeRevision, type ChangeCategory, type ObjectChange } from "./changes";
import { checkCms, checkTimestampToken, type CmsFormat } from "./cms";
import { Budget, DEFAULT_LIMITS, UnreadablePdfError, type ReaderLimits } from "./limits";
import { allows, certificationLevel, isSignetSignature, lockedFields, permissionsFor } from "./permissions";
import { PdfDocument, View, type StartxrefMarker, type XrefSection } from "./reader";
import {
  clip,
  emptyReport,
  unreadableReport,
  MAX_LISTED_CHANGES,
  MAX_LISTED_REVISIONS,
  MAX_REPORTED_SIGNATURES,
  problem,
  warning,
  type DisallowedChange,
  type Problem,
  type RegistryEntry,
  type RevisionReport,
  type SignatureReport,
  type Verdict,
  type VerificationReport,
} from "./report";
import { catalogOf, formFieldsOf, isDocumentTimestamp, pagesOf, textOf, type SignatureField } from "./structure";
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

const SUBFILTER_FORMATS: Record<string, CmsFormat | "timestamp"> = {
  "adbe.pkcs7.detached": "detached",
  "ETSI.CAdES.detached": "pades",
  "adbe.pkcs7.sha1": "sha1-embedded",
  "ETSI.RFC3161": "timestamp",
};
/** Revisions after the first signature that are compared object by object; later ones count as changes. */
const MAX_JUDGED_REVISIONS = 64;

export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const report = analyzePdf(bytes, options);
  applyRegistry(report, options.registry);
  return report;
}

/** The report without the registry (worker threads have no database): see applyRegistry. */
export function analyzePdf(bytes: Uint8Array, options: Omit<VerifyOptions, "registry">): VerificationReport {
  const limits: ReaderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const file = { size: bytes.length, sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
  const report = emptyReport(file);
  try {
    analyze(bytes, options, limits, report);
    return report;
  } catch (error) {
    if (error instanceof UnreadablePdfError) return unreadableReport(file, error.reason, error.message);
    console.error("verify-portal: unexpected error while verifying", error);
    return unreadableReport(
      file,
      "internal-error",
      "the verifier could not finish checking this file (an internal error; please report it with the file)",
    );
  }
}

/**
 * Fills report.registry: the registry entry of this exact file, or of the file as it was at
 * the end of an earlier revision (a registered document, changed since).
 */
export function applyRegistry(
  report: VerificationReport,
  lookup: ((sha256Hex: string) => RegistryEntry | null) | undefined,
): void {
  if (!lookup) return;
  const entry = lookup(report.file.sha256);
  if (entry) {
    report.registry = {
      match: true,
      publicId: entry.publicId,
      documentNumber: entry.documentNumber,
      completedAt: entry.completedAt.toISOString(),
      signatureCount: entry.signatureCount,
    };
    return;
  }
  // The file as each signature signed it, earliest first: a registered document, changed since.
  const signed = report.signatures
    .filter((signature) => signature.signedFileSha256 && signature.revision !== null)
    .sort((a, b) => a.revision! - b.revision!);
  const asked = new Set<string>();
  for (const signature of signed) {
    const sha256 = signature.signedFileSha256!;
    if (asked.has(sha256) || sha256 === report.file.sha256) continue;
    asked.add(sha256);
    const earlier = lookup(sha256);
    if (earlier) {
      const range = signature.byteRange!;
      report.registry.earlier = {
        publicId: earlier.publicId,
        documentNumber: earlier.documentNumber,
        completedAt: earlier.completedAt.toISOString(),
        revision: signature.revision!,
        bytes: range[2] + range[3],
      };
      return;
    }
  }
}

/** SHA-256 of the first `end` bytes, for each end, in one pass over the file. */
function prefixHashes(bytes: Uint8Array, ends: number[]): Map<number, string> {
  const sorted = [...new Set(ends)].filter((end) => end >= 0 && end <= bytes.length).sort((a, b) => a - b);
  const hash = crypto.createHash("sha256");
  const out = new Map<number, string>();
  let hashed = 0;
  for (const end of sorted) {
    hash.update(bytes.subarray(hashed, end));
    hashed = end;
    out.set(end, hash.copy().digest("hex"));
  }
  return out;
}

interface Revision {
  number: number;
  start: number;
  end: number;
  eofEnd: number;
  sections: XrefSection[];
  sha256: string;
}

/** One signature dictionary with what the verdict needs beyond its report. */
interface Checked {
  report: SignatureReport;
  field: SignatureField;
  end: number | null;
  marker: StartxrefMarker | null;
}

function analyze(
  bytes: Uint8Array,
  options: Omit<VerifyOptions, "registry">,
  limits: ReaderLimits,
  report: VerificationReport,
): void {
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
  report.encryption = document.decryptor?.description ?? null;
  const finalView = document.finalView();
  const catalog = catalogOf(finalView);
  const pages = pagesOf(finalView, catalog);
  report.pageCount = pages.length;
  const revisions = revisionsOf(document);
  report.revisionCount = revisions.length;

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

  // ---- every distinct signature dictionary once (fields may share one), then the orphans
  const distinct = new Map<string, { field: SignatureField; names: string[]; count: number }>();
  for (const field of form.signatures) {
    const entry = distinct.get(field.key);
    if (entry) {
      entry.count++;
      if (entry.names.length < 5) entry.names.push(field.fieldName);
    } else distinct.set(field.key, { field, names: [field.fieldName], count: 1 });
  }
  const orphans = findUnreferencedSignatures(
    document,
    [...distinct.values()].map((entry) => entry.field),
  );
  const all = [
    ...[...distinct.values()].map((entry) => ({ ...entry, referenced: true })),
    ...orphans.map((field) => ({ field, names: [""], count: 0, referenced: false })),
  ];
  report.moreSignatures = Math.max(0, all.length - MAX_REPORTED_SIGNATURES);
  const now = options.now ?? new Date();
  const checked: Checked[] = all.slice(0, MAX_REPORTED_SIGNATURES).map((entry, i) => {
    budget.checkTime();
    const result = checkSignature(document, entry.field, i + 1, options.trustedCertificates, now, budget);
    result.report.referenced = entry.referenced;
    result.report.fieldCount = entry.count;
    if (entry.count > 1) result.report.fieldName = clip(entry.names.filter(Boolean).join(", "));
    return result;
  });
  report.signatures = checked.map((entry) => entry.report);
  if (report.moreSignatures > 0)
    report.problems.push(problem("too-many-signatures", undefined, `${all.length} signature dictionaries`));
  if (orphans.length > 0)
    report.problems.push(
      problem(
        "signature-not-referenced",
        undefined,
        `${orphans.length} signature dictionar${orphans.length === 1 ? "y" : "ies"}`,
      ),
    );

  if (checked.length === 0) {
    report.verdict = "unsigned";
    for (const signature of report.signatures) report.problems.push(...signature.problems);
    return;
  }

  // ---- which revision each signature signed, and the rules it sets for later ones
  const hashes = prefixHashes(bytes, [
    ...revisions.map((revision) => revision.end),
    ...checked.flatMap((entry) => (entry.end === null ? [] : [entry.end])),
  ]);
  for (const revision of revisions) revision.sha256 = hashes.get(revision.end) ?? "";
  for (const entry of checked) {
    if (entry.end === null) continue;
    const revision = revisions.find((candidate) => candidate.eofEnd <= entry.end! && entry.end! <= candidate.end);
    entry.report.revision = revision?.number ?? null;
    entry.report.signedFileSha256 = hashes.get(entry.end) ?? null;
  }
  const certifications = checked
    .filter((entry) => entry.report.certification !== null && entry.report.revision !== null && entry.report.intact)
    .map((entry) => ({ revision: entry.report.revision!, level: entry.report.certification! }));
  for (const entry of checked) {
    const revision = entry.report.revision;
    const inEffect = certifications.filter((cert) => revision !== null && cert.revision <= revision);
    const docMdp = inEffect.length ? (Math.min(...inEffect.map((cert) => cert.level)) as 1 | 2 | 3) : null;
    entry.report.permissions = permissionsFor({
      signet: entry.report.signet,
      docMdp,
      lock: lockedFields(finalView, entry.field.signature, entry.field.lock),
    });
  }

  // ---- every revision from the first signed one on, compared with the one before
  const signedRevisions = checked
    .map((entry) => entry.report.revision)
    .filter((value): value is number => value !== null);
  const firstSigned = signedRevisions.length ? Math.min(...signedRevisions) : null;
  const judged = new Map<number, ObjectChange[]>();
  const revisionReports: RevisionReport[] = [];
  for (const revision of revisions) {
    if (firstSigned === null || revision.number < firstSigned) continue;
    const compared = revision.number > firstSigned;
    let changes: ObjectChange[] = [];
    let pageCountBefore: number | null = null;
    let pageCountAfter: number | null = null;
    if (compared && revision.number - firstSigned <= MAX_JUDGED_REVISIONS) {
      const before = viewUpTo(document, revision.start);
      const after = viewUpTo(document, revision.end);
      const outcome = judgeRevision(document, before, after, revision.sections, revision.start);
      changes = outcome.changes;
      pageCountBefore = outcome.pageCountBefore;
      pageCountAfter = outcome.pageCountAfter;
    } else if (compared) {
      // Too many revisions to compare: each one beyond counts as a change of content.
      changes = [{ object: 0, generation: 0, action: "changed", kind: "other", category: "content" }];
    }
    judged.set(revision.number, changes);
    revisionReports.push(describeRevision(revision, changes, compared, pageCountBefore, pageCountAfter, checked));
  }
  report.moreRevisions = Math.max(0, revisionReports.length - MAX_LISTED_REVISIONS);
  report.revisions = revisionReports.slice(0, MAX_LISTED_REVISIONS);

  // ---- each signature judges what came after it
  for (const entry of checked) {
    const signature = entry.report;
    if (entry.end === null) continue; // no usable byte range: the signature is invalid anyway
    if (signature.revision === null) {
      // It signed a revision the document's history as a viewer reads it no longer contains.
      signature.changesAfter = {
        revisions: [],
        allowed: false,
        disallowed: [{ revision: revisions.length, category: "history", objects: 0 }],
      };
      signature.problems.push(problem("changed-after-signature", signature.index, "history"));
      continue;
    }
    const later = revisions.filter((revision) => revision.number > signature.revision!);
    const disallowed: DisallowedChange[] = [];
    if (!historyIntact(document, entry, revisions))
      disallowed.push({ revision: later[0]?.number ?? signature.revision, category: "history", objects: 0 });
    for (const revision of later) {
      const counts = new Map<ChangeCategory, { objects: number; fields: Set<string> }>();
      for (const change of judged.get(revision.number) ?? []) {
        if (allows(signature.permissions, change)) continue;
        let count = counts.get(change.category);
        if (!count) counts.set(change.category, (count = { objects: 0, fields: new Set() }));
        count.objects++;
        if (change.field !== undefined && count.fields.size < 10) count.fields.add(clip(change.field));
      }
      for (const [category, count] of counts) {
        const item: DisallowedChange = { revision: revision.number, category, objects: count.objects };
        if (count.fields.size > 0) item.fields = [...count.fields];
        if (disallowed.length < 20) disallowed.push(item);
      }
    }
    signature.changesAfter = {
      revisions: later.map((revision) => revision.number).slice(0, MAX_LISTED_REVISIONS),
      allowed: disallowed.length === 0,
      disallowed,
    };
    if (disallowed.length > 0)
      signature.problems.push(
        problem(
          "changed-after-signature",
          signature.index,
          disallowed
            .slice(0, 5)
            .map((item) => `revision ${item.revision}: ${item.category}`)
            .join(", "),
        ),
      );
  }
  for (const signature of report.signatures) {
    report.problems.push(...signature.problems);
    report.warnings.push(...signature.warnings);
  }

  // ---- what follows the last signature: only validation data (a DSS) may, unsigned
  const lastEnd = Math.max(...checked.map((entry) => entry.end ?? 0));
  if (lastEnd > 0 && lastEnd < bytes.length) {
    const last = checked.find((entry) => entry.end === lastEnd);
    // The revision the last signature closes (its end-of-line after %%EOF may be unsigned).
    const closed = revisions.find((revision) => revision.eofEnd <= lastEnd && lastEnd <= revision.end);
    const trailing = closed
      ? revisions.filter((revision) => revision.number > closed.number)
      : revisions.filter((revision) => revision.start >= lastEnd);
    const onlyValidationData =
      tail === 0 &&
      document.failedMarkers.length === 0 &&
      closed !== undefined &&
      trailing.length > 0 &&
      (last ? last.report.changesAfter.disallowed.every((item) => item.category !== "history") : false) &&
      markersAreRevisions(document, lastEnd, revisions) &&
      trailing.every((revision) => {
        const changes = judged.get(revision.number) ?? [];
        return (
          changes.some((change) => change.category === "validation-data") &&
          changes.every((change) => ["validation-data", "structure", "unused"].includes(change.category))
        );
      });
    report.afterLastSignature = {
      bytes: bytes.length - lastEnd,
      unstructuredBytes: tail,
      revisions: trailing.map((revision) => revision.number).slice(0, MAX_LISTED_REVISIONS),
      allowed: onlyValidationData,
    };
    if (!onlyValidationData)
      report.problems.push(
        problem(
          "modified-after-signing",
          undefined,
          `${bytes.length - lastEnd} bytes follow the signed part (${trailing.length} revision${trailing.length === 1 ? "" : "s"}${tail > 0 ? `, ${tail} bytes outside any revision` : ""})`,
        ),
      );
  }

  report.verdict = decide(report);
}

function decide(report: VerificationReport): Verdict {
  if (report.moreSignatures > 0) return "invalid";
  if (report.signatures.some((signature) => !signature.intact)) return "invalid";
  if (report.signatures.some((signature) => !signature.changesAfter.allowed)) return "modified";
  if (report.afterLastSignature && !report.afterLastSignature.allowed) return "modified";
  // Everything is signed, yet the final form does not show a signature that is there.
  if (report.signatures.some((signature) => !signature.referenced)) return "invalid";
  return "valid";
}

// ---------------------------------------------------------------- revisions

/** The final chain's revisions in file order, each with the SHA-256 of the file up to its end. */
function revisionsOf(document: PdfDocument): Revision[] {
  const byEnd = new Map<number, XrefSection[]>();
  for (const section of document.sections) {
    const list = byEnd.get(section.revisionEnd);
    if (list) list.push(section);
    else byEnd.set(section.revisionEnd, [section]);
  }
  const ends = [...byEnd.keys()].sort((a, b) => a - b);
  return ends.map((end, i) => {
    const marker = document.markers.find((candidate) => candidate.end === end);
    return {
      number: i + 1,
      start: i === 0 ? 0 : ends[i - 1],
      end,
      eofEnd: marker?.eofEnd ?? end,
      sections: byEnd.get(end)!,
      sha256: "",
    };
  });
}

/** The document as the final chain shows it up to the revision ending at `end`. */
function viewUpTo(document: PdfDocument, end: number): View {
  return new View(
    document,
    document.sections.filter((section) => section.revisionEnd <= end),
  );
}

/**
 * Does the final chain still contain the signed revision's own history? The signed
 * startxref leads to a chain of sections; a later update must extend it, not point the
 * reader at other sections (hidden in the signed bytes, or elsewhere).
 */
function historyIntact(document: PdfDocument, entry: Checked, revisions: Revision[]): boolean {
  if (!entry.marker || entry.report.revision === null) return false;
  const revision = revisions.find((candidate) => candidate.number === entry.report.revision)!;
  let signed: XrefSection[];
  try {
    signed = document.chainFrom(entry.marker.xrefOffset);
  } catch (error) {
    if (error instanceof UnreadablePdfError && (error.reason === "time-limit" || error.reason === "too-many-objects"))
      throw error;
    return false;
  }
  const shown = document.sections.filter((section) => section.revisionEnd <= revision.end);
  return signed.length === shown.length && signed.every((section, i) => section.offset === shown[i].offset);
}

/** Every end-of-file marker after `from` closes a revision of the final chain (no update left out of it). */
function markersAreRevisions(document: PdfDocument, from: number, revisions: Revision[]): boolean {
  const ends = new Set(revisions.map((revision) => revision.end));
  return document.markers.every((marker) => marker.end <= from || ends.has(marker.end));
}

function describeRevision(
  revision: Revision,
  changes: ObjectChange[],
  compared: boolean,
  pageCountBefore: number | null,
  pageCountAfter: number | null,
  checked: Checked[],
): RevisionReport {
  const main = revision.sections[0];
  const kinds = new Set(changes.map((change) => change.kind));
  const categories = [...new Set(changes.map((change) => change.category))];
  return {
    revision: revision.number,
    startOffset: revision.start,
    endOffset: revision.end,
    xrefOffset: main.offset,
    xrefKind: main.kind,
    sha256: revision.sha256,
    signatures: checked.filter((entry) => entry.report.revision === revision.number).map((entry) => entry.report.index),
    compared,
    changes: changes.slice(0, MAX_LISTED_CHANGES),
    moreChanges: Math.max(0, changes.length - MAX_LISTED_CHANGES),
    categories,
    touches: {
      pages: kinds.has("page") || kinds.has("page-tree") || (compared && pageCountBefore !== pageCountAfter),
      pageContent: kinds.has("page-content") || kinds.has("form-xobject") || kinds.has("image") || kinds.has("font"),
      annotations: kinds.has("annotation"),
      formFields: kinds.has("form-field") || kinds.has("form") || kinds.has("signature"),
      catalog: kinds.has("catalog"),
      other: kinds.has("other") || kinds.has("metadata") || kinds.has("document-info") || kinds.has("object-stream"),
    },
    pageCountBefore,
    pageCountAfter,
  };
}

// ---------------------------------------------------------------- one signature

function checkSignature(
  document: PdfDocument,
  field: SignatureField,
  index: number,
  trusted: Uint8Array[],
  now: Date,
  budget: Budget,
): Checked {
  const dict = field.signature;
  const view = document.finalView();
  const problems: Problem[] = [];
  const add = (code: Parameters<typeof problem>[0], detail?: string) => {
    if (!problems.some((existing) => existing.code === code)) problems.push(problem(code, index, detail));
  };
  const subFilter = nameOf(dict.get("SubFilter")) ?? null;
  const format = subFilter ? SUBFILTER_FORMATS[subFilter] : undefined;
  const timestampType = format === "timestamp" || isDocumentTimestamp(dict);
  const text = (value: ReturnType<PdfDict["get"]>) => {
    const found = textOf(value);
    return found === undefined ? null : clip(found);
  };
  const report: SignatureReport = {
    index,
    type: timestampType ? "document-timestamp" : "signature",
    fieldName: clip(field.fieldName),
    fieldCount: 1,
    subFilter: subFilter ? clip(subFilter, 64) : null,
    signer: null,
    chain: [],
    signingTime: parsePdfDate(textOf(dict.get("M"))),
    byteRange: null,
    bytesCovered: 0,
    coversWholeFile: false,
    revision: null,
    signedFileSha256: null,
    digestAlgorithm: null,
    signatureAlgorithm: null,
    digestMatch: false,
    signatureMatch: false,
    certificateTrusted: false,
    intact: false,
    referenced: true,
    signet: safeBoolean(() => isSignetSignature(view, dict)),
    certification: safeValue(() => certificationLevel(view, dict), null),
    permissions: permissionsFor({ signet: false, docMdp: null, lock: { locked: null, permission: null } }),
    changesAfter: { revisions: [], allowed: true, disallowed: [] },
    timestamp: null,
    name: text(dict.get("Name")),
    reason: text(dict.get("Reason")),
    location: text(dict.get("Location")),
    problems,
    warnings: [],
  };
  const result: Checked = { report, field, end: null, marker: null };
  if (field.unreadable) {
    add("signature-unreadable", field.unreadable);
    return result;
  }

  // Which /Contents or /ByteRange would a viewer use? Refuse to guess.
  if (dict.duplicateKeys.length > 0) add("signature-duplicate-keys", clip(dict.duplicateKeys.join(", ")));
  if (!format) add("subfilter-unsupported", report.subFilter ?? "none");
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
    if (firstLength === 0 || gapEnd < start + firstLength || gapEnd + secondLength > document.length) {
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
      const end = gapEnd + secondLength;
      result.marker = document.markers.find((marker) => end >= marker.eofEnd && end <= marker.end) ?? null;
      if (result.marker) result.end = end;
      else if (!report.coversWholeFile) add("byte-range-not-revision-end");
      else result.end = end;
    }
  }

  let der: Uint8Array | null = null;
  if (signatureValue) {
    const value = signatureValue.bytes;
    if (value.length === 0 || value.every((byte) => byte === 0)) add("contents-empty");
    else {
      // The hex string is zero-padded to the placeholder size; only zeros may follow the DER.
      const used = encodedLength(value);
      if (used <= 0 || value.subarray(used).some((byte) => byte !== 0)) add("cms-malformed");
      else der = value.subarray(0, used);
    }
  }

  if (der && range && rangeUsable && format) {
    const [start, firstLength, gapEnd, secondLength] = range;
    const covered = [
      document.bytes.subarray(start, start + firstLength),
      document.bytes.subarray(gapEnd, gapEnd + secondLength),
    ];
    const cmsOptions = {
      trustedCertificates: trusted,
      now,
      claimedTime: report.signingTime ? new Date(report.signingTime) : null,
      checkTime: () => budget.checkTime(),
    };
    if (format === "timestamp") {
      const token = checkTimestampToken(der, covered, cmsOptions);
      report.timestamp = token;
      report.signer = token.tsa;
      report.chain = token.chain;
      report.digestAlgorithm = token.hashAlgorithm;
      report.signatureAlgorithm = token.signatureAlgorithm;
      report.digestMatch = token.imprintMatch;
      report.signatureMatch = token.signatureMatch;
      report.certificateTrusted = token.certificateTrusted;
      report.signingTime = token.genTime ?? report.signingTime;
      for (const code of token.problems) add(code);
      for (const code of token.warnings) report.warnings.push(warning(code, index));
    } else {
      const cms = checkCms(der, covered, cmsOptions, format);
      report.digestAlgorithm = cms.digestAlgorithm;
      report.signatureAlgorithm = cms.signatureAlgorithm;
      report.digestMatch = cms.digestMatch;
      report.signatureMatch = cms.signatureMatch;
      report.certificateTrusted = cms.certificateTrusted;
      report.signer = cms.signer;
      report.chain = cms.chain;
      report.timestamp = cms.timestamp;
      if (!report.signingTime && cms.signingTimeAttribute) report.signingTime = cms.signingTimeAttribute.toISOString();
      for (const code of cms.problems) add(code);
      for (const code of cms.warnings) report.warnings.push(warning(code, index));
    }
  }
  report.intact = problems.length === 0 && report.digestMatch && report.signatureMatch && report.certificateTrusted;
  return result;
}

/**
 * Where the DER (or BER) value at the start of `bytes` ends, or -1: read from its header
 * (definite lengths), or by parsing it (an indefinite length, as some old signers write).
 */
function encodedLength(bytes: Uint8Array): number {
  if (bytes.length < 2 || (bytes[0] & 0x1f) === 0x1f) return -1;
  const first = bytes[1];
  if (first < 0x80) return 2 + first <= bytes.length ? 2 + first : -1;
  const count = first & 0x7f;
  if (count === 0) {
    try {
      return asn1js.fromBER(bytes as Uint8Array<ArrayBuffer>).offset;
    } catch {
      return -1;
    }
  }
  if (count > 4 || 2 + count > bytes.length) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i];
  const total = 2 + count + length;
  return total <= bytes.length ? total : -1;
}

function safeBoolean(run: () => boolean): boolean {
  return safeValue(run, false);
}

function safeValue<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnreadablePdfError && (error.reason === "time-limit" || error.reason === "too-many-objects"))
      throw error;
    return fallback;
  }
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
  if (damaged > 0) report.problems.push(problem("page-content-damaged", undefined, `${damaged} stream(s)`));
}

/** Do the bytes after `from` look like a cut-off update rather than a finished one? */
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
 * revision's form: a later update removed or replaced them. One that cannot even be parsed
 * (a garbled /Contents) is a signature too: an unreadable one.
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
    // Inside a known signature dictionary (or its field): nothing more to find here.
    if (referenced.some((field) => field.inFileBody && field.signature.start <= at && at < field.signature.end))
      continue;
    try {
      const value = document.parseIndirectAt(objectStart, undefined, undefined, null).value;
      // The dictionary itself, or a field's direct /V.
      const direct = value instanceof PdfDict ? value.get("V") : undefined;
      const candidates = [value, direct instanceof PdfDict ? direct : undefined];
      for (const candidate of candidates) {
        if (
          candidate instanceof PdfDict &&
          candidate.get("ByteRange") !== undefined &&
          candidate.get("Contents") !== undefined &&
          !known.has(candidate.start) &&
          !orphans.some((orphan) => orphan.signature.start === candidate.start)
        ) {
          orphans.push({
            fieldName: "",
            fieldRef: null,
            signatureRef: null,
            signature: candidate,
            inFileBody: true,
            key: `o${candidate.start}`,
          });
        }
      }
    } catch (error) {
      if (error instanceof UnreadablePdfError && (error.reason === "time-limit" || error.reason === "too-many-objects"))
        throw error;
      // A signature dictionary nothing can parse: still a signature, and not a valid one.
      const text = document.buffer.subarray(objectStart, Math.min(document.length, at + 65536)).toString("latin1");
      if (
        !known.has(objectStart) &&
        /\/Contents\s*</.test(text) &&
        /\/(Type\s*\/(Sig|DocTimeStamp)|SubFilter)\b/.test(text)
      ) {
        orphans.push({
          fieldName: "",
          fieldRef: null,
          signatureRef: null,
          signature: new PdfDict(new Map(), objectStart, objectStart),
          inFileBody: true,
          key: `u${objectStart}`,
          unreadable: error instanceof Error ? clip(error.message) : "unreadable",
        });
      }
    }
  }
  return orphans;
}
