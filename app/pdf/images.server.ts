// Signature and stamp images. Uploads are judged by their content (PNG or JPEG magic and
// header), their size in bytes and pixels (a pixel budget that fits a signature or a stamp, so
// a small file cannot decode into hundreds of megabytes), then decoded and re-encoded as a
// fresh PNG in a worker thread (image-worker.ts) with a time limit, so that no upload holds up
// anyone else's request: no uploaded byte reaches the sealed PDF. Typed names are rendered in
// the handwriting face (Caveat, from npm).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GlobalFonts, createCanvas } from "@napi-rs/canvas";
import { Piscina } from "piscina";
import { fontBytes } from "./fonts.server";
import type { DecodeResult, DecodeTask } from "./image-worker";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Refused above this many pixels on a side, or in total: 5 MP is a 300 dpi scan of a 21 × 17 cm sheet. */
export const MAX_IMAGE_SIDE = 6000;
export const MAX_IMAGE_PIXELS = 5_000_000;
/** A decode that takes longer is stopped (its worker is ended) and the image refused. */
export const IMAGE_TIME_LIMIT_MS = 5_000;
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

/** The project's root (where package.json is), from this module or the Remix bundle in build/. */
function projectRoot() {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

let pool: Piscina<DecodeTask, DecodeResult> | undefined;

// One thread on a two-core machine leaves a core for the event loop; uploads queue behind it.
function imagePool() {
  pool ??= new Piscina<DecodeTask, DecodeResult>({
    filename: path.join(projectRoot(), "app/pdf/image-worker.ts"),
    execArgv: ["--import", "tsx"],
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
    idleTimeout: 30_000,
    maxQueue: 32,
  });
  return pool;
}

export async function stopImageWorkers() {
  const running = pool;
  pool = undefined;
  await running?.destroy();
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
  let result: DecodeResult;
  try {
    result = await imagePool().run(
      {
        bytes,
        type: header.type,
        width,
        height,
        maxPixels: MAX_IMAGE_PIXELS,
        storedMaxWidth: STORED_MAX_WIDTH,
        storedMaxHeight: STORED_MAX_HEIGHT,
      },
      { signal: AbortSignal.timeout(IMAGE_TIME_LIMIT_MS) },
    );
  } catch (error) {
    // too slow (the worker was ended), or too many uploads waiting
    console.error("image decoding refused:", (error as Error).message);
    return { ok: false, error: "signing.error.imageBroken" };
  }
  return result.ok
    ? {
        ok: true,
        png: Buffer.from(result.png.buffer, result.png.byteOffset, result.png.byteLength),
        width: result.width,
        height: result.height,
      }
    : result;
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
