// Public surface of the verification core: pure functions, bytes in, report out.
export { analyzePdf, applyRegistry, verifyPdf, parsePdfDate, type VerifyOptions } from "./verify";
export { certificatesFromPem, type CertificateInfo, type TimestampInfo } from "./cms";
export { DEFAULT_LIMITS, type ReaderLimits, type UnreadableReason } from "./limits";
export {
  MAX_LISTED_CHANGES,
  MAX_LISTED_REVISIONS,
  MAX_REPORTED_SIGNATURES,
  PROBLEM_MESSAGES,
  WARNING_MESSAGES,
  unreadableReport,
  type ChangeCategory,
  type ChangePermissions,
  type DisallowedChange,
  type ObjectChange,
  type Problem,
  type ProblemCode,
  type RegistryEntry,
  type RegistryReport,
  type RevisionChanges,
  type RevisionReport,
  type SignatureReport,
  type Verdict,
  type VerificationReport,
  type Warning,
  type WarningCode,
} from "./report";
export type { ObjectKind } from "./structure";
