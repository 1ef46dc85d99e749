// The seal's background chores: say at start which PAdES level seals get (a missing TSA
// is a warning, never silent), and keep the instance CA's CRL fresh: it is reissued every
// day (valid a week) so that the seal certificate's CRL distribution point always answers.
import { config } from "~/config.server";
import { instanceCrl } from "./crl.server";
import { loadSealIdentity } from "./keys.server";
import { configuredTimestampAuthority } from "./tsp.server";

const CHECK_EVERY_MS = 3600 * 1000;
let timer: NodeJS.Timeout | undefined;

/** What seals are, in words for the log and the admin page. */
export function sealLevel(): { level: "B-B" | "B-LTA"; tsaUrl?: string } {
  return config.tsaUrl ? { level: "B-LTA", tsaUrl: config.tsaUrl } : { level: "B-B" };
}

export async function refreshInstanceCrl() {
  try {
    const identity = await loadSealIdentity(config.dataDir);
    // SEAL_P12: the certificate's own issuer publishes its CRL.
    if (identity.instanceCa) await instanceCrl(identity.instanceCa.dataDir);
  } catch (error) {
    console.error("seal: could not refresh the instance CA's CRL:", error);
  }
}

export function startSealWorker() {
  if (timer) return;
  const { level, tsaUrl } = sealLevel();
  if (level === "B-B") {
    console.warn(
      "seal: TSA_URL is not set: sealed PDFs are PAdES B-B (no trusted time, no long-term validation data). Set TSA_URL to an RFC 3161 time-stamping authority for PAdES B-LTA.",
    );
  } else {
    try {
      configuredTimestampAuthority();
      console.log(`seal: sealed PDFs are PAdES B-LTA, time-stamped by ${tsaUrl}`);
    } catch (error) {
      console.error(`seal: ${(error as Error).message}; documents will wait to be sealed until it is fixed`);
    }
  }
  timer = setInterval(() => void refreshInstanceCrl(), CHECK_EVERY_MS);
  timer.unref();
  void refreshInstanceCrl();
}

export function stopSealWorker() {
  if (timer) clearInterval(timer);
  timer = undefined;
}
