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

/**
 * DATA_DIR and the database are for the owner only (0700, 0600), whatever the umask: the file is
 * created before SQLite opens it, and SQLite gives its -wal and -shm files the database's mode.
 */
function restrictDatabaseFiles(dataDir: string, file: string) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(name, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

export function openDatabase(dataDir: string, options: { readonly?: boolean } = {}) {
  const file = path.join(dataDir, "signet.sqlite");
  if (!options.readonly) restrictDatabaseFiles(dataDir, file);
  const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // erased secrets (outbox links and codes) are overwritten in the file, not left in free space
  if (!options.readonly) sqlite.pragma("secure_delete = ON");
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
