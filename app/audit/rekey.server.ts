// The one-off upgrade of chains written before the audit log was keyed (run at start-up, before
// the server listens, after the migrations). Events are append-only, so their SHA-256 hashes
// stay as they are: each such chain gets its count and head on its row and one keyed event,
// "audit.rekeyed", that follows the old last event and names it. From then on the old part is
// anchored by a keyed hash (changing it changes the head the keyed event points at), and every
// new event is keyed. A chain that no longer verified before the upgrade is anchored as it is,
// says so in that event and is marked broken.
import { sql } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import type { Db } from "~db/client";
import {
  appendAudit,
  GENESIS_HASH,
  legacyEventHash,
  listCompanyAudit,
  listDocumentAudit,
  type AuditEvent,
  type ChainRef,
} from "./audit.server";
import { markChainBroken } from "./chains.server";

function legacyChainIntact(events: AuditEvent[]) {
  let previous = GENESIS_HASH;
  for (const event of events) {
    const { id: _id, hash, seq: _seq, keyed, ...content } = event;
    if (keyed || event.prevHash !== previous || legacyEventHash(content) !== hash) return false;
    previous = hash;
  }
  return true;
}

function rekeyChain(db: Db, chain: ChainRef, companyId: string) {
  db.transaction((tx) => {
    const events = chain.kind === "document" ? listDocumentAudit(tx, chain.id) : listCompanyAudit(tx, chain.id);
    const table = chain.kind === "document" ? schema.documents : schema.companies;
    const current = tx.select({ mac: table.auditHeadMac }).from(table).where(sql`${table.id} = ${chain.id}`).get();
    if (!current || current.mac || events.length === 0) return; // done already (another process)
    const intact = legacyChainIntact(events);
    const last = events[events.length - 1].hash;
    tx.update(table)
      .set({ auditEventCount: events.length, auditHead: last })
      .where(sql`${table.id} = ${chain.id}`)
      .run();
    appendAudit(tx, {
      companyId,
      documentId: chain.kind === "document" ? chain.id : null,
      actorType: "system",
      actorLabel: "Signet",
      action: "audit.rekeyed",
      details: { legacyEvents: events.length, legacyHead: last, legacyIntact: intact },
    });
    if (!intact) markChainBroken(tx, chain, companyId, "legacy_broken");
  });
}

/** Keys every chain that is not keyed yet; returns how many were upgraded. */
export function upgradeAuditChains(db: Db = getDb()): number {
  const documents = db.all<{ id: string; company_id: string }>(
    sql`select d.id, d.company_id from documents d where d.audit_head_mac is null and exists (select 1 from audit_events e where e.document_id = d.id)`,
  );
  const companies = db.all<{ id: string }>(
    sql`select c.id from companies c where c.audit_head_mac is null and exists (select 1 from audit_events e where e.company_id = c.id and e.document_id is null)`,
  );
  // companies first: a broken document chain is reported on its company's (keyed) chain
  for (const row of companies) rekeyChain(db, { kind: "company", id: row.id }, row.id);
  for (const row of documents) rekeyChain(db, { kind: "document", id: row.id }, row.company_id);
  const upgraded = documents.length + companies.length;
  if (upgraded > 0) console.log(`audit: keyed ${upgraded} existing chains (audit.rekeyed events)`);
  return upgraded;
}
