// A sealed file's /Contents changed byte by byte: every byte of the CMS replaced, then hex
// digits replaced by characters that are not hex. Each result is a verdict about a
// signature, never an exception, never "unreadable" (the document still opens): "invalid",
// or "valid" only where the byte is one nothing signs or relies on (the CA certificate the
// CMS carries along — the trust store holds the anchor —, the version numbers and the
// digestAlgorithms hint); openssl agrees on a sample of both. The command line answers as
// the API does, with no stack trace.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPdf, type VerificationReport } from "../../verify-portal/core";
import { createSealing, type Sealing } from "../helpers/attacks";
import { cmsVerifyArguments } from "../helpers/verify-openssl";
import { makePdf } from "../helpers/verify-pdf-writer";

const run = promisify(execFile);

let sealing: Sealing;
let sealed: Uint8Array;
let gapStart: number;
let gapEnd: number;
let derLength: number;
/** DER byte indexes of the CMS that no signature covers and no check relies on. */
let unsignedBytes: Set<number>;

beforeAll(async () => {
  sealing = await createSealing();
  sealed = await sealing.seal(await makePdf(1));
  const report = await verifyPdf(sealed, { trustedCertificates: [sealing.caDer] });
  [, gapStart, gapEnd] = report.signatures[0].byteRange!;
  const hex = Buffer.from(sealed.subarray(gapStart + 1, gapEnd - 1)).toString("latin1");
  derLength = hex.replace(/(00)+$/, "").length / 2;
  const der = Buffer.from(hex.slice(0, derLength * 2), "hex");
  unsignedBytes = new Set();
  const mark = (block: asn1js.AsnType) => {
    const view = block.valueBeforeDecodeView; // a view into `der`: its offset is the block's position
    const at = view.byteOffset - der.byteOffset;
    for (let i = at; i < at + view.byteLength; i++) unsignedBytes.add(i);
  };
  // ContentInfo { contentType, [0] SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos } }
  const signedData = ((asn1js.fromBER(der).result as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed)
    .valueBlock.value[0] as asn1js.Sequence;
  const [version, digestAlgorithms, , certificates, signerInfos] = signedData.valueBlock.value;
  mark(version);
  mark(digestAlgorithms);
  const ca = Buffer.from(sealing.caDer);
  for (const certificate of (certificates as asn1js.Constructed).valueBlock.value)
    if (Buffer.from(certificate.valueBeforeDecodeView).equals(ca)) mark(certificate);
  mark(((signerInfos as asn1js.Set).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0]); // SignerInfo version
}, 120_000);

const verify = (bytes: Uint8Array) => verifyPdf(bytes, { trustedCertificates: [sealing.caDer] });

/** The file with DER byte `index` of the signature value set to `value`. */
function withDerByte(index: number, value: number): Uint8Array {
  const out = Uint8Array.from(sealed);
  out.set(Buffer.from(value.toString(16).padStart(2, "0"), "latin1"), gapStart + 1 + 2 * index);
  return out;
}

/** openssl's view of a (mutated) file's signature: does the CMS verify over the signed bytes? */
async function opensslVerifies(bytes: Uint8Array, dir: string, name: string): Promise<boolean> {
  const hex = Buffer.from(bytes.subarray(gapStart + 1, gapEnd - 1)).toString("latin1");
  const cms = path.join(dir, `${name}.p7s`);
  const content = path.join(dir, `${name}.bin`);
  await fs.writeFile(cms, Buffer.from(hex, "hex"));
  await fs.writeFile(content, Buffer.concat([bytes.subarray(0, gapStart), bytes.subarray(gapEnd)]));
  const ca = path.join(dir, "ca.pem"); // written once by the caller
  try {
    await run("openssl", cmsVerifyArguments(cms, content, ca));
    return true;
  } catch {
    return false;
  }
}

describe("/Contents fuzzing", () => {
  it("judges every byte of the signature value changed as a signature, never a crash", async () => {
    const verdicts = new Map<string, number>();
    const stillValid: number[] = [];
    for (let index = 0; index < derLength; index++) {
      const original = parseInt(
        Buffer.from(sealed.subarray(gapStart + 1 + 2 * index, gapStart + 3 + 2 * index)).toString("latin1"),
        16,
      );
      const report: VerificationReport = await verify(withDerByte(index, original ^ 0x5a));
      verdicts.set(report.verdict, (verdicts.get(report.verdict) ?? 0) + 1);
      expect(["invalid", "valid"], `byte ${index}`).toContain(report.verdict);
      expect(report.signatures, `byte ${index}`).toHaveLength(1);
      if (report.verdict === "valid") stillValid.push(index);
      else expect(report.signatures[0].problems.length, `byte ${index}`).toBeGreaterThan(0);
    }
    console.log(`${derLength} bytes: ${[...verdicts].map(([verdict, count]) => `${verdict} ${count}`).join(", ")}`);
    expect(stillValid.filter((index) => !unsignedBytes.has(index))).toEqual([]);
    expect(verdicts.get("invalid")).toBeGreaterThan(derLength - unsignedBytes.size);

    // Where the portal still says "valid" (a byte nothing signs), openssl must agree, and
    // where it refuses the cryptography, openssl must refuse too: a sample of both.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-fuzz-"));
    await fs.writeFile(path.join(dir, "ca.pem"), sealing.caPem);
    const spread = (list: number[], count: number) =>
      Array.from({ length: Math.min(count, list.length) }, (_, i) => list[Math.floor((i * list.length) / count)]);
    const all = Array.from({ length: derLength }, (_, i) => i);
    const disagreements: string[] = [];
    const sample = [...new Set([...spread(stillValid, 40), ...spread(all, 40), 0, 1, 2, 3, derLength - 1])];
    for (let batch = 0; batch < sample.length; batch += 8) {
      await Promise.all(
        sample.slice(batch, batch + 8).map(async (index) => {
          const original = parseInt(
            Buffer.from(sealed.subarray(gapStart + 1 + 2 * index, gapStart + 3 + 2 * index)).toString("latin1"),
            16,
          );
          const mutated = withDerByte(index, original ^ 0x5a);
          const report = await verify(mutated);
          // openssl cms -verify judges the signature and the chain to the CA.
          const signature = report.signatures[0];
          const ours = signature.digestMatch && signature.signatureMatch && signature.certificateTrusted;
          const theirs = await opensslVerifies(mutated, dir, `byte-${index}`);
          if (ours !== theirs) disagreements.push(`byte ${index}: ours ${ours}, openssl ${theirs}`);
        }),
      );
    }
    expect(disagreements).toEqual([]);
  }, 120_000);

  it("answers characters that break the hex string with an invalid signature, not an unreadable file", async () => {
    const codes = new Set<string>();
    const derEnd = gapStart + 1 + 2 * derLength;
    for (let position = gapStart + 1; position < gapEnd - 1; position += 11) {
      for (const character of ["G", " ", ">", "(", "\n"]) {
        const mutated = Uint8Array.from(sealed);
        mutated[position] = character.charCodeAt(0);
        const report = await verify(mutated);
        // Whitespace is allowed in a hex string: in the zero padding after the DER it changes nothing.
        const harmless = position >= derEnd && (character === " " || character === "\n");
        expect(report.verdict, `${JSON.stringify(character)} at ${position}`).toBe(harmless ? "valid" : "invalid");
        for (const problem of report.problems) codes.add(problem.code);
      }
    }
    console.log([...codes].join(", "));
    expect(codes).toContain("signature-unreadable");
  }, 120_000);

  it("answers on the command line with exit 1 and a report, never an exception", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-fuzz-cli-"));
    const signedIndexes = Array.from({ length: derLength }, (_, i) => i).filter((i) => !unsignedBytes.has(i));
    const files = [
      withDerByte(0, 0x31), // not a SEQUENCE
      withDerByte(3, 0xff), // a length that runs past the end
      withDerByte(signedIndexes[Math.floor(signedIndexes.length / 2)], 0x00),
      (() => {
        const mutated = Uint8Array.from(sealed);
        mutated[gapStart + 20] = "G".charCodeAt(0);
        return mutated;
      })(),
    ];
    const results = await Promise.all(
      files.map(async (bytes, i) => {
        const file = path.join(dir, `mutated-${i}.pdf`);
        await fs.writeFile(file, bytes);
        try {
          await run("npx", ["tsx", "verify-portal/cli.ts", file, "--json"], {
            env: { ...process.env, DATA_DIR: sealing.dataDir },
          });
          return { code: 0, stdout: "", stderr: "" };
        } catch (error) {
          const failure = error as { code: number; stdout: string; stderr: string };
          return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
        }
      }),
    );
    for (const [i, result] of results.entries()) {
      expect(result.code, `file ${i}: ${result.stderr}`).toBe(1);
      expect(result.stderr, `file ${i}`).not.toMatch(/Error|at .*\.ts:\d+/);
      expect((JSON.parse(result.stdout) as VerificationReport).verdict, `file ${i}`).toBe("invalid");
    }
  }, 120_000);
});
