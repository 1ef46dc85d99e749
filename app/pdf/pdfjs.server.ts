// PDF.js (what Firefox uses to show PDFs) set up for the server: our second opinion
// on uploads and the renderer of page previews. It runs in-process ("fake worker"),
// so every use is bounded by a deadline and the document is destroyed afterwards.
import { createRequire } from "node:module";
import path from "node:path";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";

export type { PDFDocumentProxy };

let assetDirectory: string | undefined;

/** pdfjs-dist's folder, for the data it loads at run time (standard fonts, CMaps, WASM decoders). */
function pdfjsAsset(folder: string): string {
  assetDirectory ??= path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  // Node's factories read these with fs; a trailing separator is required.
  return path.join(assetDirectory, folder) + path.sep;
}

export class PdfDeadlineError extends Error {
  constructor() {
    super("PDF processing took too long");
    this.name = "PdfDeadlineError";
  }
}

/** Rejects with PdfDeadlineError when `promise` is not settled within `ms`; runs `onTimeout` to stop the work. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new PdfDeadlineError());
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Opens a PDF with PDF.js. The bytes are copied: PDF.js takes ownership of the buffer it
 * is given (transfers it to its worker), which would empty the caller's array.
 */
export async function openWithPdfjs(bytes: Uint8Array, timeoutMs: number): Promise<PDFDocumentProxy> {
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // Never compile PDF functions with eval: the input comes from strangers.
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    // Stop at the first parse error instead of guessing: a page we cannot read fully is not shown half-right.
    stopAtErrors: true,
    standardFontDataUrl: pdfjsAsset("standard_fonts"),
    cMapUrl: pdfjsAsset("cmaps"),
    cMapPacked: true,
    wasmUrl: pdfjsAsset("wasm"),
    iccUrl: pdfjsAsset("iccs"),
    // Bounded memory for images on previews (about 40 megapixels).
    maxImageSize: 40_000_000,
  });
  return withDeadline(task.promise, timeoutMs, () => void task.destroy());
}
