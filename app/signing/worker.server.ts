// The signing worker: seals documents left marked for sealing (at start: crash recovery),
// moves documents past their deadline to `expired` (the sender is told), and sends the
// automatic reminders set on each document.
import { and, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { appendAudit } from "~/audit/audit.server";
import { IN_PROGRESS, moveStage } from "~/documents/lifecycle.server";
import { sealPendingDocuments } from "./complete.server";
import { reissueLink } from "./manage.server";
import { ownerRecipient, partyRecipient, queueNotice } from "./notices.server";
import { roleOnTurn } from "./signer.server";

const SYSTEM = { actorType: "system" as const, actorLabel: "Signet" };

/** Expires every document in progress whose deadline has passed. */
export function expireOverdueDocuments(now = new Date()): number {
  const db = getDb();
  const overdue = db
    .select()
    .from(schema.documents)
    .where(
      and(
        inArray(schema.documents.stage, [...IN_PROGRESS]),
        isNotNull(schema.documents.deadlineAt),
        lte(schema.documents.deadlineAt, now),
        isNull(schema.documents.sealPendingSince),
      ),
    )
    .limit(100)
    .all();
  let count = 0;
  for (const document of overdue) {
    db.transaction((tx) => {
      const moved = moveStage(
        tx,
        document.id,
        document.stage,
        "expired",
        {
          ...SYSTEM,
          companyId: document.companyId,
          action: "document.expired",
          details: { deadline: document.deadlineAt?.toISOString() },
        },
        { endReason: "deadline", nextReminderAt: null },
      );
      if (!moved) return;
      count++;
      const owner = ownerRecipient(tx, document);
      if (owner)
        queueNotice(tx, document, owner, {
          subjectKey: "signing.mail.expiredSubject",
          bodyKeys: ["signing.mail.expiredBody"],
          smsKey: "signing.sms.expired",
          params: {},
        });
    });
  }
  return count;
}

/** Sends the automatic reminders that are due (a fresh link each time, as a manual reminder). */
export function sendDueReminders(now = new Date()): number {
  const db = getDb();
  const due = db
    .select()
    .from(schema.documents)
    .where(
      and(
        inArray(schema.documents.stage, [...IN_PROGRESS]),
        isNotNull(schema.documents.nextReminderAt),
        lte(schema.documents.nextReminderAt, now),
        isNull(schema.documents.sealPendingSince),
      ),
    )
    .limit(100)
    .all();
  let count = 0;
  for (const document of due) {
    db.transaction((tx) => {
      const sent = document.remindersSent + 1;
      const next =
        sent < document.reminderMax && document.reminderEveryDays > 0
          ? new Date(now.getTime() + document.reminderEveryDays * 86_400_000)
          : null;
      const claimed = tx
        .update(schema.documents)
        .set({ remindersSent: sent, nextReminderAt: next, lastRemindedAt: now })
        .where(
          and(
            eq(schema.documents.id, document.id),
            eq(schema.documents.remindersSent, document.remindersSent),
            eq(schema.documents.stage, document.stage),
          ),
        )
        .run();
      if (claimed.changes === 0) return;
      const role = roleOnTurn(document.stage);
      const party = tx
        .select()
        .from(schema.parties)
        .where(and(eq(schema.parties.documentId, document.id), eq(schema.parties.role, role ?? "company")))
        .get();
      if (!party || (party.status !== "notified" && party.status !== "viewed")) return;
      // someone who confirmed a code in the last half hour is probably signing right now: a new link would cut them off
      if (party.codeVerifiedAt && now.getTime() - party.codeVerifiedAt.getTime() < 30 * 60_000) return;
      reissueLink(tx, document, party, "reminder");
      appendAudit(tx, {
        ...SYSTEM,
        companyId: document.companyId,
        documentId: document.id,
        action: "document.reminded",
        details: { role: party.role, channel: partyRecipient(document, party).channel, automatic: true, count: sent },
        at: now,
      });
      count++;
    });
  }
  return count;
}

let timer: NodeJS.Timeout | undefined;
let running = false;

export async function runSigningChores() {
  if (running) return;
  running = true;
  try {
    await sealPendingDocuments();
    expireOverdueDocuments();
    sendDueReminders();
  } catch (error) {
    console.error("signing worker:", error);
  } finally {
    running = false;
  }
}

export function startSigningWorker() {
  if (timer) return;
  const every = Number(process.env.SIGNING_POLL_MS) > 0 ? Number(process.env.SIGNING_POLL_MS) : 30_000;
  timer = setInterval(() => void runSigningChores(), every);
  timer.unref();
  void runSigningChores();
}

export function stopSigningWorker() {
  if (timer) clearInterval(timer);
  timer = undefined;
}
