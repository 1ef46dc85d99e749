// Cross-check with an independent verifier: poppler's pdfsig, trusting the instance CA
// through an NSS database, must agree with the portal's cryptographic verdict on every
// corpus file it can read — per signature: digest and signature match ("Signature is
// Valid."), trust ("Certificate is Trusted."), and whole-file coverage ("Total document
// signed"). Where the overall verdicts differ, the portal must be the stricter one, and
// only on the attacks pdfsig is known to miss. Needs poppler-utils and libnss3-tools.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBadInputs, buildCorpus, type Corpus } from "../helpers/attacks";
import {
  parsePdfsig,
  runPdfsigAnyExit as runPdfsig,
  trustedNssDir,
  type PdfsigSignature,
} from "../helpers/verify-pdfsig";
import { verifyPdf, type SignatureReport, type Verdict } from "../../verify-portal/core";

let corpus: Corpus;
let dir: string;
let nssDir: string;

beforeAll(async () => {
  corpus = await buildCorpus();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-pdfsig-"));
  nssDir = await trustedNssDir(corpus.sealing.caPem);
}, 180_000);

function byteRangeOf(signature: PdfsigSignature): number[] | null {
  const match = /^\[(\d+) - (\d+)\], \[(\d+) - (\d+)\]$/.exec(signature.signedRanges ?? "");
  if (!match) return null;
  const [a, b, c, d] = match.slice(1).map(Number);
  return [a, b - a, c, d - c];
}

/** pdfsig's report as a verdict of the same scale as ours. */
function pdfsigVerdict(signatures: PdfsigSignature[]): Verdict {
  if (signatures.length === 0) return "unsigned";
  const ok = (s: PdfsigSignature) =>
    s.signatureValidation === "Signature is Valid." && s.certificateValidation === "Certificate is Trusted.";
  if (!signatures.every(ok)) return "invalid";
  return signatures[signatures.length - 1].totalDocumentSigned ? "valid" : "modified";
}

// Where pdfsig 22.12 says "valid" and the portal does not: pdfsig does not require the
// ByteRange to start at 0 (so it misses a changed, unsigned header).
const PDFSIG_FOOLED = ["usf-byterange-not-from-start", "usf-header-changed"];

describe("pdfsig agreement", () => {
  it("agrees signature by signature on every corpus file it can read", async () => {
    const disagreements: string[] = [];
    const verdicts: Array<{ name: string; ours: Verdict; pdfsig: Verdict }> = [];
    let compared = 0;
    for (const file of corpus.files) {
      const target = path.join(dir, `${file.name}.pdf`);
      await fs.writeFile(target, file.bytes);
      const output = await runPdfsig(target, nssDir);
      const theirs = parsePdfsig(output);
      const report = await verifyPdf(file.bytes, { trustedCertificates: corpus.trusted });
      const ours = report.signatures.filter((signature) => signature.referenced);
      const readable = theirs.length > 0 || /does not contain any signatures/.test(output);
      if (!readable) continue;
      verdicts.push({ name: file.name, ours: report.verdict, pdfsig: pdfsigVerdict(theirs) });
      if (theirs.length === 0 && ours.length > 0)
        disagreements.push(`${file.name}: pdfsig sees no signature, we see ${ours.length}`);
      theirs.forEach((signature, i) => {
        const range = byteRangeOf(signature);
        const match: SignatureReport | undefined =
          (range && report.signatures.find((candidate) => candidate.byteRange?.join() === range.join())) ||
          (theirs.length === ours.length ? ours[i] : undefined);
        if (!match) {
          disagreements.push(`${file.name}: pdfsig signature #${i + 1} has no counterpart`);
          return;
        }
        compared++;
        const theirValid = signature.signatureValidation === "Signature is Valid.";
        const ourValid = match.digestMatch && match.signatureMatch;
        if (theirValid !== ourValid)
          disagreements.push(
            `${file.name} #${i + 1}: pdfsig "${signature.signatureValidation}", ours digest ${match.digestMatch} signature ${match.signatureMatch}`,
          );
        if (!theirValid || !ourValid) return;
        const theirTrust = signature.certificateValidation === "Certificate is Trusted.";
        if (theirTrust !== match.certificateTrusted)
          disagreements.push(
            `${file.name} #${i + 1}: pdfsig "${signature.certificateValidation}", ours trusted ${match.certificateTrusted}`,
          );
        if (signature.totalDocumentSigned !== match.coversWholeFile && !PDFSIG_FOOLED.includes(file.name))
          disagreements.push(
            `${file.name} #${i + 1}: pdfsig total ${signature.totalDocumentSigned}, ours ${match.coversWholeFile}`,
          );
      });
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(corpus.files.length * 0.8);

    // Never more lenient than pdfsig; stricter only on the attacks it misses.
    expect(verdicts.filter((v) => v.ours === "valid" && v.pdfsig !== "valid")).toEqual([]);
    const stricter = verdicts.filter((v) => v.pdfsig === "valid" && v.ours !== "valid").map((v) => v.name);
    expect(stricter.sort()).toEqual([...PDFSIG_FOOLED].sort());
  });

  it("finds no valid signature in any bad input either", async () => {
    const sealed = corpus.files.find((file) => file.name === "sealed-1-page")!.bytes;
    for (const input of await buildBadInputs(sealed)) {
      const target = path.join(dir, `bad-${input.name}.pdf`);
      await fs.writeFile(target, input.bytes);
      const output = await runPdfsig(target, nssDir);
      expect(output, input.name).not.toMatch(/Signature is Valid/);
    }
  });
});
