// Runs in a worker thread of the image pool (images.server.ts), never on the main thread:
// decodes an uploaded PNG or JPEG with pure-JavaScript decoders (pngjs, jpeg-js: a malformed
// file is an exception, never a crash; Skia's decoder in @napi-rs/canvas segfaults on a
// truncated PNG) and re-encodes the decoded pixels as a fresh PNG, scaled down to what a
// signature or stamp box needs. The caller has checked type and size from the header.
// Relative imports only: this file is loaded by path, outside the Remix bundle.
import { createCanvas, ImageData } from "@napi-rs/canvas";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";

export interface DecodeTask {
  bytes: Uint8Array;
  type: "png" | "jpeg";
  width: number;
  height: number;
  maxPixels: number;
  storedMaxWidth: number;
  storedMaxHeight: number;
}

export type DecodeResult =
  | { ok: true; png: Uint8Array; width: number; height: number }
  | { ok: false; error: "signing.error.imageBroken" };

export default async function decodeImage(task: DecodeTask): Promise<DecodeResult> {
  const { width, height } = task;
  let pixels: Uint8ClampedArray;
  try {
    const input = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
    const decoded =
      task.type === "png"
        ? PNG.sync.read(input)
        : jpeg.decode(input, {
            useTArray: true,
            formatAsRGBA: true,
            maxResolutionInMP: task.maxPixels / 1_000_000,
            maxMemoryUsageInMB: 128,
          });
    if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 4)
      return { ok: false, error: "signing.error.imageBroken" };
    pixels = new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  } catch {
    return { ok: false, error: "signing.error.imageBroken" };
  }
  const source = createCanvas(width, height);
  source.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
  const scale = Math.min(1, task.storedMaxWidth / width, task.storedMaxHeight / height);
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const canvas = createCanvas(outWidth, outHeight);
  const context = canvas.getContext("2d");
  context.drawImage(source, 0, 0, outWidth, outHeight);
  if (task.type === "jpeg") whiteToTransparent(context, outWidth, outHeight);
  const png = await canvas.encode("png");
  return {
    ok: true,
    png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    width: outWidth,
    height: outHeight,
  };
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
