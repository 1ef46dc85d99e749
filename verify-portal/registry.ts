// The registry as the portal sees it: read-only, through db/. The database may not exist
// yet on a fresh instance (the app creates and migrates it at its start), so opening is
// lazy and retried, at most once per `retryMs`.
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase, schema } from "../db/client";
import type { RegistryEntry } from "./core";

type Opened = ReturnType<typeof openDatabase>;

export class RegistryReader {
  private opened: Opened | null = null;
  private lastAttempt = 0;

  constructor(
    readonly dataDir: string,
    private readonly retryMs = 2000,
  ) {}

  private connection(): Opened | null {
    if (this.opened) return this.opened;
    const now = Date.now();
    if (now - this.lastAttempt < this.retryMs && this.lastAttempt !== 0) return null;
    this.lastAttempt = now;
    try {
      this.opened = openDatabase(path.resolve(this.dataDir), { readonly: true });
    } catch {
      this.opened = null;
    }
    return this.opened;
  }

  private query(run: (opened: Opened) => RegistryEntry | undefined): RegistryEntry | null {
    const opened = this.connection();
    if (!opened) return null;
    try {
      return run(opened) ?? null;
    } catch (error) {
      // "no such table" before the app's first migration: try again later.
      if (/no such table/i.test(String((error as Error).message))) return null;
      throw error;
    }
  }

  bySha256(sha256Hex: string): RegistryEntry | null {
    const hex = sha256Hex.toLowerCase();
    return this.query(({ db }) => db.select().from(schema.registry).where(eq(schema.registry.sha256, hex)).get());
  }

  byPublicId(publicId: string): RegistryEntry | null {
    return this.query(({ db }) =>
      db.select().from(schema.registry).where(eq(schema.registry.publicId, publicId)).get(),
    );
  }

  close(): void {
    this.opened?.sqlite.close();
    this.opened = null;
  }
}
