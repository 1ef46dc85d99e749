// Fast seeding for board tests and the board bench: raw prepared statements in one
// transaction (teams, users, documents with their two parties), straight into SQLite.
import type Database from "better-sqlite3";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hashPassword } from "~/auth/password.server";
import { openTestDb } from "./db";
import { Client, DEMO_PASSWORD, onboard } from "./http";
import { makePdf } from "./pdfs";
import type { RunningApp } from "./server";

export type Stage =
  | "draft"
  | "company_signing"
  | "client_signing"
  | "signed"
  | "archived"
  | "declined"
  | "expired"
  | "cancelled";

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
  sqlite
    .prepare("insert into teams (id, company_id, name, created_at) values (?, ?, ?, ?)")
    .run(id, companyId, name, Date.now());
  return id;
}

export function insertUser(
  sqlite: Database.Database,
  user: {
    companyId: string;
    email: string;
    name: string;
    role: "admin" | "supervisor" | "employee";
    teamId: string | null;
    passwordHash: string;
  },
) {
  const id = newId();
  sqlite
    .prepare(
      "insert into users (id, company_id, email, name, password_hash, role, team_id, language, active, created_at) values (?, ?, ?, ?, ?, ?, ?, 'en', 1, ?)",
    )
    .run(id, user.companyId, user.email, user.name, user.passwordHash, user.role, user.teamId, Date.now());
  return id;
}

/** Inserts documents (and a director and a client party for each) in one transaction; returns their ids. */
export function insertDocuments(
  sqlite: Database.Database,
  companyId: string,
  documents: SeedDocument[],
  now = Date.now(),
): string[] {
  const insertDocument =
    sqlite.prepare(`insert into documents (id, company_id, owner_id, team_id, public_id, number, title, template, language,
    stage, stage_changed_at, client_name, amount_minor, currency, original_file_key, original_sha256, page_sizes, deadline_at, sent_at, completed_at, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, 'PLN', ?, ?, '[[595,842]]', ?, ?, ?, ?)`);
  const insertParty =
    sqlite.prepare(`insert into parties (id, document_id, role, signing_order, name, email, company_name, status)
    values (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertBox = sqlite.prepare(
    `insert into boxes (id, document_id, party_role, kind, page, x, y, width, height) values (?, ?, ?, 'signature', 1, ?, 40, 150, 50)`,
  );
  const ids: string[] = [];
  const ago = (days: number | null | undefined) => (days === null || days === undefined ? null : now - days * DAY);
  sqlite.transaction(() => {
    for (const doc of documents) {
      const id = doc.id ?? newId();
      ids.push(id);
      const created = doc.createdDaysAgo ?? 10;
      const inProgress = doc.stage === "company_signing" || doc.stage === "client_signing";
      const sent =
        doc.sentDaysAgo !== undefined ? doc.sentDaysAgo : doc.stage === "draft" ? null : Math.max(0, created - 1);
      const completed =
        doc.completedDaysAgo !== undefined
          ? doc.completedDaysAgo
          : doc.stage === "signed" || doc.stage === "archived"
            ? Math.max(0, (sent ?? 0) - 2)
            : null;
      const deadline = doc.deadlineInDays !== undefined ? doc.deadlineInDays : inProgress ? 20 : null;
      insertDocument.run(
        id,
        companyId,
        doc.ownerId,
        doc.teamId,
        newId(),
        doc.number,
        doc.title,
        doc.template ?? "upload",
        doc.stage,
        ago(doc.stageDaysAgo ?? Math.min(created, 3)),
        doc.clientName,
        doc.amountMinor ?? 123_45,
        `documents/${id}/original.pdf`,
        "0".repeat(64),
        deadline === null ? null : now + deadline * DAY,
        ago(sent),
        ago(completed),
        ago(created),
      );
      const directorStatus =
        doc.stage === "draft" ? "waiting" : doc.stage === "company_signing" ? "notified" : "signed";
      const clientStatus =
        doc.stage === "signed" || doc.stage === "archived"
          ? "signed"
          : doc.stage === "declined"
            ? "declined"
            : doc.stage === "client_signing"
              ? "notified"
              : "waiting";
      insertParty.run(newId(), id, "company", 1, "Zofia Director", "director@example.com", "Company", directorStatus);
      insertParty.run(
        newId(),
        id,
        "client",
        2,
        `Signer of ${doc.clientName}`,
        "client@example.com",
        doc.clientName,
        clientStatus,
      );
      insertBox.run(newId(), id, "company", 30);
      insertBox.run(newId(), id, "client", 300);
    }
  })();
  return ids;
}

const STAGES: Stage[] = [
  "draft",
  "company_signing",
  "client_signing",
  "signed",
  "archived",
  "declined",
  "expired",
  "cancelled",
];

/**
 * A company for board tests: admin@example.com (onboarding), teams North (sara supervisor, emil)
 * and South (sam supervisor, seb); one document per stage for emil and seb (titled "Emil signed"
 * etc.), an overdue "Quarry lease", a "Fresh signature" signed today, and 23 more drafts for emil.
 * Returns ids by user first name, team name (lower case) and document title. Password: DEMO_PASSWORD.
 */
export async function seedBoardCompany(app: RunningApp): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  await onboard(new Client(app.url));
  const db = openTestDb(app.dataDir);
  try {
    const companyId = (db.prepare("select id from companies").get() as { id: string }).id;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const north = insertTeam(db, companyId, "North");
    const south = insertTeam(db, companyId, "South");
    ids.north = north;
    ids.south = south;
    ids.sara = insertUser(db, {
      companyId,
      email: "sara@example.com",
      name: "Sara Supervisor",
      role: "supervisor",
      teamId: north,
      passwordHash,
    });
    ids.emil = insertUser(db, {
      companyId,
      email: "emil@example.com",
      name: "Emil Employee",
      role: "employee",
      teamId: north,
      passwordHash,
    });
    ids.sam = insertUser(db, {
      companyId,
      email: "sam@example.com",
      name: "Sam Supervisor",
      role: "supervisor",
      teamId: south,
      passwordHash,
    });
    ids.seb = insertUser(db, {
      companyId,
      email: "seb@example.com",
      name: "Seb Employee",
      role: "employee",
      teamId: south,
      passwordHash,
    });
    const docs: SeedDocument[] = [];
    let n = 1;
    const add = (owner: "emil" | "seb", stage: Stage, title: string, extra: Partial<SeedDocument> = {}) => {
      docs.push({
        ownerId: ids[owner],
        teamId: owner === "emil" ? north : south,
        stage,
        number: `T/2026/${String(n++).padStart(4, "0")}`,
        title,
        clientName: owner === "emil" ? "Acme Polska" : "Baltic Trade",
        ...extra,
      });
    };
    for (const stage of STAGES) add("emil", stage, `Emil ${stage}`);
    for (const stage of STAGES) add("seb", stage, `Seb ${stage}`);
    add("emil", "company_signing", "Quarry lease", { clientName: "Kamieniołom Żółw", deadlineInDays: -1 });
    add("emil", "signed", "Fresh signature", { sentDaysAgo: 3, completedDaysAgo: 0, stageDaysAgo: 0 });
    for (let i = 0; i < 23; i++) add("emil", "draft", `Bulk draft ${i + 1}`, { stageDaysAgo: 30 + i });
    const inserted = insertDocuments(db, companyId, docs);
    docs.forEach((doc, i) => (ids[doc.title] = inserted[i]));
    // files for the documents that may be copied
    const pdf = await makePdf(1);
    for (const title of ["Emil declined", "Seb declined"]) {
      const file = path.join(app.dataDir, "files", "documents", ids[title], "original.pdf");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, pdf);
    }
  } finally {
    db.close();
  }
  return ids;
}
