// Hostile and broken input: every file comes out "unreadable" with the reason the bounded
// reader gives, quickly, and without the process's memory running away.
import { beforeAll, describe, expect, it } from "vitest";
import { buildBadInputs, buildCorpus, type Corpus } from "../helpers/attacks";
import { verifyPdf } from "../../verify-portal/core";
import { makePdf } from "../helpers/verify-pdf-writer";

let corpus: Corpus;
let inputs: Awaited<ReturnType<typeof buildBadInputs>>;
beforeAll(async () => {
  corpus = await buildCorpus();
  inputs = await buildBadInputs(corpus.files.find((file) => file.name === "sealed-1-page")!.bytes);
}, 180_000);

describe("bad input", () => {
  it("answers unreadable with the expected reason, each within a second", async () => {
    const seen: string[] = [];
    for (const input of inputs) {
      const started = performance.now();
      const report = await verifyPdf(input.bytes, { trustedCertificates: corpus.trusted });
      const elapsed = performance.now() - started;
      seen.push(`${input.name}: ${report.verdict} ${report.unreadable?.reason} ${Math.round(elapsed)} ms`);
      expect(report.verdict, input.name).toBe("unreadable");
      expect(report.unreadable?.reason, input.name).toBe(input.reason);
      expect(report.unreadable?.message.length, input.name).toBeGreaterThan(10);
      expect(report.signatures).toEqual([]);
      expect(elapsed, input.name).toBeLessThan(1000);
    }
    console.log(seen.join("\n"));
  });

  it("refuses a file over the size limit without parsing it", async () => {
    const big = new Uint8Array(26 * 1024 * 1024);
    big.set(new TextEncoder().encode("%PDF-1.7\n"));
    const report = await verifyPdf(big, { trustedCertificates: [] });
    expect(report.verdict).toBe("unreadable");
    expect(report.unreadable?.reason).toBe("too-large");
    expect(report.file.size).toBe(big.length);
  });

  it("stops at the object limit and the time limit", async () => {
    const hundred = corpus.files.find((file) => file.name === "sealed-100-pages")!.bytes;
    const objects = await verifyPdf(hundred, { trustedCertificates: corpus.trusted, limits: { maxObjects: 50 } });
    expect(objects.unreadable?.reason).toBe("too-many-objects");
    const time = await verifyPdf(hundred, { trustedCertificates: corpus.trusted, limits: { maxMilliseconds: -1 } });
    expect(time.unreadable?.reason).toBe("time-limit");
  });

  it("caps the inflated total across streams, not only per stream", async () => {
    const report = await verifyPdf(await makePdf(30), {
      trustedCertificates: [],
      limits: { maxTotalInflatedBytes: 20_000 },
    });
    expect(report.unreadable?.reason).toBe("stream-too-large");
  });

  it("keeps memory bounded over hundreds of hostile files", async () => {
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 10; round++) {
      for (const input of inputs) await verifyPdf(input.bytes, { trustedCertificates: corpus.trusted });
    }
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);
});
