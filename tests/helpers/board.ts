// Fast seeding for board tests and the board bench: raw prepared statements in one
// transaction (teams, users, documents with their two parties), straight into SQLite.
import type Database from "better-sqlite3";
import crypto from "node:crypto";

export type Stage = "draft" | "company_signing" | "client_signing" | "signed" | "archived" | "declined" | "expired" | "cancelled";

export interface SeedDocument {
  id?: string;
  ownerId: string;
  teamId: string | null;
  stage: Stage;
  number: string;
  title: string;
  clientName: string;
  amountMinor?: number;
  /** days ago the document was created / moved to its stage / sent / completed */
  createdDaysAgo?: number;
  stageDaysAgo?: number;
  /** deadline in days from now (negative: passed) */
  deadlineInDays?: number | null;
  sentDaysAgo?: number | null;
  completedDaysAgo?: number | null;
  template?: "invoice" | "contract" | "protocol" | "upload";
}

const DAY = 86_400_000;
const newId = () => crypto.randomBytes(12).toString("base64url");

export function insertTeam(sqlite: Database.Database, companyId: string, name: string) {
  const id = newId();
  sqlite.prepare("insert into teams (id, company_id, name, created_at) values (?, ?, ?, ?)").run(id, companyId, name, Date.now());
  return id;
}

export function insertUser(sqlite: Database.Database, user: { companyId: string; email: string; name: string; role: "admin" | "supervisor" | "employee"; teamId: string | null; passwordHash: string }) {
  const id = newId();
  sqlite.prepare("insert into users (id, company_id, email, name, password_hash, role, team_id, language, active, created_at) values (?, ?, ?, ?, ?, ?, ?, 'en', 1, ?)")
    .run(id, user.companyId, user.email, user.name, user.passwordHash, user.role, user.teamId, Date.now());
  return id;
}

/** Inserts documents (and a director and a client party for each) in one transaction; returns their ids. */
export function insertDocuments(sqlite: Database.Database, companyId: string, documents: SeedDocument[], now = Date.now()): string[] {
  const insertDocument = sqlite.prepare(`insert into documents (id, company_id, owner_id, team_id, public_id, number, title, template, language,
    stage, stage_changed_at, client_name, amount_minor, currency, original_file_key, original_sha256, page_sizes, deadline_at, sent_at, completed_at, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, 'PLN', ?, ?, '[[595,842]]', ?, ?, ?, ?)`);
  const insertParty = sqlite.prepare(`insert into parties (id, document_id, role, signing_order, name, email, company_name, status)
    values (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertBox = sqlite.prepare(`insert into boxes (id, document_id, party_role, kind, page, x, y, width, height) values (?, ?, ?, 'signature', 1, ?, 40, 150, 50)`);
  const ids: string[] = [];
  const ago = (days: number | null | undefined) => (days === null || days === undefined ? null : now - days * DAY);
  sqlite.transaction(() => {
    for (const doc of documents) {
      const id = doc.id ?? newId();
      ids.push(id);
      const created = doc.createdDaysAgo ?? 10;
      const inProgress = doc.stage === "company_signing" || doc.stage === "client_signing";
      const sent = doc.sentDaysAgo !== undefined ? doc.sentDaysAgo : doc.stage === "draft" ? null : Math.max(0, created - 1);
      const completed = doc.completedDaysAgo !== undefined ? doc.completedDaysAgo : doc.stage === "signed" || doc.stage === "archived" ? Math.max(0, (sent ?? 0) - 2) : null;
      const deadline = doc.deadlineInDays !== undefined ? doc.deadlineInDays : inProgress ? 20 : null;
      insertDocument.run(
        id, companyId, doc.ownerId, doc.teamId, newId(), doc.number, doc.title, doc.template ?? "upload",
        doc.stage, ago(doc.stageDaysAgo ?? Math.min(created, 3)), doc.clientName, doc.amountMinor ?? 123_45,
        `documents/${id}/original.pdf`, "0".repeat(64), deadline === null ? null : now + deadline * DAY, ago(sent), ago(completed), ago(created),
      );
      const directorStatus = doc.stage === "draft" ? "waiting" : doc.stage === "company_signing" ? "notified" : "signed";
      const clientStatus = doc.stage === "signed" || doc.stage === "archived" ? "signed" : doc.stage === "declined" ? "declined" : doc.stage === "client_signing" ? "notified" : "waiting";
      insertParty.run(newId(), id, "company", 1, "Zofia Director", "director@example.com", "Company", directorStatus);
      insertParty.run(newId(), id, "client", 2, `Signer of ${doc.clientName}`, "client@example.com", doc.clientName, clientStatus);
      insertBox.run(newId(), id, "company", 30);
      insertBox.run(newId(), id, "client", 300);
    }
  })();
  return ids;
}
