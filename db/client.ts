// The one SQLite connection per process, opened under DATA_DIR with WAL and foreign keys.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;
export { schema };

// build/index.js and db/client.ts both sit one level below the project root.
const migrationsFolder = process.env.MIGRATIONS_DIR ?? fileURLToPath(new URL("../db/migrations", import.meta.url));

export function openDatabase(dataDir: string, options: { readonly?: boolean } = {}) {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "signet.sqlite");
  const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  return { db, sqlite };
}

export function migrateDatabase(db: Db) {
  migrate(db, { migrationsFolder });
}

const cache = globalThis as unknown as { __signetDb?: { dir: string; db: Db; sqlite: Database.Database } };

/** The process-wide connection, migrated on first use. */
export function getDb(): Db {
  const dir = path.resolve(process.env.DATA_DIR ?? "./data");
  if (!cache.__signetDb || cache.__signetDb.dir !== dir) {
    const { db, sqlite } = openDatabase(dir);
    migrateDatabase(db);
    cache.__signetDb = { dir, db, sqlite };
  }
  return cache.__signetDb.db;
}
