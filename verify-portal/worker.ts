// The verification task of the portal's worker threads (see pool.ts): bytes in, report out.
// The registry is looked up afterwards on the main thread, which holds the database.
import type { MessagePort } from "node:worker_threads";
import { analyzePdf, type ReaderLimits, type VerificationReport } from "./core";

export interface VerifyTask {
  bytes: Uint8Array;
  trustedCertificates: Uint8Array[];
  /** Identifies the trust list, so the worker keeps one copy (its parsed certificates are cached by identity). */
  trustKey: string;
  now?: number;
  limits?: Partial<ReaderLimits>;
  /** Told when the verification starts (the hard time limit counts from then, not from the worker's start-up). */
  started?: MessagePort;
}

let trust: { key: string; certificates: Uint8Array[] } | null = null;

export default function verify(task: VerifyTask): VerificationReport {
  task.started?.postMessage("started");
  task.started?.close();
  if (trust?.key !== task.trustKey) trust = { key: task.trustKey, certificates: task.trustedCertificates };
  return analyzePdf(task.bytes, {
    trustedCertificates: trust.certificates,
    now: task.now === undefined ? undefined : new Date(task.now),
    limits: task.limits,
  });
}
