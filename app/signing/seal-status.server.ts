// What the admin page says about sealing: the PAdES level (B-B without TSA_URL is a
// warning), how the TSA last answered, and how many of the company's documents wait.
import { and, count, eq, isNotNull } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { timestampAuthorityHealth } from "~/seal/tsp.server";
import { sealLevel } from "~/seal/worker.server";

export function sealStatus(companyId: string) {
  const { level, tsaUrl } = sealLevel();
  const failure = tsaUrl ? timestampAuthorityHealth(tsaUrl).lastFailure : undefined;
  const waiting =
    getDb()
      .select({ value: count() })
      .from(schema.documents)
      .where(
        and(
          eq(schema.documents.companyId, companyId),
          eq(schema.documents.stage, "client_signing"),
          isNotNull(schema.documents.sealPendingSince),
        ),
      )
      .get()?.value ?? 0;
  return {
    level,
    tsaUrl,
    failure: failure ? { at: failure.at.toISOString(), message: failure.message } : null,
    waiting,
  };
}
