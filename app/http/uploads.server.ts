// The one upload parser: multipart forms with an explicit per-file limit. Oversized or
// malformed bodies become a form message, never a 500.
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

export type UploadedForm =
  | { ok: true; formData: FormData }
  | { ok: false; error: "error.upload.tooLarge" | "error.upload.malformed" };

export function isMultipart(request: Request) {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/** Reads a multipart form keeping files in memory, each at most `maxFileBytes`. */
export async function readMultipartForm(request: Request, maxFileBytes: number): Promise<UploadedForm> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  // a little room for the other fields and the multipart framing
  if (declared > maxFileBytes + 256 * 1024) return { ok: false, error: "error.upload.tooLarge" };
  if (!isMultipart(request)) return { ok: false, error: "error.upload.malformed" };
  try {
    const formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxFileBytes }),
    );
    return { ok: true, formData };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: "error.upload.tooLarge" };
    return { ok: false, error: "error.upload.malformed" };
  }
}

/** The bytes of an uploaded file field, or null when no file was chosen. */
export async function uploadedFileBytes(formData: FormData, name: string): Promise<Uint8Array | null> {
  const value = formData.get(name);
  if (!value || typeof value === "string") return null;
  const bytes = new Uint8Array(await value.arrayBuffer());
  return value.size === 0 && !value.name ? null : bytes;
}
