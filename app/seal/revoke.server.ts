// Revoking the instance seal's certificate (`npm run seal:revoke`): the certificate goes on
// the instance CA's CRL at once, a new key and certificate under the same CA take its place,
// and the running app picks them up at its next seal (keys.server.ts watches the files).
// Documents sealed before keep their evidence: their time-stamps prove the seal was made
// before the revocation. Documents sealed without a TSA (B-B) cannot prove that.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { type CrlReason, normalizeSerial, publishInstanceCrl, recordRevocation } from "./crl.server";
import { keysDirectory, loadSealIdentity, replaceSealCertificate } from "./keys.server";

export interface Revocation {
  revokedSerial: string;
  revokedAt: Date;
  newSerial: string;
  newValidTo: string;
}

export async function revokeSealCertificate(
  dataDir: string,
  options: { reason?: CrlReason; now?: Date } = {},
): Promise<Revocation> {
  const identity = await loadSealIdentity(dataDir, {}); // the generated instance seal, whatever SEAL_P12 says
  const lock = path.join(keysDirectory(dataDir), ".revoke.lock");
  try {
    await fs.mkdir(lock);
  } catch {
    throw new Error(`another seal:revoke is running (or crashed: remove ${lock})`);
  }
  try {
    const now = options.now ?? new Date();
    const current = new crypto.X509Certificate(identity.certificate);
    const revokedSerial = normalizeSerial(current.serialNumber);
    // Revoked first, published, then replaced: a crash in between leaves a revoked
    // certificate in place, which the seal refuses to use, never a valid one unlisted.
    await recordRevocation(dataDir, {
      serial: revokedSerial,
      revokedAt: now.toISOString(),
      reason: options.reason ?? "unspecified",
    });
    await publishInstanceCrl(dataDir, now);
    const replaced = await replaceSealCertificate(dataDir);
    return {
      revokedSerial,
      revokedAt: now,
      newSerial: normalizeSerial(replaced.current.serialNumber),
      newValidTo: replaced.current.validTo,
    };
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}
