// Public surface of the verification core: pure functions, bytes in, report out.
export { verifyPdf, parsePdfDate, type VerifyOptions } from "./verify";
export { certificatesFromPem, type CertificateInfo } from "./cms";
export { DEFAULT_LIMITS, type ReaderLimits, type UnreadableReason } from "./limits";
export {
  PROBLEM_MESSAGES,
  type ObjectChange,
  type Problem,
  type ProblemCode,
  type RegistryEntry,
  type RegistryReport,
  type RevisionChanges,
  type SignatureReport,
  type Verdict,
  type VerificationReport,
} from "./report";
export type { ObjectKind } from "./structure";
