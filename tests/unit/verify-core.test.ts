// The verification core in detail: the object parser, the report's details (what a later
// revision changes, registry, dates), certificate checks (trust, expiry), xref streams
// with predictors, the trust store, the portal's dictionary, and mutation fuzzing (no
// change outside the signature value may leave a sealed file "valid").
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { parsePdfDate, verifyPdf, type VerificationReport } from "../../verify-portal/core";
import { Budget, DEFAULT_LIMITS } from "../../verify-portal/core/limits";
import { Lexer, PdfArray, PdfDict, PdfName, PdfRef, PdfString, parseObject } from "../../verify-portal/core/syntax";
import { chooseLanguage, formatDate } from "../../verify-portal/i18n";
import { TrustStore } from "../../verify-portal/trust";
import { buildCorpus, type Corpus } from "../helpers/attacks";
import { concat } from "../helpers/verify-pdf-writer";
import { testPki } from "../helpers/verify-pki";

let corpus: Corpus;
const file = (name: string) => corpus.files.find((entry) => entry.name === name)!.bytes;
const verify = (bytes: Uint8Array, extra: Partial<Parameters<typeof verifyPdf>[1]> = {}) =>
  verifyPdf(bytes, { trustedCertificates: corpus.trusted, ...extra });

beforeAll(async () => {
  corpus = await buildCorpus();
}, 180_000);

function parse(text: string, maxDepth = 64) {
  return parseObject(new Lexer(new Uint8Array(Buffer.from(text, "latin1")), 0, new Budget(DEFAULT_LIMITS)), maxDepth);
}

describe("object parser", () => {
  it("reads names, strings, references and containers with their positions", () => {
    const value = parse(
      "<</A#20B (x\\)y(z)\\101) /H <48 6 5 5> /R 12 0 R /N [1 -2.5 +3 .5] /T true /Z null>>",
    ) as PdfDict;
    expect([...value.entries.keys()]).toEqual(["A B", "H", "R", "N", "T", "Z"]);
    expect(Buffer.from((value.get("A B") as PdfString).bytes).toString("latin1")).toBe("x)y(z)A");
    const hex = value.get("H") as PdfString;
    expect([...hex.bytes]).toEqual([0x48, 0x65, 0x50]);
    expect(hex.hex).toBe(true);
    expect(hex.start).toBe(26);
    expect(hex.end).toBe(36);
    expect((value.get("R") as PdfRef).num).toBe(12);
    expect((value.get("N") as PdfArray).items).toEqual([1, -2.5, 3, 0.5]);
    expect(value.get("T")).toBe(true);
    expect(value.get("Z")).toBe(null);
  });

  it("records repeated keys and refuses deep nesting without recursion", () => {
    const value = parse("<</Contents <00> /Contents <01>>>") as PdfDict;
    expect(value.duplicateKeys).toEqual(["Contents"]);
    expect(() => parse("[".repeat(65) + "]".repeat(65))).toThrow(/nested deeper/);
    expect(() => parse("[".repeat(1_000_000))).toThrow(/nested deeper/);
    expect(parse("[".repeat(64) + "]".repeat(64))).toBeInstanceOf(PdfArray);
  });

  it("reports strings and dictionaries that never end as truncation", () => {
    expect(() => parse("(never ends")).toThrow(/never ends/);
    expect(() => parse("<</A 1")).toThrow(/ends inside an object/);
    expect(() => parse("<41 zz>")).toThrow(/hex string/);
    expect(parse("/Name")).toBeInstanceOf(PdfName);
  });
});

describe("report details", () => {
  it("lists what each revision after the signature changes, and what each change is", async () => {
    /** The first revision after the last signature, as the report lists it. */
    const appended = (report: VerificationReport) =>
      report.revisions.find((revision) => revision.revision === report.afterLastSignature!.revisions[0])!;
    const annotation = await verify(file("isa-annotation"));
    const revision = appended(annotation);
    expect(revision.touches).toMatchObject({ annotations: true, pages: true });
    expect(revision.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "annotation", action: "added", page: 1, category: "annotation" }),
        expect.objectContaining({ kind: "page", action: "changed", page: 1, category: "annotation" }),
      ]),
    );
    expect(annotation.signatures[0].changesAfter).toMatchObject({
      allowed: false,
      disallowed: [{ revision: revision.revision, category: "annotation", objects: 2 }],
    });

    const page = await verify(file("isa-new-page"));
    expect(appended(page)).toMatchObject({ pageCountBefore: 1, pageCountAfter: 2, categories: ["content"] });
    expect(page.pageCount).toBe(2);

    const shadow = await verify(file("shadow-hide-and-replace-xref"));
    expect(appended(shadow).changes).toEqual([
      expect.objectContaining({
        kind: "page-content",
        action: "changed",
        page: 1,
        pointsIntoSignedBytes: true,
        category: "content",
      }),
    ]);

    const freed = await verify(file("shadow-hide-free"));
    expect(appended(freed).changes).toEqual([
      expect.objectContaining({ action: "deleted", kind: "page-content", category: "content" }),
    ]);

    const field = await verify(file("shadow-replace-field"));
    expect(appended(field).touches).toMatchObject({ formFields: true, pageContent: true });
    // Filling a field is not something an approval signature allows (it changes what a viewer shows).
    expect(appended(field).categories).toContain("form-fill");
    expect(field.signatures[0].changesAfter.allowed).toBe(false);

    const loose = await verify(file("isa-no-xref"));
    expect(loose.afterLastSignature).toMatchObject({ revisions: [], allowed: false });
    expect(loose.afterLastSignature!.unstructuredBytes).toBeGreaterThan(0);

    const untouched = await verify(file("sealed-1-page"));
    expect(untouched.afterLastSignature).toBeNull();
    expect(untouched.revisionCount).toBe(2);
    expect(untouched.revisions).toEqual([
      expect.objectContaining({ revision: 2, signatures: [1], compared: false, changes: [] }),
    ]);
    expect(untouched.signatures[0]).toMatchObject({
      revision: 2,
      signet: true,
      permissions: { policy: "signet-seal" },
      changesAfter: { revisions: [], allowed: true },
    });
  });

  it("reports the signature as a viewer and an auditor need it", async () => {
    const report = await verify(file("sealed-1-page"));
    const [signature] = report.signatures;
    expect(signature).toMatchObject({
      index: 1,
      subFilter: "ETSI.CAdES.detached",
      digestAlgorithm: "sha256",
      coversWholeFile: true,
      intact: true,
      referenced: true,
      signingTime: "2026-11-28T12:00:00.000Z",
    });
    expect(signature.byteRange![0]).toBe(0);
    expect(signature.bytesCovered).toBe(report.file.size - (signature.byteRange![2] - signature.byteRange![1]));
    expect(signature.chain.map((entry) => entry.subject)).toEqual([
      expect.stringContaining("Signet seal"),
      expect.stringContaining("Signet instance CA"),
    ]);
    expect(report.file.sha256).toBe(crypto.createHash("sha256").update(file("sealed-1-page")).digest("hex"));
  });

  it("asks the registry by the file's SHA-256", async () => {
    const bytes = file("sealed-1-page");
    const asked: string[] = [];
    const report = await verify(bytes, {
      registry: (sha256) => {
        asked.push(sha256);
        return {
          publicId: "p1",
          documentNumber: "FV/2026/0001",
          completedAt: new Date("2026-11-28T10:00:00Z"),
          signatureCount: 1,
          sha256,
        };
      },
    });
    expect(asked).toEqual([report.file.sha256]);
    expect(report.registry).toEqual({
      match: true,
      publicId: "p1",
      documentNumber: "FV/2026/0001",
      completedAt: "2026-11-28T10:00:00.000Z",
      signatureCount: 1,
    });
    expect((await verify(bytes, { registry: () => null })).registry).toEqual({ match: false });
  });

  it("parses PDF dates with and without zones", () => {
    expect(parsePdfDate("D:20261128120000Z")).toBe("2026-11-28T12:00:00.000Z");
    expect(parsePdfDate("D:20261128130000+01'00'")).toBe("2026-11-28T12:00:00.000Z");
    expect(parsePdfDate("D:20261128070000-05'00")).toBe("2026-11-28T12:00:00.000Z");
    expect(parsePdfDate("D:2026")).toBe("2026-01-01T00:00:00.000Z");
    expect(parsePdfDate("yesterday")).toBeNull();
    expect(parsePdfDate(undefined)).toBeNull();
  });
});

describe("certificates", () => {
  it("needs a trusted anchor, and accepts any listed one", async () => {
    const pki = await testPki();
    const sealed = file("sealed-1-page");
    const none = await verifyPdf(sealed, { trustedCertificates: [] });
    expect(none.verdict).toBe("invalid");
    expect(none.problems.map((problem) => problem.code)).toEqual(["certificate-not-trusted"]);
    const sealOnly = await verifyPdf(sealed, {
      trustedCertificates: [new Uint8Array(corpus.sealing.identity.certificate)],
    });
    expect(sealOnly.verdict).toBe("valid");
    const foreign = await verifyPdf(file("foreign-signed"), {
      trustedCertificates: [...corpus.trusted, pki.foreignCa.certificateDer],
    });
    expect(foreign.verdict).toBe("valid");
    const garbageTrust = await verifyPdf(sealed, { trustedCertificates: [new Uint8Array([1, 2, 3])] });
    expect(garbageTrust.verdict).toBe("invalid");
  });

  it("refuses certificates outside their validity period", async () => {
    const sealed = file("sealed-1-page");
    const later = await verify(sealed, { now: new Date("2099-01-01T00:00:00Z") });
    expect(later.verdict).toBe("invalid");
    expect(later.problems.map((problem) => problem.code)).toContain("certificate-expired");
    const earlier = await verify(sealed, { now: new Date("2000-01-01T00:00:00Z") });
    expect(earlier.problems.map((problem) => problem.code)).toContain("certificate-expired");
  });
});

describe("cross-reference streams", () => {
  it("reads an xref stream with a PNG Up predictor and a hybrid-free chain", async () => {
    // A minimal one-page PDF whose only cross-reference section is a predicted xref stream.
    const parts = [
      "%PDF-1.7\n",
      "1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n",
      "2 0 obj\n<</Type /Pages /Kids [3 0 R] /Count 1>>\nendobj\n",
      "3 0 obj\n<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>>\nendobj\n",
    ];
    const offsets: number[] = [];
    let length = 0;
    for (const part of parts) {
      offsets.push(length);
      length += part.length;
    }
    const xrefOffset = length;
    const rows = [
      [0, 0, 0, 0xff],
      [1, offsets[1] >> 8, offsets[1] & 0xff, 0],
      [1, offsets[2] >> 8, offsets[2] & 0xff, 0],
      [1, offsets[3] >> 8, offsets[3] & 0xff, 0],
      [1, xrefOffset >> 8, xrefOffset & 0xff, 0],
    ];
    // PNG "Up" (type 2): each byte minus the byte above it.
    const predicted: number[] = [];
    rows.forEach((row, r) => {
      predicted.push(2);
      row.forEach((value, i) => predicted.push((value - (r > 0 ? rows[r - 1][i] : 0)) & 0xff));
    });
    const data = zlib.deflateSync(Buffer.from(predicted));
    const pdf = concat(
      ...parts,
      `4 0 obj\n<</Type /XRef /Size 5 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 4>> /Length ${data.length}>>\nstream\n`,
      data,
      `\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`,
    );
    const report = await verifyPdf(pdf, { trustedCertificates: [] });
    expect(report.unreadable).toBeUndefined();
    expect(report.verdict).toBe("unsigned");
    expect(report.pageCount).toBe(1);
  });
});

describe("trust store", () => {
  it("re-reads ca.pem and VERIFY_TRUST files when they appear or change", async () => {
    const pki = await testPki();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-trust-"));
    const extra = path.join(dir, "foreign.pem");
    const store = new TrustStore(dir, [extra], 0);
    expect(store.certificates()).toEqual([]);
    await fs.mkdir(path.join(dir, "keys"));
    await fs.writeFile(path.join(dir, "keys", "ca.pem"), pki.instanceCa.certificatePem);
    expect(store.certificates()).toHaveLength(1);
    await fs.writeFile(extra, pki.foreignCa.certificatePem + pki.foreignSeal.certificatePem);
    expect(store.certificates()).toHaveLength(3);
    await fs.writeFile(extra, "not a certificate");
    expect(store.certificates()).toHaveLength(1);
    const fromEnv = TrustStore.fromEnvironment(dir, ` ${extra} , ,${extra}`);
    // The instance CA, the instance's development TSA, and the listed file once per mention.
    expect(fromEnv.paths).toHaveLength(4);
  });
});

describe("portal dictionary", () => {
  it("chooses the language and writes dates as people do", () => {
    expect(chooseLanguage(null, "pl-PL,pl;q=0.9,en;q=0.8")).toBe("pl");
    expect(chooseLanguage(null, "de-DE,en;q=0.5,pl;q=0.4")).toBe("en");
    expect(chooseLanguage("pl", "en")).toBe("pl");
    expect(chooseLanguage("xx", undefined)).toBe("en");
    expect(formatDate("2026-11-28T10:00:00Z", "en")).toBe("28 November 2026");
    expect(formatDate("2026-11-28T10:00:00Z", "pl")).toBe("28 listopada 2026");
  });
});

describe("mutation fuzzing", () => {
  it("never calls a sealed file with any byte changed outside the signature value valid", async () => {
    const sealed = file("sealed-1-page");
    const report = await verify(sealed);
    const [, gapStart, gapEnd] = report.signatures[0].byteRange!;
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const verdicts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const mutated = Uint8Array.from(sealed);
      let position: number;
      do position = Math.floor(random() * sealed.length);
      while (position >= gapStart && position < gapEnd);
      mutated[position] = (mutated[position] + 1 + Math.floor(random() * 254)) & 0xff;
      const result: VerificationReport = await verify(mutated);
      verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1);
      expect(result.verdict, `byte ${position}`).not.toBe("valid");
    }
    expect(verdicts.get("invalid")).toBeGreaterThan(0);
  }, 60_000);

  it("never crashes on random damage, inside the signature value or anywhere", async () => {
    const sealed = file("sealed-xref-stream");
    let seed = 777;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 300; i++) {
      const mutated = Uint8Array.from(
        sealed.subarray(0, random() < 0.2 ? Math.floor(random() * sealed.length) : sealed.length),
      );
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++)
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      const result = await verify(mutated);
      expect(["valid", "modified", "invalid", "unsigned", "unreadable"]).toContain(result.verdict);
    }
  }, 60_000);
});
