// Small query helpers in portable SQL (SQLite today, PostgreSQL later).
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Case-insensitive "contains" for search boxes; % and _ in the text match literally. */
export function contains(column: SQLiteColumn | SQL, text: string): SQL {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`lower(${column}) like ${`%${escaped}%`} escape '\\'`;
}

export const PAGE_SIZE = 20;

export function pageCount(total: number, pageSize = PAGE_SIZE) {
  return Math.max(1, Math.ceil(total / pageSize));
}
