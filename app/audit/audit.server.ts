// The audit log: append-only (database triggers refuse UPDATE and DELETE) and chained. A
// document's events form one chain; a company's events outside documents form another. Each
// event's hash is HMAC-SHA256(audit key, [position, previous hash, event]) with the key under
// DATA_DIR/keys (key.server.ts), and the row the chain belongs to keeps the event count, the
// head and an HMAC over both, written in the same transaction as the event. Rewriting an
// event, re-hashing a chain or dropping its last events therefore needs the key, not only the
// database. Events from before the chain was keyed keep their plain SHA-256 hashes, anchored by
// the keyed "audit.rekeyed" event that follows them (rekey.server.ts).
import crypto from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "~db/client";
import { schema } from "~db/client";
import { config } from "~/config.server";
import { auditKey } from "./key.server";

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

export type AuditEvent = typeof schema.auditEvents.$inferSelect;
type EventContent = Omit<AuditEvent, "id" | "hash" | "seq" | "keyed">;

/** A chain: a document's events, or a company's events outside documents. */
export type ChainRef = { kind: "document"; id: string } | { kind: "company"; id: string };
export interface ChainHead {
  auditEventCount: number;
  auditHead: string | null;
  auditHeadMac: string | null;
}

export const GENESIS_HASH = "0".repeat(64);

function contentOf(event: EventContent) {
  return [
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
  ];
}

/** The hash of an event written before chains were keyed. */
export function legacyEventHash(event: EventContent) {
  return crypto
    .createHash("sha256")
    .update(JSON.stringify(contentOf(event)))
    .digest("hex");
}

export function keyedEventHash(key: Buffer, seq: number, event: EventContent) {
  return crypto
    .createHmac("sha256", key)
    .update(JSON.stringify(["event", seq, ...contentOf(event)]))
    .digest("hex");
}

export function headMac(key: Buffer, chain: ChainRef, count: number, head: string) {
  return crypto
    .createHmac("sha256", key)
    .update(JSON.stringify(["head", chain.kind, chain.id, count, head]))
    .digest("hex");
}

function headTable(chain: ChainRef) {
  return chain.kind === "document" ? schema.documents : schema.companies;
}

export function readChainHead(db: Tx, chain: ChainRef): ChainHead | null {
  const table = headTable(chain);
  return (
    db
      .select({
        auditEventCount: table.auditEventCount,
        auditHead: table.auditHead,
        auditHeadMac: table.auditHeadMac,
      })
      .from(table)
      .where(eq(table.id, chain.id))
      .get() ?? null
  );
}

/**
 * Appends one keyed event after the chain's head and moves the head, in one transaction (the
 * caller's, or its own when given the database). Synchronous: call inside the transaction of
 * the change it records.
 */
export function appendAudit(tx: Tx, input: AuditInput): string {
  const key = auditKey(config.dataDir);
  return tx.transaction((inner) => {
    const documentId = input.documentId ?? null;
    const chain: ChainRef = documentId
      ? { kind: "document", id: documentId }
      : { kind: "company", id: input.companyId };
    const head = readChainHead(inner, chain);
    if (!head) throw new Error(`audit event for a missing ${chain.kind} ${chain.id}`);
    const seq = head.auditEventCount + 1;
    const event: EventContent = {
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
      prevHash: head.auditHead ?? GENESIS_HASH,
    };
    const hash = keyedEventHash(key, seq, event);
    inner
      .insert(schema.auditEvents)
      .values({ ...event, seq, keyed: true, hash })
      .run();
    const table = headTable(chain);
    const moved = inner
      .update(table)
      .set({ auditEventCount: seq, auditHead: hash, auditHeadMac: headMac(key, chain, seq, hash) })
      .where(and(eq(table.id, chain.id), eq(table.auditEventCount, head.auditEventCount)))
      .run();
    if (moved.changes !== 1) throw new Error(`audit chain of ${chain.kind} ${chain.id} moved under an append`);
    return hash;
  });
}

export function listDocumentAudit(db: Tx, documentId: string): AuditEvent[] {
  return db
    .select()
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.documentId, documentId))
    .orderBy(asc(schema.auditEvents.id))
    .all();
}

export function listCompanyAudit(db: Tx, companyId: string): AuditEvent[] {
  return db
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.companyId, companyId), isNull(schema.auditEvents.documentId)))
    .orderBy(asc(schema.auditEvents.id))
    .all();
}

export type ChainProblem =
  | "empty"
  | "changed"
  | "not_linked"
  | "out_of_order"
  | "unkeyed"
  | "legacy_unanchored"
  | "truncated"
  | "extended"
  | "head";

export type ChainCheck =
  | { ok: true; head: string; count: number }
  | { ok: false; problem: ChainProblem; position?: number };

/**
 * Recomputes a chain with the key and compares it with the head kept on its row. Any change to
 * an event, a missing, moved or added event, a chain re-hashed without the key, or a head that
 * does not match shows as a problem at the first position where it is seen.
 */
export function verifyChain(key: Buffer, chain: ChainRef, events: AuditEvent[], head: ChainHead | null): ChainCheck {
  if (events.length === 0) return { ok: false, problem: "empty" };
  let previous = GENESIS_HASH;
  let keyedSeen = false;
  for (const [index, event] of events.entries()) {
    const position = index + 1;
    const { id: _id, hash, seq, keyed, ...content } = event;
    if (event.prevHash !== previous) return { ok: false, problem: "not_linked", position };
    if (!keyed) {
      // legacy events only before the first keyed one, which must say it anchors them
      if (keyedSeen) return { ok: false, problem: "unkeyed", position };
      if (legacyEventHash(content) !== hash) return { ok: false, problem: "changed", position };
    } else {
      if (!keyedSeen && index > 0 && event.action !== "audit.rekeyed")
        return { ok: false, problem: "legacy_unanchored", position };
      keyedSeen = true;
      if (seq !== position) return { ok: false, problem: "out_of_order", position };
      if (!equalHex(keyedEventHash(key, position, content), hash)) return { ok: false, problem: "changed", position };
    }
    previous = hash;
  }
  if (!keyedSeen) return { ok: false, problem: "unkeyed", position: events.length };
  if (
    !head?.auditHeadMac ||
    !head.auditHead ||
    !equalHex(headMac(key, chain, head.auditEventCount, head.auditHead), head.auditHeadMac)
  )
    return { ok: false, problem: "head" };
  if (head.auditEventCount > events.length) return { ok: false, problem: "truncated", position: events.length + 1 };
  if (head.auditEventCount < events.length)
    return { ok: false, problem: "extended", position: head.auditEventCount + 1 };
  if (head.auditHead !== previous) return { ok: false, problem: "head" };
  return { ok: true, head: previous, count: events.length };
}

function equalHex(a: string, b: string) {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right);
}

/** The chain of one document, checked against its row. */
export function checkDocumentChain(db: Tx, documentId: string, key = auditKey(config.dataDir)): ChainCheck {
  const chain: ChainRef = { kind: "document", id: documentId };
  return verifyChain(key, chain, listDocumentAudit(db, documentId), readChainHead(db, chain));
}

/** A company's chain of events outside documents, checked against its row. */
export function checkCompanyChain(db: Tx, companyId: string, key = auditKey(config.dataDir)): ChainCheck {
  const chain: ChainRef = { kind: "company", id: companyId };
  return verifyChain(key, chain, listCompanyAudit(db, companyId), readChainHead(db, chain));
}

/** What a problem means, in English (the command line and logs; pages use audit.problem.*). */
export function describeChainProblem(check: Extract<ChainCheck, { ok: false }>) {
  const at = check.position ? `event ${check.position}` : "the chain";
  switch (check.problem) {
    case "empty":
      return "no audit events at all";
    case "changed":
      return `${at} was changed or forged (its HMAC does not match)`;
    case "not_linked":
      return `${at} does not follow the event before it (an event was removed, inserted or moved)`;
    case "out_of_order":
      return `${at} is out of place in the chain`;
    case "unkeyed":
      return `${at} carries no keyed hash (the chain was re-hashed without the key)`;
    case "legacy_unanchored":
      return `${at} follows unkeyed events without anchoring them`;
    case "truncated":
      return `events from ${at} on were removed (the head counts more events)`;
    case "extended":
      return `${at} and after were added outside Signet`;
    case "head":
      return "the chain's head on its document or company row was changed";
  }
}

export function requestMeta(request: Request, clientIp?: string): RequestMeta {
  return {
    ip: clientIp ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "",
    userAgent: request.headers.get("user-agent") ?? "",
  };
}
