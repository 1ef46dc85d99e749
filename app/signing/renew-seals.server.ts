// `npm run seal:renew`: keeps the archive's evidence alive. Every sealed document whose last
// time-stamp certificate expires within the window gets a new DSS and document time-stamp
// (app/seal/renew.server.ts), stored as a new file that the document then points to; audited.
// The registry keeps the hash of the file as delivered: a renewed file starts with exactly
// those bytes (its earlier revision), and the parties' copies stay what the registry says.
import { and, asc, eq, gt, inArray, isNotNull } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { appendAudit } from "~/audit/audit.server";
import { config } from "~/config.server";
import { sha256Hex } from "~/documents/documents.server";
import { loadSealIdentity } from "~/seal/keys.server";
import { checkRenewal, renewTimestamp } from "~/seal/renew.server";
import { configuredTimestampAuthority, tsaTrustAnchors } from "~/seal/tsp.server";
import { fileStorage } from "~/storage/files.server";

export interface RenewalReport {
  checked: number;
  renewed: string[];
  notDue: number;
  /** Sealed without a TSA: left alone unless `includeUnstamped`. */
  unstamped: string[];
  failed: { number: string; reason: string }[];
}

const PAGE = 200;

export async function renewSealedDocuments(
  options: { withinDays: number; includeUnstamped?: boolean; now?: Date; log?: (line: string) => void } = {
    withinDays: 180,
  },
): Promise<RenewalReport> {
  const authority = configuredTimestampAuthority();
  if (!authority) throw new Error("TSA_URL is not set: renewing needs a time-stamping authority");
  const log = options.log ?? (() => {});
  const trustAnchors = tsaTrustAnchors(config.tsaTrust);
  const identity = await loadSealIdentity(config.dataDir);
  const db = getDb();
  const storage = fileStorage();
  const report: RenewalReport = { checked: 0, renewed: [], notDue: 0, unstamped: [], failed: [] };
  let after = "";
  for (;;) {
    const page = db
      .select()
      .from(schema.documents)
      .where(
        and(
          inArray(schema.documents.stage, ["signed", "archived"]),
          isNotNull(schema.documents.sealedFileKey),
          gt(schema.documents.id, after),
        ),
      )
      .orderBy(asc(schema.documents.id))
      .limit(PAGE)
      .all();
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    for (const document of page) {
      report.checked++;
      try {
        const pdf = await storage.get(document.sealedFileKey!);
        if (!pdf) throw new Error("the sealed file is missing");
        if (document.sealedSha256 && sha256Hex(pdf) !== document.sealedSha256) {
          throw new Error("the stored file does not match its recorded SHA-256");
        }
        const check = await checkRenewal(pdf, { withinDays: options.withinDays, now: options.now });
        if (check.status === "not-due") {
          report.notDue++;
          continue;
        }
        if (check.status === "no-timestamp" && !options.includeUnstamped) {
          report.unstamped.push(document.number);
          continue;
        }
        const renewed = await renewTimestamp(pdf, { authority, trustAnchors, identity });
        const sha256 = sha256Hex(renewed);
        // A new file, then the row points to it (compare-and-set): a crash in between leaves
        // an unused file, never a row whose hash does not match its file.
        const key = `documents/${document.id}/signed-${sha256.slice(0, 16)}.pdf`;
        await storage.put(key, renewed);
        const moved = db.transaction((tx) => {
          const updated = tx
            .update(schema.documents)
            .set({ sealedFileKey: key, sealedSha256: sha256, updatedAt: new Date() })
            .where(
              and(eq(schema.documents.id, document.id), eq(schema.documents.sealedFileKey, document.sealedFileKey!)),
            )
            .run();
          if (updated.changes === 0) return false;
          appendAudit(tx, {
            companyId: document.companyId,
            documentId: document.id,
            actorType: "system",
            actorLabel: "Signet",
            action: "document.seal_renewed",
            details: {
              previousSha256: document.sealedSha256,
              sha256,
              ...(check.status === "due" ? { previousTimestampExpires: check.notAfter.toISOString() } : {}),
              tsa: authority.url,
            },
          });
          return true;
        });
        if (!moved) throw new Error("the document changed while it was being renewed");
        report.renewed.push(document.number);
        log(`renewed ${document.number}`);
      } catch (error) {
        report.failed.push({ number: document.number, reason: (error as Error).message });
        log(`FAILED ${document.number}: ${(error as Error).message}`);
      }
    }
  }
  return report;
}
