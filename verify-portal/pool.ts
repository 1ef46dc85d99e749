// Verification off the event loop: a pool of worker threads (piscina, see
// docs/decisions/007-worker-threads.md) with a hard time limit per file that terminates the
// worker running it. At most `threads` files are verified at once and at most `maxWaiting`
// wait for a thread (for at most `maxWaitMs`); beyond that the caller is told the portal is
// busy. The hard limit counts from the moment the worker starts the task (it says so over a
// message port), so a worker's own start-up is not held against a file.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import {
  DEFAULT_LIMITS,
  unreadableReport,
  type ReaderLimits,
  type UnreadableReason,
  type VerificationReport,
} from "./core";
import type { VerifyTask } from "./worker";

export class VerifierBusyError extends Error {
  constructor() {
    super("every verification thread is busy and the queue is full");
  }
}

export interface VerifierPoolOptions {
  /** Worker threads (default VERIFY_WORKERS, else 2 to 4 by the machine's cores). */
  threads?: number;
  /** Files that may wait for a thread. */
  maxWaiting?: number;
  /** How long a file may wait for a thread. */
  maxWaitMs?: number;
  /** Hard limit of one verification; the worker is terminated past it (default: the reader's budget + 5 s). */
  hardTimeoutMs?: number;
  /** Reader limits for every verification (tests use small budgets). */
  limits?: Partial<ReaderLimits>;
  /** Heap of each worker. */
  maxHeapMb?: number;
}

/** The project's root (where package.json is), from this module wherever it was loaded from. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function defaultThreads(): number {
  const configured = Number(process.env.VERIFY_WORKERS);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return Math.min(4, Math.max(2, os.availableParallelism()));
}

export class VerifierPool {
  private readonly piscina: Piscina<VerifyTask, VerificationReport>;
  private readonly threads: number;
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;
  private readonly hardTimeoutMs: number;
  private readonly limits: Partial<ReaderLimits> | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly trustKeys = new WeakMap<Uint8Array[], string>();

  constructor(options: VerifierPoolOptions = {}) {
    this.threads = options.threads ?? defaultThreads();
    this.maxWaiting = options.maxWaiting ?? 16;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.limits = options.limits;
    this.hardTimeoutMs =
      options.hardTimeoutMs ?? (options.limits?.maxMilliseconds ?? DEFAULT_LIMITS.maxMilliseconds) + 5_000;
    this.piscina = new Piscina<VerifyTask, VerificationReport>({
      // Found from the project root, as every pool's worker (ADR 007), bundled or not.
      filename: path.join(projectRoot(), "verify-portal/worker.ts"),
      // TypeScript workers load through tsx, under vitest, tsx server.ts and the CLI alike.
      execArgv: ["--import", "tsx"],
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 768 },
    });
    // Load the verifier in every thread now rather than on the first upload.
    for (let i = 0; i < this.threads; i++) {
      const warmUp: VerifyTask = { bytes: new Uint8Array(0), trustedCertificates: [], trustKey: "" };
      this.piscina.run(warmUp).catch(() => undefined);
    }
  }

  /** Verifies one file on a worker thread; throws VerifierBusyError when there is no room. */
  async verify(bytes: Uint8Array, trustedCertificates: Uint8Array[], now?: Date): Promise<VerificationReport> {
    await this.acquire();
    try {
      return await this.run(bytes, trustedCertificates, now);
    } finally {
      this.release();
    }
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }

  private acquire(): Promise<void> {
    if (this.running < this.threads) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new VerifierBusyError());
    return new Promise((resolve, reject) => {
      const start = () => {
        clearTimeout(timer);
        this.running++;
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(start);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new VerifierBusyError());
      }, this.maxWaitMs);
      this.waiting.push(start);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  private async run(bytes: Uint8Array, trustedCertificates: Uint8Array[], now?: Date): Promise<VerificationReport> {
    // A private copy whose memory moves to the worker (no second copy, nothing shared).
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    const { port1, port2 } = new MessageChannel();
    const task: VerifyTask = {
      bytes: copy,
      trustedCertificates,
      trustKey: this.trustKey(trustedCertificates),
      now: now?.getTime(),
      limits: this.limits,
      started: port2,
    };
    const abort = new AbortController();
    let limit: NodeJS.Timeout | undefined;
    port1.once("message", () => {
      limit = setTimeout(() => abort.abort(), this.hardTimeoutMs);
    });
    // A worker that does not even start the task (its start-up hangs) is given up on too.
    const startLimit = setTimeout(() => abort.abort(), this.hardTimeoutMs + 60_000);
    try {
      return await this.piscina.run(task, { transferList: [copy.buffer, port2], signal: abort.signal });
    } catch (error) {
      const name = (error as Error)?.name;
      const code = (error as NodeJS.ErrnoException)?.code;
      if (name === "AbortError")
        return failedReport(bytes, "time-limit", `checking the file took longer than ${this.hardTimeoutMs} ms`);
      if (code === "ERR_WORKER_OUT_OF_MEMORY")
        return failedReport(bytes, "memory-limit", "checking the file needed more memory than a check may use");
      console.error("verify-portal: verification worker failed", error);
      return failedReport(
        bytes,
        "internal-error",
        "the verifier could not finish checking this file (an internal error; please report it with the file)",
      );
    } finally {
      clearTimeout(limit);
      clearTimeout(startLimit);
      port1.close();
    }
  }

  private trustKey(certificates: Uint8Array[]): string {
    let key = this.trustKeys.get(certificates);
    if (!key) {
      const hash = crypto.createHash("sha256");
      for (const certificate of certificates) hash.update(certificate);
      key = `${certificates.length}:${hash.digest("hex")}`;
      this.trustKeys.set(certificates, key);
    }
    return key;
  }
}

/** The report for a file whose verification was stopped from outside (time, memory). */
async function failedReport(bytes: Uint8Array, reason: UnreadableReason, message: string): Promise<VerificationReport> {
  // Hashed on the thread pool: a 25 MB file would hold the event loop for tens of milliseconds.
  const digest = await crypto.webcrypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return unreadableReport({ size: bytes.length, sha256: Buffer.from(digest).toString("hex") }, reason, message);
}
