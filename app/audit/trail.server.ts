// A document's audit trail as JSON, embedded in the sealed PDF next to the printed audit page
// (and covered by the seal), so that a signed file carries its own history in a form a program
// can check: each event names the hash of the one before it, and the last hash is the head
// printed on the audit page; with the instance's audit key every hash can be recomputed
// (`npm run audit:verify -- file.pdf`).
import pdfLib from "pdf-lib";
import type { AuditEvent } from "./audit.server";

export const AUDIT_TRAIL_FILE = "audit-trail.json";
export const AUDIT_TRAIL_FORMAT = "signet-audit-trail/1";

export interface AuditTrail {
  format: typeof AUDIT_TRAIL_FORMAT;
  document: { id: string; number: string; publicId: string; originalSha256: string };
  chain: { algorithm: "HMAC-SHA256"; count: number; head: string };
  events: Array<Omit<AuditEvent, "at"> & { at: string }>;
}

export function auditTrailJson(
  document: { id: string; number: string; publicId: string; originalSha256: string },
  events: AuditEvent[],
  head: string,
): Uint8Array {
  const trail: AuditTrail = {
    format: AUDIT_TRAIL_FORMAT,
    document: {
      id: document.id,
      number: document.number,
      publicId: document.publicId,
      originalSha256: document.originalSha256,
    },
    chain: { algorithm: "HMAC-SHA256", count: events.length, head },
    events: events.map((event) => ({ ...event, at: event.at.toISOString() })),
  };
  return new TextEncoder().encode(`${JSON.stringify(trail, null, 1)}\n`);
}

/** The audit trail attached to a sealed PDF, or null when it has none (pdf-lib: for our own files). */
export async function readAuditTrail(pdfBytes: Uint8Array): Promise<AuditTrail | null> {
  const { PDFDocument, PDFName, PDFArray, PDFDict, PDFRawStream, decodePDFRawStream } = pdfLib;
  try {
    const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
    const names = pdf.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
    const files = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
    const list = files?.lookupMaybe(PDFName.of("Names"), PDFArray);
    if (!list) return null;
    for (let index = 0; index + 1 < list.size(); index += 2) {
      const spec = list.lookup(index + 1, PDFDict);
      const name = spec.get(PDFName.of("UF")) ?? spec.get(PDFName.of("F"));
      const text = name && "decodeText" in name ? (name as unknown as { decodeText(): string }).decodeText() : "";
      if (text !== AUDIT_TRAIL_FILE) continue;
      const stream = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F"));
      if (!(stream instanceof PDFRawStream)) return null;
      const json = new TextDecoder().decode(decodePDFRawStream(stream).decode());
      const trail = JSON.parse(json) as AuditTrail;
      return trail.format === AUDIT_TRAIL_FORMAT ? trail : null;
    }
    return null;
  } catch {
    return null;
  }
}
