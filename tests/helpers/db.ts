// Direct, read-mostly access to a test server's SQLite file (WAL allows a second connection).
import Database from "better-sqlite3";
import path from "node:path";

export function openTestDb(dataDir: string) {
  return new Database(path.join(dataDir, "signet.sqlite"));
}

/** Newest outbox message to a recipient (the dev mailbox's source). */
export function latestOutbox(dataDir: string, recipient: string, filter: (text: string) => boolean = () => true) {
  const db = openTestDb(dataDir);
  try {
    const rows = db
      .prepare("select * from outbox_messages where lower(recipient) = lower(?) order by created_at desc, rowid desc")
      .all(recipient) as Array<{
      text: string;
      subject: string;
      status: string;
      attempts: number;
      last_error: string | null;
      channel: string;
    }>;
    return rows.find((r) => filter(r.text)) ?? null;
  } finally {
    db.close();
  }
}

export async function waitForOutbox(
  dataDir: string,
  recipient: string,
  filter: (text: string) => boolean = () => true,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = latestOutbox(dataDir, recipient, filter);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no outbox message to ${recipient}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
