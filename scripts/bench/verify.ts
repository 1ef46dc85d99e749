// Verification benchmark: verifications per second of a 1-page and a 100-page file sealed
// by the app, in process (verifyPdf), over HTTP (POST /api/verify on a local portal, one
// client at a time), and with poppler's pdfsig on the same files (one process per file,
// as a script would run it); the field amplification file (20,000 fields showing one
// signature); and how long /healthz takes while a 20,000-page file is being verified (the
// verification runs on a worker thread: no file may delay it by more than 100 ms).
// Run alone: npx tsx scripts/bench/verify.ts
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { verifyPdf } from "../../verify-portal/core";
import { startPortal } from "../../verify-portal/server";
import { createSealing } from "../../tests/helpers/attacks";
import { trustedNssDir } from "../../tests/helpers/pdfsig";
import { makeLargePdf, makePdf } from "../../tests/helpers/verify-pdf-writer";
import { amplifySignatureFields } from "../../tests/helpers/verify-revisions";

const run = promisify(execFile);

export interface VerifyBenchResult {
  name: string;
  perSecond?: number;
  /** For latencies: milliseconds (median and worst). */
  medianMs?: number;
  worstMs?: number;
}

/** Runs `task` for at least `seconds` (and `minRuns` times) after a warm-up; returns runs per second. */
async function rate(task: () => Promise<unknown>, seconds: number, minRuns = 5): Promise<number> {
  for (let i = 0; i < 3; i++) await task();
  let runs = 0;
  const started = performance.now();
  while (runs < minRuns || performance.now() - started < seconds * 1000) {
    await task();
    runs++;
  }
  return runs / ((performance.now() - started) / 1000);
}

export async function benchVerify(options: { seconds?: number } = {}): Promise<VerifyBenchResult[]> {
  const seconds = options.seconds ?? 2;
  const sealing = await createSealing();
  const files = [
    { label: "1 page", bytes: await sealing.seal(await makePdf(1)) },
    { label: "100 pages", bytes: await sealing.seal(await makePdf(100)) },
  ];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-bench-verify-"));
  const results: VerifyBenchResult[] = [];
  const portal = await startPortal({ port: 0, dataDir: sealing.dataDir, trust: [], rateLimitPerMinute: 0, log: false });
  try {
    for (const file of files) {
      const report = await verifyPdf(file.bytes, { trustedCertificates: [sealing.caDer] });
      if (report.verdict !== "valid") throw new Error(`bench file (${file.label}) is ${report.verdict}`);
      results.push({
        name: `in process, ${file.label} (${file.bytes.length} bytes)`,
        perSecond: await rate(() => verifyPdf(file.bytes, { trustedCertificates: [sealing.caDer] }), seconds),
      });
    }
    const amplified = amplifySignatureFields(files[0].bytes, 20_000);
    results.push({
      name: `in process, 20,000 fields showing one signature (${amplified.length} bytes)`,
      perSecond: await rate(() => verifyPdf(amplified, { trustedCertificates: [sealing.caDer] }), seconds, 3),
    });
    const url = `http://127.0.0.1:${portal.port}/api/verify`;
    for (const file of files) {
      const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" });
      results.push({
        name: `HTTP POST /api/verify, ${file.label}`,
        perSecond: await rate(async () => {
          const body = new FormData();
          body.append("file", blob, "sealed.pdf");
          const response = await fetch(url, { method: "POST", body });
          const report = (await response.json()) as { verdict: string };
          if (report.verdict !== "valid") throw new Error(`portal says ${report.verdict}`);
        }, seconds),
      });
    }
    // /healthz while a heavy (legitimate) file is verified on a worker thread.
    const heavy = new Blob([makeLargePdf(20_000) as Uint8Array<ArrayBuffer>], { type: "application/pdf" });
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      const body = new FormData();
      body.append("file", heavy, "heavy.pdf");
      let done = false;
      const pending = fetch(url, { method: "POST", body }).then(async (response) => {
        await response.text();
        done = true;
      });
      while (!done) {
        const started = performance.now();
        await (await fetch(`http://127.0.0.1:${portal.port}/healthz`)).text();
        if (!done) latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await pending;
    }
    latencies.sort((a, b) => a - b);
    results.push({
      name: `GET /healthz during a 20,000-page verification (${latencies.length} requests)`,
      medianMs: latencies[Math.floor(latencies.length / 2)],
      worstMs: latencies[latencies.length - 1],
    });
    let nssDir: string | null = null;
    try {
      nssDir = await trustedNssDir(sealing.caPem);
    } catch {
      console.warn(
        "pdfsig/certutil not installed (apt-get install -y poppler-utils libnss3-tools): pdfsig rows skipped",
      );
    }
    if (nssDir) {
      for (const file of files) {
        const target = path.join(dir, `${file.label.replace(/\W+/g, "-")}.pdf`);
        await fs.writeFile(target, file.bytes);
        results.push({
          name: `pdfsig, ${file.label}`,
          perSecond: await rate(async () => {
            const { stdout } = await run("pdfsig", ["-nssdir", `sql:${nssDir}`, target]);
            if (!stdout.includes("Signature is Valid.")) throw new Error("pdfsig does not find the bench file valid");
          }, seconds),
        });
      }
    }
  } finally {
    await portal.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const results = await benchVerify();
  const width = Math.max(...results.map((result) => result.name.length), 9);
  console.log(`${"benchmark".padEnd(width)}  verifications/s  median ms  worst ms`);
  for (const result of results)
    console.log(
      `${result.name.padEnd(width)}  ${(result.perSecond?.toFixed(1) ?? "").padStart(15)}  ${(result.medianMs?.toFixed(1) ?? "").padStart(9)}  ${(result.worstMs?.toFixed(1) ?? "").padStart(8)}`,
    );
  process.exit(0);
}
