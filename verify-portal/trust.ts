// The certificates a signer may chain to: the instance CA (DATA_DIR/keys/ca.pem, written
// by the app on its first start, possibly after the portal started), the instance's
// development TSA when it runs one (DATA_DIR/dev-tsa/ca.pem, DEV_TSA=1: its time-stamps
// are in the instance's seals; the key sits in DATA_DIR like the instance CA's), and the
// PEM files listed in VERIFY_TRUST. Files are re-read when their size or modification
// time changes; a file that is not there trusts nothing.
import fs from "node:fs";
import path from "node:path";
import { certificatesFromPem } from "./core";

interface Loaded {
  signature: string;
  certificates: Uint8Array[];
}

export class TrustStore {
  private readonly files: string[];
  private readonly loaded = new Map<string, Loaded>();
  private lastCheck = 0;
  private current: Uint8Array[] = [];

  constructor(
    dataDir: string,
    extra: string[] = [],
    /** How long a check stays fresh; stat calls are cheap, but not free per upload. */
    private readonly recheckMs = 1000,
  ) {
    this.files = [
      path.join(dataDir, "keys", "ca.pem"),
      path.join(dataDir, "dev-tsa", "ca.pem"),
      ...extra.map((file) => path.resolve(file)),
    ];
  }

  /** VERIFY_TRUST: comma-separated PEM paths. */
  static fromEnvironment(dataDir: string, value = process.env.VERIFY_TRUST): TrustStore {
    const extra = (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    return new TrustStore(dataDir, extra);
  }

  get paths(): readonly string[] {
    return this.files;
  }

  /** DER certificates, current as of at most `recheckMs` ago. */
  certificates(): Uint8Array[] {
    const now = Date.now();
    if (now - this.lastCheck < this.recheckMs && this.lastCheck !== 0) return this.current;
    this.lastCheck = now;
    let changed = false;
    for (const file of this.files) {
      let signature = "missing";
      try {
        const stat = fs.statSync(file);
        signature = `${stat.size}:${stat.mtimeMs}`;
      } catch {
        // Not there (yet): the app writes ca.pem on its first start.
      }
      if (this.loaded.get(file)?.signature === signature) continue;
      changed = true;
      let certificates: Uint8Array[] = [];
      if (signature !== "missing") {
        try {
          certificates = certificatesFromPem(fs.readFileSync(file, "utf8"));
        } catch {
          certificates = [];
        }
      }
      this.loaded.set(file, { signature, certificates });
    }
    if (changed) this.current = this.files.flatMap((file) => this.loaded.get(file)?.certificates ?? []);
    return this.current;
  }
}
