// Signature and stamp images: only PNG and JPEG, judged by content, bounded in bytes and
// pixels, always re-encoded; typed names rendered in the handwriting face.
import { createCanvas } from "@napi-rs/canvas";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_IMAGE_BYTES, normalizeImage, renderTypedSignature, sniffImage } from "~/pdf/images.server";

async function png(width: number, height: number) {
  const canvas = createCanvas(width, height);
  canvas.getContext("2d").fillRect(0, 0, width / 2, height / 2);
  return canvas.encode("png");
}

/** A PNG header claiming huge dimensions (a decompression bomb's first bytes). */
function bombHeader(width: number, height: number) {
  const header = Buffer.alloc(33);
  header.writeUInt32BE(0x89504e47, 0);
  header.writeUInt32BE(0x0d0a1a0a, 4);
  header.writeUInt32BE(13, 8);
  header.write("IHDR", 12, "latin1");
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return Buffer.concat([header, zlib.deflateSync(Buffer.alloc(1000))]);
}

describe("uploaded images", () => {
  it("re-encodes a PNG and a JPEG as fresh PNGs", async () => {
    const fromPng = await normalizeImage(await png(300, 100));
    expect(fromPng.ok && sniffImage(fromPng.png)?.type).toBe("png");
    const canvas = createCanvas(400, 200);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, 400, 200);
    context.fillStyle = "#000";
    context.fillRect(100, 50, 200, 100);
    const jpeg = await canvas.encode("jpeg", 90);
    expect(sniffImage(jpeg)).toEqual({ type: "jpeg", width: 400, height: 200 });
    const fromJpeg = await normalizeImage(jpeg);
    expect(fromJpeg.ok).toBe(true);
    if (fromJpeg.ok) {
      expect(sniffImage(fromJpeg.png)?.type).toBe("png");
      expect(Buffer.from(fromJpeg.png).equals(Buffer.from(jpeg))).toBe(false);
    }
  });

  it("scales large images down to a sensible size", async () => {
    const result = await normalizeImage(await png(3000, 1000));
    expect(result.ok && [result.width, result.height]).toEqual([1200, 400]);
  });

  it("refuses other types, oversized files, absurd dimensions and broken data with a message key", async () => {
    expect(await normalizeImage(Buffer.from("GIF89a....."))).toEqual({ ok: false, error: "signing.error.imageType" });
    expect(await normalizeImage(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toEqual({
      ok: false,
      error: "signing.error.imageType",
    });
    expect(await normalizeImage(Buffer.alloc(MAX_IMAGE_BYTES + 1))).toEqual({
      ok: false,
      error: "signing.error.imageTooLarge",
    });
    expect(await normalizeImage(bombHeader(50_000, 50_000))).toEqual({
      ok: false,
      error: "signing.error.imageDimensions",
    });
    expect(await normalizeImage(await png(8, 8))).toEqual({ ok: false, error: "signing.error.imageDimensions" });
    const truncated = (await png(300, 100)).subarray(0, 60);
    expect(await normalizeImage(truncated)).toEqual({ ok: false, error: "signing.error.imageBroken" });
  });

  it("renders a typed name with Polish letters", async () => {
    const image = await renderTypedSignature("Zofia Żółkiewska-Gędźba");
    const size = sniffImage(image);
    expect(size?.type).toBe("png");
    expect(size!.width).toBeGreaterThan(400);
  });
});
