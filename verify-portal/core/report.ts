// The verification report: the JSON of SPEC section 7 plus the details the result page shows.
import type { CertificateInfo, CmsProblem } from "./cms";
import type { UnreadableReason } from "./limits";
import type { ObjectKind } from "./structure";

export type Verdict = "valid" | "modified" | "invalid" | "unsigned" | "unreadable";

export type ProblemCode =
  | CmsProblem
  | "unreadable"
  | "signature-duplicate-keys"
  | "signature-in-object-stream"
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
  | "modified-after-signing"
  | "broken-update"
  | "signature-not-referenced"
  | "page-content-damaged";

export interface Problem {
  code: ProblemCode;
  /** English, for scripts and logs; the portal page translates by code. */
  message: string;
  /** 1-based index of the signature it concerns, if any. */
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
  "signing-certificate-missing": "the signature does not name its signing certificate (signing-certificate-v2)",
  "signing-certificate-mismatch": "the signing-certificate attribute does not match the signer's certificate",
  "certificate-not-trusted": "certificate not trusted",
  "certificate-expired": "a certificate in the chain is expired or not yet valid",
  "certificate-key-usage": "the signer's certificate is not allowed to sign documents (key usage)",
  "signature-duplicate-keys": "the signature dictionary repeats a key",
  "signature-in-object-stream":
    "the signature dictionary is inside a compressed object stream, so its byte range cannot be checked",
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
  "modified-after-signing": "the file was changed after the last signature",
  "broken-update": "an update appended to the file has an unreadable cross-reference section",
  "signature-not-referenced":
    "a signature in the file is no longer part of the document's form (removed or hidden by a later update)",
  "page-content-damaged": "a page's content stream is damaged",
};

export function problem(code: ProblemCode, signature?: number, detail?: string): Problem {
  const message = detail ? `${PROBLEM_MESSAGES[code]}: ${detail}` : PROBLEM_MESSAGES[code];
  return signature === undefined ? { code, message } : { code, message, signature };
}

export interface SignatureReport {
  /** 1-based, in the order of the form fields. */
  index: number;
  fieldName: string;
  subFilter: string | null;
  signer: CertificateInfo | null;
  /** Signer first, then its issuers up to the trusted certificate. */
  chain: CertificateInfo[];
  /** ISO time the signature claims (/M, else the CMS signingTime attribute). */
  signingTime: string | null;
  byteRange: number[] | null;
  bytesCovered: number;
  coversWholeFile: boolean;
  digestAlgorithm: string | null;
  digestMatch: boolean;
  signatureMatch: boolean;
  certificateTrusted: boolean;
  /** True when the signature itself has no problem (coverage aside). */
  intact: boolean;
  /** False for a signature found in the file but no longer reached through the final form. */
  referenced: boolean;
  name: string | null;
  reason: string | null;
  location: string | null;
  problems: Problem[];
}

export interface ObjectChange {
  object: number;
  generation: number;
  action: "added" | "changed" | "deleted";
  kind: ObjectKind;
  /** Page number the object belongs to, when known. */
  page?: number;
  /** The new version lies inside the signed bytes: hidden content brought back (shadow attack). */
  pointsIntoSignedBytes?: boolean;
}

export interface RevisionChanges {
  /** 1-based position of the revision in the file. */
  revision: number;
  xrefOffset: number;
  xrefKind: "table" | "stream";
  endOffset: number;
  changes: ObjectChange[];
  /** Changes beyond the listed ones (lists are capped). */
  moreChanges: number;
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

export interface RegistryReport {
  match: boolean;
  publicId?: string;
  documentNumber?: string;
  completedAt?: string;
  signatureCount?: number;
}

export interface VerificationReport {
  verdict: Verdict;
  /** Why the file is unreadable (verdict "unreadable" only). */
  unreadable?: { reason: UnreadableReason; message: string };
  file: { size: number; sha256: string };
  pageCount: number | null;
  revisionCount: number;
  signatures: SignatureReport[];
  /** What came after the last signature: appended revisions and bytes outside any revision. */
  afterLastSignature: { bytes: number; unstructuredBytes: number; revisions: RevisionChanges[] } | null;
  registry: RegistryReport;
  problems: Problem[];
}

export interface RegistryEntry {
  publicId: string;
  documentNumber: string;
  completedAt: Date;
  signatureCount: number;
  sha256: string;
}
