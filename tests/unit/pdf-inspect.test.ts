import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderInvoice } from "~/documents/templates/index.server";
import { documents } from "~/i18n/messages/documents";
import { inspectPdf, type PdfErrorKey } from "~/pdf/inspect.server";
import { sampleDocument } from "../helpers/documents";
import {
  breakStartxref,
  breakXrefEntries,
  makeEncryptedPdf,
  makeCompressionBomb,
  makePdf,
  makePng,
  truncatePdf,
} from "../helpers/pdfs";

const A4: [number, number] = [595.28, 841.89];

async function expectRefused(bytes: Uint8Array, error: PdfErrorKey) {
  expect(await inspectPdf(bytes)).toEqual({ ok: false, error });
}

function hasQpdf() {
  try {
    execFileSync("qpdf", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("inspectPdf accepts", () => {
  it("a valid 3-page PDF, with its page sizes", async () => {
    expect(await inspectPdf(await makePdf(3))).toEqual({ ok: true, pageCount: 3, pageSizes: [A4, A4, A4] });
  });

  it("a PDF with a cross-reference stream and mixed page sizes", async () => {
    const letter = await makePdf(2, { size: [612, 792], objectStreams: true });
    expect(await inspectPdf(letter)).toEqual({
      ok: true,
      pageCount: 2,
      pageSizes: [
        [612, 792],
        [612, 792],
      ],
    });
  });

  it("our own invoice", async () => {
    const { pdf, pageSizes } = await renderInvoice(sampleDocument(), "pl");
    expect(await inspectPdf(pdf)).toEqual({ ok: true, pageCount: 1, pageSizes });
  });

  it("a page whose contents inflate to a plausible size (1 MiB)", async () => {
    expect(await inspectPdf(makeCompressionBomb("content", 1))).toMatchObject({ ok: true, pageCount: 1 });
  });

  it("exactly the page limit", async () => {
    expect(await inspectPdf(await makePdf(5), { maxBytes: 25 * 1024 * 1024, maxPages: 5 })).toMatchObject({
      ok: true,
      pageCount: 5,
    });
  });
});

describe("inspectPdf refuses", () => {
  it("an empty file", async () => {
    await expectRefused(new Uint8Array(0), "error.pdf.empty");
  });

  it("a PNG image", async () => {
    await expectRefused(makePng(), "error.pdf.notPdf");
  });

  it("a text file, whatever it is called", async () => {
    await expectRefused(new TextEncoder().encode("invoice.pdf\nThis is plain text, not a PDF.\n"), "error.pdf.notPdf");
  });

  it("a PDF whose header comes after the first 1024 bytes", async () => {
    const pdf = await makePdf(1);
    const padded = new Uint8Array(2048 + pdf.length);
    padded.fill(0x20, 0, 2048);
    padded.set(pdf, 2048);
    await expectRefused(padded, "error.pdf.notPdf");
  });

  it("a file over the size limit", async () => {
    const pdf = await makePdf(2);
    expect(await inspectPdf(pdf, { maxBytes: pdf.length - 1, maxPages: 200 })).toEqual({
      ok: false,
      error: "error.pdf.tooLarge",
    });
  });

  it("a truncated PDF (cut in half)", async () => {
    await expectRefused(truncatePdf(await makePdf(3)), "error.pdf.broken");
  });

  it("a PDF with a broken cross-reference table (entries point beside their objects)", async () => {
    await expectRefused(breakXrefEntries(await makePdf(3)), "error.pdf.broken");
  });

  it("a PDF whose startxref points into the middle of an object", async () => {
    await expectRefused(breakStartxref(await makePdf(3)), "error.pdf.broken");
  });

  it("garbage behind a PDF header", async () => {
    await expectRefused(new TextEncoder().encode(`%PDF-1.7\n${"garbage ".repeat(100)}\n%%EOF\n`), "error.pdf.broken");
  });

  it("a password-protected PDF", async () => {
    await expectRefused(makeEncryptedPdf("secret"), "error.pdf.encrypted");
  });

  it("an encrypted PDF that opens without a password (owner password only)", async () => {
    await expectRefused(makeEncryptedPdf(""), "error.pdf.encrypted");
  });

  it.runIf(hasQpdf())("a PDF encrypted with AES-256 by qpdf", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signet-qpdf-"));
    try {
      fs.writeFileSync(path.join(dir, "plain.pdf"), await makePdf(2, { objectStreams: true }));
      execFileSync("qpdf", [
        "--encrypt",
        "user",
        "owner",
        "256",
        "--",
        path.join(dir, "plain.pdf"),
        path.join(dir, "aes.pdf"),
      ]);
      await expectRefused(new Uint8Array(fs.readFileSync(path.join(dir, "aes.pdf"))), "error.pdf.encrypted");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("201 pages", async () => {
    await expectRefused(await makePdf(201), "error.pdf.tooManyPages");
  });

  it.each(["objectStream", "content", "nestedFilters"] as const)(
    "a decompression bomb (%s), quickly and without exhausting memory",
    async (kind) => {
      const bomb = makeCompressionBomb(kind, 96);
      expect(bomb.length).toBeLessThan(200_000);
      const started = performance.now();
      await expectRefused(bomb, "error.pdf.tooComplex");
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );

  it("never throws, whatever the bytes", async () => {
    const pdf = await makePdf(2);
    const mutations = [
      pdf.slice(0, 10),
      pdf.slice(0, pdf.length - 10),
      Uint8Array.from(pdf, (byte, index) => (index % 97 === 0 ? 0x00 : byte)),
      new TextEncoder().encode("%PDF-1.4\n1 0 obj\n" + "[".repeat(100_000) + "\nendobj\nstartxref\n9\n%%EOF"),
    ];
    for (const bytes of mutations) {
      const result = await inspectPdf(bytes);
      expect(result.ok).toBe(false);
    }
  });
});

describe("refusal messages", () => {
  it("exist in English and Polish for every error key", () => {
    const keys: PdfErrorKey[] = [
      "error.pdf.empty",
      "error.pdf.notPdf",
      "error.pdf.tooLarge",
      "error.pdf.tooManyPages",
      "error.pdf.encrypted",
      "error.pdf.broken",
      "error.pdf.tooComplex",
    ];
    for (const key of keys) {
      expect(documents.en[key], key).toBeTruthy();
      expect(documents.pl[key], key).toBeTruthy();
    }
  });
});
