// The audit chain's HMAC key: 32 random bytes made on first use in DATA_DIR/keys/audit-chain.key,
// beside the seal's keys and never in the database, so that rewriting a chain needs more than
// a copy of the database. Synchronous: events are appended inside synchronous transactions.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const AUDIT_KEY_FILE = "audit-chain.key";

const cache = new Map<string, Buffer>();

export function auditKeyPath(dataDir: string) {
  return path.join(path.resolve(dataDir), "keys", AUDIT_KEY_FILE);
}

/** The key of this DATA_DIR, made when there is none yet (`create: false` for read-only tools). */
export function auditKey(dataDir: string, options: { create?: boolean } = {}): Buffer {
  const file = auditKeyPath(dataDir);
  const cached = cache.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || options.create === false) throw error;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600, flag: "wx" });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
    }
    key = fs.readFileSync(file);
  }
  if (key.length < 32) throw new Error(`${file} is too short to be an audit key`);
  cache.set(file, key);
  return key;
}
