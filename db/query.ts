// Small query helpers in portable SQL (SQLite today, PostgreSQL later).
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Case-insensitive "contains" for search boxes; % and _ in the text match literally.
 * SQLite's LIKE already ignores ASCII case (and only ASCII case, like its lower()), so the column
 * is compared as stored: no lower() per row, which halves the cost of a search over a whole
 * company. The PostgreSQL dialect will need `ilike` here.
 */
export function contains(column: SQLiteColumn | SQL, text: string): SQL {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${column} like ${`%${escaped}%`} escape '\\'`;
}

export const PAGE_SIZE = 20;

export function pageCount(total: number, pageSize = PAGE_SIZE) {
  return Math.max(1, Math.ceil(total / pageSize));
}
