// The audit log: append-only (database triggers refuse UPDATE and DELETE) and hash-chained.
// A document's events form one chain from its first event; events outside documents form
// one chain per company. hash = SHA-256(previous hash + canonical JSON of the event).
import crypto from "node:crypto";
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "~db/client";
import { schema } from "~db/client";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export interface RequestMeta {
  ip: string;
  userAgent: string;
}

export interface AuditInput {
  companyId: string;
  documentId?: string | null;
  actorType: "user" | "signer" | "system" | "public";
  actorId?: string | null;
  actorLabel?: string;
  action: string;
  details?: Record<string, unknown>;
  meta?: RequestMeta;
  at?: Date;
}

export const GENESIS_HASH = "0".repeat(64);

function canonical(event: Omit<typeof schema.auditEvents.$inferSelect, "id" | "hash">) {
  return JSON.stringify([
    event.prevHash,
    event.companyId,
    event.documentId,
    event.at.getTime(),
    event.actorType,
    event.actorId,
    event.actorLabel,
    event.action,
    event.details,
    event.ip,
    event.userAgent,
  ]);
}

function chainCondition(companyId: string, documentId: string | null) {
  return documentId
    ? eq(schema.auditEvents.documentId, documentId)
    : and(eq(schema.auditEvents.companyId, companyId), isNull(schema.auditEvents.documentId));
}

/** Appends one event; call inside the transaction of the change it records (synchronous). */
export function appendAudit(tx: Tx, input: AuditInput) {
  const documentId = input.documentId ?? null;
  const last = tx
    .select({ hash: schema.auditEvents.hash })
    .from(schema.auditEvents)
    .where(chainCondition(input.companyId, documentId))
    .orderBy(desc(schema.auditEvents.id))
    .limit(1)
    .get();
  const event = {
    companyId: input.companyId,
    documentId,
    at: input.at ?? new Date(),
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    actorLabel: (input.actorLabel ?? "").slice(0, 200),
    action: input.action,
    details: JSON.stringify(input.details ?? {}),
    ip: (input.meta?.ip ?? "").slice(0, 100),
    userAgent: (input.meta?.userAgent ?? "").slice(0, 400),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = crypto.createHash("sha256").update(canonical(event)).digest("hex");
  tx.insert(schema.auditEvents)
    .values({ ...event, hash })
    .run();
  return hash;
}

export type AuditEvent = typeof schema.auditEvents.$inferSelect;

export function listDocumentAudit(db: Tx, documentId: string): AuditEvent[] {
  return db
    .select()
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.documentId, documentId))
    .orderBy(asc(schema.auditEvents.id))
    .all();
}

/** Recomputes a chain; returns the head hash, or null if any link is broken. */
export function verifyChain(events: AuditEvent[]): string | null {
  let previous = GENESIS_HASH;
  for (const event of events) {
    if (event.prevHash !== previous) return null;
    const { id: _id, hash, ...rest } = event;
    const expected = crypto.createHash("sha256").update(canonical(rest)).digest("hex");
    if (expected !== hash) return null;
    previous = hash;
  }
  return previous;
}

export function requestMeta(request: Request, clientIp?: string): RequestMeta {
  return {
    ip: clientIp ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "",
    userAgent: request.headers.get("user-agent") ?? "",
  };
}
