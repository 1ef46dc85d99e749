// File storage by key under DATA_DIR/files. Writes are atomic: temp file, fsync, rename.
import fs from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import { config } from "~/config.server";

export interface FileStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9/_.-]{0,200}$/i;

function resolveKey(root: string, key: string) {
  if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`Invalid storage key: ${key}`);
  return path.join(root, key);
}

export function createFileStorage(root: string): FileStorage {
  return {
    async put(key, bytes) {
      const target = resolveKey(root, key);
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const temp = `${target}.${crypto.randomBytes(6).toString("hex")}.tmp`;
      const handle = await fs.open(temp, "w", 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, target);
    },
    async get(key) {
      try {
        return await fs.readFile(resolveKey(root, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async delete(key) {
      await fs.rm(resolveKey(root, key), { force: true });
    },
  };
}

let storage: FileStorage | undefined;
let storageRoot: string | undefined;

/** The instance's storage under DATA_DIR/files. */
export function fileStorage(): FileStorage {
  const root = path.join(config.dataDir, "files");
  if (!storage || storageRoot !== root) {
    storage = createFileStorage(root);
    storageRoot = root;
  }
  return storage;
}
