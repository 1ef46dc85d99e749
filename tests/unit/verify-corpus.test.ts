// The verifier against the generated corpus: untouched sealed files are valid, every
// attack file is modified or invalid, a foreign signer is "certificate not trusted".
import { beforeAll, describe, expect, it } from "vitest";
import { buildCorpus, type Corpus } from "../helpers/attacks";
import { verifyPdf } from "../../verify-portal/core";

let corpus: Corpus;
beforeAll(async () => {
  corpus = await buildCorpus();
}, 180_000);

describe("verification corpus", () => {
  it("has every attack class", () => {
    const families = new Set(corpus.files.map((file) => file.family));
    for (const family of ["sealed", "foreign", "usf", "isa", "swa", "shadow"]) expect(families).toContain(family);
  });

  it("judges every corpus file as expected", async () => {
    const results: string[] = [];
    for (const file of corpus.files) {
      const report = await verifyPdf(file.bytes, { trustedCertificates: corpus.trusted });
      const codes = report.problems.map((problem) => problem.code);
      const warnings = report.warnings.map((entry) => entry.code);
      const ok =
        file.expected.includes(report.verdict) &&
        (!file.expectedProblem || codes.includes(file.expectedProblem)) &&
        (!file.expectedWarning || warnings.includes(file.expectedWarning));
      results.push(
        `${ok ? "ok  " : "FAIL"} ${file.name}: ${report.verdict} [${codes.join(", ")}]${warnings.length ? ` warnings [${warnings.join(", ")}]` : ""}${report.unreadable ? " " + report.unreadable.message : ""}`,
      );
    }
    console.log(results.join("\n"));
    expect(results.filter((line) => line.startsWith("FAIL"))).toEqual([]);
  });
});
