// Demo documents for `npm run demo`: one or more in every column of the board, made from the
// demo deals through the real path (createDocumentFromDeal, sendForSigning), then moved on by
// legal transitions. Documents past the director's signature carry no signature images and
// no sealed PDF: they show the board, not the signing (sign the "Sent" one in the demo flow).
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import type { DocumentStage } from "~db/schema";
import type { StaffUser } from "~/auth/session.server";
import { createDocumentFromDeal, findDocument, type TemplateName } from "~/documents/documents.server";
import { moveStage } from "~/documents/lifecycle.server";
import { DEFAULT_SEND_SETTINGS, sendForSigning } from "~/documents/send.server";

const DAY = 86_400_000;
const meta = { ip: "127.0.0.1", userAgent: "demo seed" };

interface DemoDocument {
  owner: string;
  deal: string;
  template: TemplateName;
  /** the stages it passes through after "sent" (company_signing) */
  path: DocumentStage[];
  daysAgo: number;
}

const PLAN: DemoDocument[] = [
  {
    owner: "ewa@demo.signet.test",
    deal: "Wdrożenie systemu e-Podpis",
    template: "invoice",
    path: ["draft"],
    daysAgo: 0,
  },
  {
    owner: "ewa@demo.signet.test",
    deal: "Serwis jachtów — sezon 2026",
    template: "contract",
    path: ["company_signing"],
    daysAgo: 1,
  },
  {
    owner: "jan@demo.signet.test",
    deal: "Timber supply Q1",
    template: "invoice",
    path: ["company_signing", "client_signing"],
    daysAgo: 4,
  },
  {
    owner: "ewa@demo.signet.test",
    deal: "Serwis jachtów — sezon 2026",
    template: "invoice",
    path: ["company_signing", "client_signing", "signed"],
    daysAgo: 6,
  },
  {
    owner: "jan@demo.signet.test",
    deal: "Audyt bezpieczeństwa aplikacji",
    template: "protocol",
    path: ["company_signing", "client_signing", "signed", "archived"],
    daysAgo: 40,
  },
  {
    owner: "jan@demo.signet.test",
    deal: "Audyt bezpieczeństwa aplikacji",
    template: "contract",
    path: ["company_signing", "client_signing", "declined"],
    daysAgo: 12,
  },
  {
    owner: "ewa@demo.signet.test",
    deal: "Wdrożenie systemu e-Podpis",
    template: "contract",
    path: ["company_signing", "expired"],
    daysAgo: 35,
  },
  {
    owner: "supervisor@demo.signet.test",
    deal: "Rozszerzenie licencji o oddział w Łodzi",
    template: "invoice",
    path: ["cancelled"],
    daysAgo: 3,
  },
];

function staffUser(email: string): StaffUser {
  const row = getDb().select().from(schema.users).where(eq(schema.users.email, email)).get()!;
  return {
    id: row.id,
    companyId: row.companyId,
    email: row.email,
    name: row.name,
    role: row.role,
    teamId: row.teamId,
    language: row.language,
  };
}

/** Seeds the demo documents (once: the caller runs it with the rest of the demo data). */
export async function seedDemoDocuments(companyId: string) {
  const db = getDb();
  for (const item of PLAN) {
    const user = staffUser(item.owner);
    const deal = db
      .select({ id: schema.deals.id })
      .from(schema.deals)
      .where(and(eq(schema.deals.companyId, companyId), eq(schema.deals.title, item.deal)))
      .get();
    if (!deal) continue;
    const id = await createDocumentFromDeal(user, deal.id, item.template, "pl", meta);
    if (!id) continue;
    let document = findDocument(user, id)!;
    if (item.path[0] === "company_signing") {
      const sent = await sendForSigning(user, document, DEFAULT_SEND_SETTINGS, meta);
      if (!sent.ok) continue;
      document = findDocument(user, id)!;
    }
    const start = Date.now() - item.daysAgo * DAY;
    const audit = { companyId, actorType: "system" as const, actorLabel: "demo seed", meta };
    db.transaction((tx) => {
      let from: DocumentStage = document.stage;
      let at = start;
      for (const to of item.path) {
        if (to === from) continue;
        at += Math.max(1, Math.floor(item.daysAgo / item.path.length)) * DAY * 0.5;
        const when = new Date(Math.min(at, Date.now()));
        const extra: Partial<typeof schema.documents.$inferInsert> =
          to === "signed"
            ? { completedAt: when }
            : to === "declined"
              ? { endReason: "Ceny wyższe niż w ofercie.", nextReminderAt: null }
              : to === "cancelled"
                ? { endReason: "Klient zrezygnował z zamówienia.", nextReminderAt: null }
                : to === "expired"
                  ? { nextReminderAt: null }
                  : {};
        if (!moveStage(tx, id, from, to, audit, extra)) break;
        if (to === "client_signing") {
          tx.update(schema.parties)
            .set({ status: "signed", signedAt: when, tokenHash: null })
            .where(and(eq(schema.parties.documentId, id), eq(schema.parties.role, "company")))
            .run();
          // the client's turn: "Remind" on the board sends them a fresh link
          tx.update(schema.parties)
            .set({ status: "notified" })
            .where(and(eq(schema.parties.documentId, id), eq(schema.parties.role, "client")))
            .run();
        }
        if (to === "signed")
          tx.update(schema.parties)
            .set({ status: "signed", signedAt: when })
            .where(and(eq(schema.parties.documentId, id), eq(schema.parties.role, "client")))
            .run();
        if (to === "declined")
          tx.update(schema.parties)
            .set({ status: "declined", declinedAt: when, declineReason: "Ceny wyższe niż w ofercie." })
            .where(and(eq(schema.parties.documentId, id), eq(schema.parties.role, "client")))
            .run();
        if (to === "signed" || to === "declined" || to === "expired")
          tx.update(schema.parties).set({ tokenHash: null }).where(eq(schema.parties.documentId, id)).run();
        from = to;
      }
      // spread the demo over past days, so that "days in stage" and the team's figures mean something
      const sentAt = item.path[0] === "company_signing" ? new Date(start) : null;
      tx.update(schema.documents)
        .set({
          stageChangedAt: new Date(Math.min(at, Date.now())),
          ...(sentAt ? { sentAt, deadlineAt: new Date(start + 30 * DAY) } : {}),
        })
        .where(eq(schema.documents.id, id))
        .run();
    });
  }
}
