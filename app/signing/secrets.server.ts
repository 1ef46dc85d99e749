// The signing area's own secret (HMAC key for one-time codes and signer cookies), made on
// first use under DATA_DIR/secrets and kept there. Not in DATA_DIR/keys: the seal keys
// directory is created atomically by a rename that must find it absent or empty.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "~/config.server";

let cached: { dir: string; key: Buffer } | undefined;

export function signingSecret(): Buffer {
  const dir = path.join(config.dataDir, "secrets");
  if (cached?.dir === dir) return cached.key;
  const file = path.join(dir, "signing-secret");
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    key = fs.readFileSync(file);
  }
  if (key.length < 32) throw new Error(`${file} is too short`);
  cached = { dir, key };
  return key;
}

export function hmac(...parts: string[]): string {
  return crypto.createHmac("sha256", signingSecret()).update(parts.join("\u0000")).digest("hex");
}

export function equalHex(a: string, b: string) {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right);
}
