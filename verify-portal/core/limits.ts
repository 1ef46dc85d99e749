// Resource limits of the bounded PDF reader, and the one error type that turns any
// exhausted limit or broken structure into the verdict "unreadable".

export interface ReaderLimits {
  /** Largest file accepted at all (the portal's upload limit). */
  maxFileBytes: number;
  /** Arrays and dictionaries nested deeper than this are refused (stack and CPU safety). */
  maxNestingDepth: number;
  /** Indirect objects parsed in one verification. */
  maxObjects: number;
  /** Output of one decompressed stream. */
  maxStreamBytes: number;
  /** Output of all decompressed streams together (compression bombs). */
  maxTotalInflatedBytes: number;
  /** Cross-reference sections followed through /Prev. */
  maxXrefSections: number;
  /** Wall-clock budget of one verification. */
  maxMilliseconds: number;
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  maxNestingDepth: 64,
  maxObjects: 250_000,
  maxStreamBytes: 32 * 1024 * 1024,
  maxTotalInflatedBytes: 96 * 1024 * 1024,
  maxXrefSections: 2_000,
  maxMilliseconds: 10_000,
};

/** Why a file could not be read; the codes are stable (the JSON API and the page use them). */
export type UnreadableReason =
  | "empty"
  | "too-large"
  | "not-pdf"
  | "truncated"
  | "xref-broken"
  | "syntax"
  | "nesting-too-deep"
  | "too-many-objects"
  | "stream-too-large"
  | "stream-length"
  | "unsupported-filter"
  | "time-limit"
  | "encrypted"
  | "password-required"
  | "no-catalog"
  | "memory-limit"
  | "internal-error";

export class UnreadablePdfError extends Error {
  constructor(
    readonly reason: UnreadableReason,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = "UnreadablePdfError";
  }
}

/** Shared counters of one verification: every loop that may run long ticks this. */
export class Budget {
  private readonly deadline: number;
  private objects = 0;
  private inflated = 0;
  private ticks = 0;

  constructor(readonly limits: ReaderLimits) {
    this.deadline = Date.now() + limits.maxMilliseconds;
  }

  /** Cheap enough for inner loops: looks at the clock once every 1024 calls. */
  tick(): void {
    if ((++this.ticks & 1023) === 0) this.checkTime();
  }

  checkTime(): void {
    if (Date.now() > this.deadline) {
      throw new UnreadablePdfError("time-limit", `reading the file took longer than ${this.limits.maxMilliseconds} ms`);
    }
  }

  countObject(): void {
    if (++this.objects > this.limits.maxObjects) {
      throw new UnreadablePdfError("too-many-objects", `the file has more than ${this.limits.maxObjects} objects`);
    }
  }

  /** How many more bytes one stream may inflate to. */
  inflateAllowance(): number {
    return Math.min(this.limits.maxStreamBytes, this.limits.maxTotalInflatedBytes - this.inflated);
  }

  countInflated(bytes: number): void {
    this.inflated += bytes;
  }
}
