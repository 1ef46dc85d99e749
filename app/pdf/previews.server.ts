// Page previews: server-rendered JPEGs of single PDF pages, for placing boxes without
// JavaScript and for light signing pages. Rendered lazily, one page per request, and
// cached in file storage under previews/<fileKey>/<size>-<page>.jpg.
import { createCanvas } from "@napi-rs/canvas";
import { fileStorage } from "~/storage/files.server";
import { openWithPdfjs, withDeadline, type PDFDocumentProxy } from "./pdfjs.server";

export type PreviewSize = "phone" | "desktop";

/** Image width in pixels per size: a 360 px wide phone screen, a desktop column. */
export const previewWidths: Record<PreviewSize, number> = { phone: 360, desktop: 900 };

export interface PagePreview {
  bytes: Buffer;
  contentType: string;
  width: number;
  height: number;
}

const JPEG_QUALITY = 70;
const OPEN_TIMEOUT_MS = 15_000;
const RENDER_TIMEOUT_MS = 20_000;
/** Pages whose longer side would exceed this many pixels are scaled down (a 900 px wide strip of paper). */
const MAX_IMAGE_HEIGHT = 4 * previewWidths.desktop * 1.5;

export function isPreviewSize(value: unknown): value is PreviewSize {
  return value === "phone" || value === "desktop";
}

/** Renders one page (1-based) as a JPEG `previewWidths[size]` pixels wide. Throws RangeError for a page that does not exist. */
export async function renderPagePreview(pdf: Uint8Array, page: number, size: PreviewSize): Promise<PagePreview> {
  checkPageNumber(page);
  const doc = await openWithPdfjs(pdf, OPEN_TIMEOUT_MS);
  try {
    return await renderOpenedPage(doc, page, size);
  } finally {
    await doc.destroy().catch(() => {});
  }
}

/**
 * The preview of a stored PDF's page: from the cache when rendered before, else rendered
 * now and cached. Null when the file does not exist or has no such page.
 */
export async function getPagePreview(fileKey: string, page: number, size: PreviewSize): Promise<PagePreview | null> {
  if (!isPreviewSize(size) || !Number.isSafeInteger(page) || page < 1) return null;
  const storage = fileStorage();
  const key = previewKey(fileKey, page, size);
  const cached = await storage.get(key);
  const cachedSize = cached && jpegSize(cached);
  if (cached && cachedSize) return { bytes: cached, contentType: "image/jpeg", ...cachedSize };

  // Concurrent requests for the same image (a page of previews loading at once) render it once.
  let rendering = renderingNow.get(key);
  if (!rendering) {
    rendering = renderAndStore(fileKey, page, size, key).finally(() => renderingNow.delete(key));
    renderingNow.set(key, rendering);
  }
  return rendering;
}

/**
 * Removes the cached previews of a stored PDF (both sizes, pages 1..pageCount). Call it
 * when the file is deleted or replaced under the same key: cached images are never
 * checked against the file again.
 */
export async function deletePagePreviews(fileKey: string, pageCount: number): Promise<void> {
  closeStored(fileKey);
  const storage = fileStorage();
  for (let page = 1; page <= pageCount; page++) {
    for (const size of Object.keys(previewWidths) as PreviewSize[])
      await storage.delete(previewKey(fileKey, page, size));
  }
}

function previewKey(fileKey: string, page: number, size: PreviewSize) {
  return `previews/${fileKey}/${size}-${page}.jpg`;
}

const renderingNow = new Map<string, Promise<PagePreview | null>>();

async function renderAndStore(
  fileKey: string,
  page: number,
  size: PreviewSize,
  key: string,
): Promise<PagePreview | null> {
  const doc = await openStored(fileKey);
  if (!doc) return null;
  if (page > doc.numPages) return null;
  const preview = await renderOpenedPage(doc, page, size);
  await fileStorage().put(key, preview.bytes);
  return preview;
}

// A page of previews asks for every page within a second or two: keep the parsed
// document for a short while instead of parsing the file once per page.
interface OpenedFile {
  doc: Promise<PDFDocumentProxy | null>;
  timer: NodeJS.Timeout;
}
const openedFiles = new Map<string, OpenedFile>();
const KEEP_OPEN_MS = 30_000;
const MAX_OPEN_FILES = 4;

function openStored(fileKey: string): Promise<PDFDocumentProxy | null> {
  const existing = openedFiles.get(fileKey);
  if (existing) {
    existing.timer.refresh();
    return existing.doc;
  }
  if (openedFiles.size >= MAX_OPEN_FILES) closeStored(openedFiles.keys().next().value!);
  const doc = (async () => {
    const bytes = await fileStorage().get(fileKey);
    return bytes ? openWithPdfjs(bytes, OPEN_TIMEOUT_MS) : null;
  })();
  // A missing file or a failed open is not kept: the next request tries again.
  doc.then(
    (opened) => opened ?? closeStored(fileKey),
    () => closeStored(fileKey),
  );
  const timer = setTimeout(() => closeStored(fileKey), KEEP_OPEN_MS);
  timer.unref();
  openedFiles.set(fileKey, { doc, timer });
  return doc;
}

function closeStored(fileKey: string) {
  const opened = openedFiles.get(fileKey);
  if (!opened) return;
  openedFiles.delete(fileKey);
  clearTimeout(opened.timer);
  // Renders in progress hold their own page objects; destroying after them is safe.
  void opened.doc.then((doc) => doc?.destroy()).catch(() => {});
}

function checkPageNumber(page: number) {
  if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`No page ${page}`);
}

async function renderOpenedPage(doc: PDFDocumentProxy, pageNumber: number, size: PreviewSize): Promise<PagePreview> {
  checkPageNumber(pageNumber);
  if (pageNumber > doc.numPages) throw new RangeError(`No page ${pageNumber}: the document has ${doc.numPages}`);
  const page = await doc.getPage(pageNumber);
  try {
    const natural = page.getViewport({ scale: 1 });
    let scale = previewWidths[size] / natural.width;
    if (natural.height * scale > MAX_IMAGE_HEIGHT) scale = MAX_IMAGE_HEIGHT / natural.height;
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.round(viewport.width));
    const height = Math.max(1, Math.round(viewport.height));
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("2d");
    // JPEG has no transparency: paint the paper white first.
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, height);
    const task = page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
    });
    await withDeadline(task.promise, RENDER_TIMEOUT_MS, () => task.cancel());
    const bytes = await canvas.encode("jpeg", JPEG_QUALITY);
    return { bytes, contentType: "image/jpeg", width, height };
  } finally {
    page.cleanup();
  }
}

/** Width and height from a JPEG's start-of-frame marker, or null if it is no JPEG we wrote. */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    const length = bytes.readUInt16BE(offset + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}
