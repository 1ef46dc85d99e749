// Signature and stamp images. Uploads are judged by their content (PNG or JPEG magic and
// header), their size in bytes and pixels, then decoded by pure-JavaScript decoders (pngjs,
// jpeg-js: a malformed file is an exception, never a crash; Skia's decoder in
// @napi-rs/canvas segfaults on a truncated PNG) and re-encoded from the decoded pixels as a
// fresh PNG: no uploaded byte reaches the sealed PDF. Typed names are rendered in the
// handwriting face (Caveat, from npm).
import { createCanvas, GlobalFonts, ImageData } from "@napi-rs/canvas";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { fontBytes } from "./fonts.server";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Refused above this many pixels on a side, or in total (a decompression bomb). */
export const MAX_IMAGE_SIDE = 6000;
export const MAX_IMAGE_PIXELS = 24_000_000;
export const MIN_IMAGE_SIDE = 16;
/** Stored images are scaled down to fit this box (plenty for a 150 × 70 pt field at 300 dpi). */
const STORED_MAX_WIDTH = 1200;
const STORED_MAX_HEIGHT = 600;

export type ImageProblem =
  | "signing.error.imageType"
  | "signing.error.imageTooLarge"
  | "signing.error.imageDimensions"
  | "signing.error.imageBroken";
export type NormalizedImage =
  | { ok: true; png: Buffer; width: number; height: number }
  | { ok: false; error: ImageProblem };

/** Format and pixel size from the header alone, before anything is decoded. */
export function sniffImage(bytes: Uint8Array): { type: "png" | "jpeg"; width: number; height: number } | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    view.length >= 24 &&
    view.readUInt32BE(0) === 0x89504e47 &&
    view.readUInt32BE(4) === 0x0d0a1a0a &&
    view.toString("latin1", 12, 16) === "IHDR"
  ) {
    return { type: "png", width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
  }
  if (view.length >= 4 && view[0] === 0xff && view[1] === 0xd8 && view[2] === 0xff) {
    let offset = 2;
    while (offset + 9 < view.length) {
      if (view[offset] !== 0xff) return null;
      const marker = view[offset + 1];
      if (marker === 0xff) {
        offset += 1;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        offset += 2;
        continue;
      }
      const length = view.readUInt16BE(offset + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: "jpeg", height: view.readUInt16BE(offset + 5), width: view.readUInt16BE(offset + 7) };
      }
      if (length < 2) return null;
      offset += 2 + length;
    }
    return null;
  }
  return null;
}

/** Checks, decodes and re-encodes an uploaded PNG or JPEG as PNG (scaled down when large). */
export async function normalizeImage(bytes: Uint8Array): Promise<NormalizedImage> {
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, error: "signing.error.imageTooLarge" };
  const header = sniffImage(bytes);
  if (!header) return { ok: false, error: "signing.error.imageType" };
  const { width, height } = header;
  if (
    width < MIN_IMAGE_SIDE ||
    height < MIN_IMAGE_SIDE ||
    width > MAX_IMAGE_SIDE ||
    height > MAX_IMAGE_SIDE ||
    width * height > MAX_IMAGE_PIXELS
  ) {
    return { ok: false, error: "signing.error.imageDimensions" };
  }
  let pixels: Uint8ClampedArray;
  try {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const decoded =
      header.type === "png"
        ? PNG.sync.read(input)
        : jpeg.decode(input, {
            useTArray: true,
            formatAsRGBA: true,
            maxResolutionInMP: MAX_IMAGE_PIXELS / 1_000_000,
            maxMemoryUsageInMB: 256,
          });
    if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 4)
      return { ok: false, error: "signing.error.imageBroken" };
    pixels = new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  } catch {
    return { ok: false, error: "signing.error.imageBroken" };
  }
  const source = createCanvas(width, height);
  source.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
  const scale = Math.min(1, STORED_MAX_WIDTH / width, STORED_MAX_HEIGHT / height);
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const canvas = createCanvas(outWidth, outHeight);
  const context = canvas.getContext("2d");
  context.drawImage(source, 0, 0, outWidth, outHeight);
  if (header.type === "jpeg") whiteToTransparent(context, outWidth, outHeight);
  return { ok: true, png: await canvas.encode("png"), width: outWidth, height: outHeight };
}

/** A scanned signature or stamp on white paper: near-white pixels become transparent, so it does not hide the document's lines. */
function whiteToTransparent(
  context: ReturnType<ReturnType<typeof createCanvas>["getContext"]>,
  width: number,
  height: number,
) {
  const data = context.getImageData(0, 0, width, height);
  const pixels = data.data;
  for (let i = 0; i < pixels.length; i += 4) {
    const lightness = Math.min(pixels[i], pixels[i + 1], pixels[i + 2]);
    if (lightness > 235) pixels[i + 3] = 0;
    else if (lightness > 200) pixels[i + 3] = Math.round((255 * (235 - lightness)) / 35);
  }
  context.putImageData(data, 0, 0);
}

const HANDWRITING_FAMILY = "SignetHandwriting";
let fontRegistered = false;

/** The typed name as a signature image (PNG with transparency). */
export async function renderTypedSignature(name: string): Promise<Buffer> {
  if (!fontRegistered) {
    GlobalFonts.register(Buffer.from(fontBytes("handwriting")), HANDWRITING_FAMILY);
    fontRegistered = true;
  }
  const text = name.trim().slice(0, 80);
  const fontSize = 96;
  const measure = createCanvas(10, 10).getContext("2d");
  measure.font = `${fontSize}px ${HANDWRITING_FAMILY}`;
  const width = Math.min(2400, Math.ceil(measure.measureText(text).width) + 40);
  const canvas = createCanvas(Math.max(width, 80), Math.round(fontSize * 1.5));
  const context = canvas.getContext("2d");
  context.font = `${fontSize}px ${HANDWRITING_FAMILY}`;
  context.fillStyle = "#0b1f5c";
  context.textBaseline = "alphabetic";
  context.fillText(text, 20, Math.round(fontSize * 1.05));
  return canvas.encode("png");
}
