import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadImage } from "@napi-rs/canvas";
import { renderInvoice } from "~/documents/templates/index.server";
import { getPagePreview, previewWidths, renderPagePreview, deletePagePreviews } from "~/pdf/previews.server";
import { fileStorage } from "~/storage/files.server";
import { sampleDocument } from "../helpers/documents";
import { makePdf } from "../helpers/pdfs";

let dataDir: string;
const previousDataDir = process.env.DATA_DIR;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "signet-previews-"));
  process.env.DATA_DIR = dataDir;
});

afterAll(() => {
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function isJpeg(bytes: Buffer) {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
}

describe("page previews", () => {
  it.each(["phone", "desktop"] as const)("renders a compressed JPEG of the right width for %s", async (size) => {
    const { pdf } = await renderInvoice(sampleDocument(), "pl");
    const preview = await renderPagePreview(pdf, 1, size);
    expect(preview.contentType).toBe("image/jpeg");
    expect(isJpeg(preview.bytes)).toBe(true);
    expect(preview.width).toBe(previewWidths[size]);
    expect(preview.height).toBe(Math.round((previewWidths[size] * 841.89) / 595.28));
    // The image really has those dimensions, and is small enough for a slow link.
    const image = await loadImage(preview.bytes);
    expect([image.width, image.height]).toEqual([preview.width, preview.height]);
    expect(preview.bytes.length).toBeLessThan(size === "phone" ? 60_000 : 250_000);
  });

  it("draws the page: a preview is not blank paper", async () => {
    const { pdf } = await renderInvoice(sampleDocument(), "pl");
    const preview = await renderPagePreview(pdf, 1, "phone");
    const { createCanvas } = await import("@napi-rs/canvas");
    const image = await loadImage(preview.bytes);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let dark = 0;
    for (let index = 0; index < pixels.length; index += 4) if (pixels[index] < 128) dark++;
    expect(dark / (pixels.length / 4)).toBeGreaterThan(0.005);
  });

  it("refuses page numbers out of range", async () => {
    const pdf = await makePdf(2);
    await expect(renderPagePreview(pdf, 3, "phone")).rejects.toThrow(RangeError);
    await expect(renderPagePreview(pdf, 0, "phone")).rejects.toThrow(RangeError);
    await expect(renderPagePreview(pdf, 1.5, "phone")).rejects.toThrow(RangeError);
  });

  it("renders a stored file lazily per page and serves it from the cache afterwards", async () => {
    const storage = fileStorage();
    const fileKey = "documents/test-doc/original.pdf";
    await storage.put(fileKey, await makePdf(10));

    const first = await getPagePreview(fileKey, 4, "desktop");
    expect(first).toMatchObject({ contentType: "image/jpeg", width: 900 });
    const cachedBytes = await storage.get(`previews/${fileKey}/desktop-4.jpg`);
    expect(cachedBytes?.equals(first!.bytes)).toBe(true);
    // Only the page asked for was rendered.
    expect(await storage.get(`previews/${fileKey}/desktop-3.jpg`)).toBeNull();

    const again = await getPagePreview(fileKey, 4, "desktop");
    expect(again).toEqual(first);

    // Concurrent requests for all pages, as a page of previews makes them.
    const all = await Promise.all(
      Array.from({ length: 10 }, (_, index) => getPagePreview(fileKey, index + 1, "phone")),
    );
    expect(all.map((preview) => preview?.width)).toEqual(Array(10).fill(360));

    expect(await getPagePreview(fileKey, 11, "phone")).toBeNull();
    expect(await getPagePreview(fileKey, 0, "phone")).toBeNull();
    expect(await getPagePreview("documents/missing/original.pdf", 1, "phone")).toBeNull();

    await deletePagePreviews(fileKey, 10);
    expect(await storage.get(`previews/${fileKey}/desktop-4.jpg`)).toBeNull();
  });

  it("renders the ten pages of an upload quickly", async () => {
    const pdf = await makePdf(10);
    const started = performance.now();
    for (let page = 1; page <= 10; page++) await renderPagePreview(pdf, page, "desktop");
    // Generous for a shared 2-core machine; the bench reports the real figure.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
