// Fixed-window rate limits on the shared rate_limits table: one row per key and window.
import { eq } from "drizzle-orm";
import { schema } from "~db/client";
import type { Tx } from "~/audit/audit.server";

/**
 * Counts one hit on `key`; returns false (without counting) when `limit` hits were already
 * counted in the current window of `windowMs`. Synchronous: call inside the transaction.
 */
export function takeRateLimit(tx: Tx, key: string, limit: number, windowMs: number, now = new Date()): boolean {
  const row = tx.select().from(schema.rateLimits).where(eq(schema.rateLimits.key, key)).get();
  if (!row || now.getTime() - row.windowStart.getTime() >= windowMs) {
    tx.insert(schema.rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({ target: schema.rateLimits.key, set: { windowStart: now, count: 1 } })
      .run();
    return true;
  }
  if (row.count >= limit) return false;
  tx.update(schema.rateLimits)
    .set({ count: row.count + 1 })
    .where(eq(schema.rateLimits.key, key))
    .run();
  return true;
}
