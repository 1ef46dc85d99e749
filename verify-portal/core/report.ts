// The verification report: the JSON of SPEC section 7 plus the details the result page shows.
// Bounded: at most MAX_REPORTED_SIGNATURES signatures and MAX_LISTED_REVISIONS revisions
// with MAX_LISTED_CHANGES changes each are listed, with counts of the rest, and every text
// taken from the file is cut to MAX_TEXT characters, so no upload can make the answer big.
import type { ChangeCategory, ObjectChange } from "./changes";
import type { CertificateInfo, CmsProblem, CmsWarning, TimestampInfo } from "./cms";
import type { UnreadableReason } from "./limits";

export type { ChangeCategory, ObjectChange } from "./changes";

export type Verdict = "valid" | "modified" | "invalid" | "unsigned" | "unreadable";

export const MAX_REPORTED_SIGNATURES = 50;
export const MAX_LISTED_REVISIONS = 32;
export const MAX_LISTED_CHANGES = 50;
export const MAX_TEXT = 200;

export type ProblemCode =
  | CmsProblem
  | "unreadable"
  | "signature-duplicate-keys"
  | "signature-in-object-stream"
  | "signature-unreadable"
  | "subfilter-unsupported"
  | "byte-range-missing"
  | "byte-range-malformed"
  | "byte-range-not-from-start"
  | "byte-range-outside-file"
  | "byte-range-not-revision-end"
  | "byte-range-gap-mismatch"
  | "signature-dictionary-not-covered"
  | "contents-missing"
  | "contents-empty"
  | "too-many-signatures"
  | "changed-after-signature"
  | "modified-after-signing"
  | "broken-update"
  | "signature-not-referenced"
  | "page-content-damaged";

export type WarningCode = CmsWarning;

export interface Problem {
  code: ProblemCode;
  /** English, for scripts and logs; the portal page translates by code. */
  message: string;
  /** 1-based index of the signature it concerns, if any. */
  signature?: number;
}

export interface Warning {
  code: WarningCode;
  message: string;
  signature?: number;
}

export const PROBLEM_MESSAGES: Record<ProblemCode, string> = {
  unreadable: "the file cannot be read as a PDF",
  "cms-malformed": "the signature value is not a well-formed CMS signature",
  "cms-embedded-content": "the CMS signature embeds its own content instead of signing the document bytes",
  "cms-signer-count": "the CMS signature does not have exactly one signer",
  "cms-content-type": "the CMS signature has a wrong content type",
  "digest-algorithm": "the signature uses a weak or unknown digest algorithm",
  "signature-algorithm": "the signature uses an unsupported or inconsistent signature algorithm",
  "message-digest-missing": "the CMS signature has no message digest",
  "digest-mismatch": "the signed bytes do not match the digest in the signature (the document was altered)",
  "signature-mismatch": "the signature value does not verify with the signer's certificate",
  "signer-certificate-missing": "the signer's certificate is not in the signature",
  "signing-certificate-missing": "the signature does not name its signing certificate (signing-certificate attribute)",
  "signing-certificate-mismatch": "the signing-certificate attribute does not match the signer's certificate",
  "certificate-not-trusted": "certificate not trusted",
  "certificate-expired": "a certificate in the chain is expired or not yet valid",
  "certificate-key-usage": "the signer's certificate is not allowed to sign documents (key usage)",
  "timestamp-malformed": "the time-stamp token is not a well-formed RFC 3161 token",
  "timestamp-imprint-mismatch": "the time-stamp was made for other data than the signed bytes",
  "timestamp-certificate-usage": "the time-stamping certificate is not allowed to time-stamp (extended key usage)",
  "signature-duplicate-keys": "the signature dictionary repeats a key",
  "signature-in-object-stream":
    "the signature dictionary is inside a compressed object stream, so its byte range cannot be checked",
  "signature-unreadable": "the signature dictionary cannot be read",
  "subfilter-unsupported": "unsupported signature format (SubFilter)",
  "byte-range-missing": "the signature has no /ByteRange",
  "byte-range-malformed": "the /ByteRange is not four non-negative integers",
  "byte-range-not-from-start": "the signed bytes do not start at the beginning of the file",
  "byte-range-outside-file": "the /ByteRange points outside the file",
  "byte-range-not-revision-end": "the signed bytes do not end at the end of a revision",
  "byte-range-gap-mismatch":
    "the unsigned gap in the /ByteRange is not exactly the signature value (something is hidden in it)",
  "signature-dictionary-not-covered": "part of the signature dictionary is outside the signed bytes",
  "contents-missing": "the signature has no /Contents hex string",
  "contents-empty": "the signature value is empty",
  "too-many-signatures": `the file has more signatures than this verifier checks (${MAX_REPORTED_SIGNATURES})`,
  "changed-after-signature": "the document was changed after this signature in a way it does not allow",
  "modified-after-signing": "the file was changed after the last signature",
  "broken-update": "an update appended to the file has an unreadable cross-reference section",
  "signature-not-referenced":
    "a signature in the file is no longer part of the document's form (removed or hidden by a later update)",
  "page-content-damaged": "a page's content stream is damaged",
};

export const WARNING_MESSAGES: Record<WarningCode, string> = {
  "weak-digest-sha1":
    "the signature uses SHA-1, which is no longer safe; it is accepted because it was made before 2017",
  "signing-certificate-absent":
    "the signature does not name its signing certificate (no signing-certificate-v2 attribute, which PAdES requires)",
  "signature-algorithm-mismatch": "the signature algorithm names another hash than the digest algorithm",
  "signature-timestamp-invalid": "the signature's time-stamp does not verify, so it proves no time",
  "timestamp-usage-not-critical": "the time-stamping certificate's extended key usage is not marked critical",
};

export function problem(code: ProblemCode, signature?: number, detail?: string): Problem {
  const message = detail ? `${PROBLEM_MESSAGES[code]}: ${clip(detail)}` : PROBLEM_MESSAGES[code];
  return signature === undefined ? { code, message } : { code, message, signature };
}

export function warning(code: WarningCode, signature?: number): Warning {
  const message = WARNING_MESSAGES[code];
  return signature === undefined ? { code, message } : { code, message, signature };
}

/** A text from the file, cut to a bounded length. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Who may change what after a signature (ISO 32000-2 §12.8.2, and Signet's own seal). */
export interface ChangePermissions {
  /**
   * "signet-seal": Signet's own seal, after which only long-term validation data may be added;
   * "certified": a certification (DocMDP) signature is in effect; "approval": neither.
   */
  policy: "signet-seal" | "certified" | "approval";
  /** DocMDP permission in effect: 1 no changes, 2 form filling and signing, 3 also annotations. */
  docMdp: 1 | 2 | 3 | null;
  /** FieldMDP: the form fields this signature locks. */
  lockedFields: { action: "All" | "Include" | "Exclude"; fields: string[] } | null;
  /** Categories of change allowed after this signature. */
  allowed: ChangeCategory[];
}

export interface DisallowedChange {
  revision: number;
  category: ChangeCategory;
  /** Objects of that category changed in that revision. */
  objects: number;
  /** Locked form fields that were filled. */
  fields?: string[];
}

export interface SignatureReport {
  /** 1-based, in the order of the form fields. */
  index: number;
  /** A signature over the document, or an RFC 3161 document time-stamp. */
  type: "signature" | "document-timestamp";
  fieldName: string;
  /** Form fields that show this same signature dictionary (one, normally). */
  fieldCount: number;
  subFilter: string | null;
  signer: CertificateInfo | null;
  /** Signer first, then its issuers up to the trusted certificate. */
  chain: CertificateInfo[];
  /** ISO time the signature claims (/M, else the CMS signingTime attribute; a time-stamp's genTime). */
  signingTime: string | null;
  byteRange: number[] | null;
  bytesCovered: number;
  coversWholeFile: boolean;
  /** The revision (1-based) whose end the signed bytes reach. */
  revision: number | null;
  /** SHA-256 of the file as this signature signed it (up to the end of its signed bytes). */
  signedFileSha256: string | null;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  digestMatch: boolean;
  signatureMatch: boolean;
  certificateTrusted: boolean;
  /** True when the signature itself has no problem (coverage aside). */
  intact: boolean;
  /** False for a signature found in the file but no longer reached through the final form. */
  referenced: boolean;
  /** Made by Signet (the signature dictionary names Signet as the signing application). */
  signet: boolean;
  /** DocMDP permission when this is a certification signature. */
  certification: 1 | 2 | 3 | null;
  permissions: ChangePermissions;
  /** What the revisions after this signature changed, judged by `permissions`. */
  changesAfter: { revisions: number[]; allowed: boolean; disallowed: DisallowedChange[] };
  /** The signature time-stamp, or for a document time-stamp the token itself. */
  timestamp: TimestampInfo | null;
  name: string | null;
  reason: string | null;
  location: string | null;
  problems: Problem[];
  warnings: Warning[];
}

export interface RevisionReport {
  /** 1-based position of the revision in the file. */
  revision: number;
  startOffset: number;
  endOffset: number;
  xrefOffset: number;
  xrefKind: "table" | "stream";
  /** SHA-256 of the file up to the end of this revision. */
  sha256: string;
  /** Signatures whose signed bytes end with this revision. */
  signatures: number[];
  /** False for revisions before the first signature (the signed document itself). */
  compared: boolean;
  changes: ObjectChange[];
  /** Changes beyond the listed ones (lists are capped). */
  moreChanges: number;
  /** Categories of the changes in this revision. */
  categories: ChangeCategory[];
  touches: {
    pages: boolean;
    pageContent: boolean;
    annotations: boolean;
    formFields: boolean;
    catalog: boolean;
    other: boolean;
  };
  pageCountBefore: number | null;
  pageCountAfter: number | null;
}

/** Kept for readers of the earlier report: a revision as the change lists describe it. */
export type RevisionChanges = RevisionReport;

export interface RegistryReport {
  match: boolean;
  publicId?: string;
  documentNumber?: string;
  completedAt?: string;
  signatureCount?: number;
  /** The file is not the registered one, but begins with it: a registered document, changed since. */
  earlier?: { publicId: string; documentNumber: string; completedAt: string; revision: number; bytes: number };
}

export interface VerificationReport {
  verdict: Verdict;
  /** Why the file is unreadable (verdict "unreadable" only). */
  unreadable?: { reason: UnreadableReason; message: string };
  file: { size: number; sha256: string };
  /** How the file was encrypted, when it was (opened with the empty user password). */
  encryption: string | null;
  pageCount: number | null;
  revisionCount: number;
  signatures: SignatureReport[];
  /** Signatures not listed (and not checked) beyond MAX_REPORTED_SIGNATURES. */
  moreSignatures: number;
  /** Every revision from the first signed one on, in file order. */
  revisions: RevisionReport[];
  /** Revisions not listed beyond MAX_LISTED_REVISIONS. */
  moreRevisions: number;
  /** What came after the last signature: bytes, bytes outside any revision, and the revisions. */
  afterLastSignature: {
    bytes: number;
    unstructuredBytes: number;
    revisions: number[];
    /** True when all of it is long-term validation data (a DSS), which changes nothing a viewer shows. */
    allowed: boolean;
  } | null;
  registry: RegistryReport;
  problems: Problem[];
  warnings: Warning[];
}

export interface RegistryEntry {
  publicId: string;
  documentNumber: string;
  completedAt: Date;
  signatureCount: number;
  sha256: string;
}

/** A report before anything is known about the file but its size and hash. */
export function emptyReport(file: { size: number; sha256: string }): VerificationReport {
  return {
    verdict: "unreadable",
    file,
    encryption: null,
    pageCount: null,
    revisionCount: 0,
    signatures: [],
    moreSignatures: 0,
    revisions: [],
    moreRevisions: 0,
    afterLastSignature: null,
    registry: { match: false },
    problems: [],
    warnings: [],
  };
}

/** The report of a file that cannot be read (too large, broken, or stopped from outside). */
export function unreadableReport(
  file: { size: number; sha256: string },
  reason: UnreadableReason,
  message: string,
): VerificationReport {
  return {
    ...emptyReport(file),
    unreadable: { reason, message },
    problems: [problem("unreadable", undefined, message)],
  };
}
