// Checking chains beyond the one on screen: every chain of a company (the admin's audit page) or
// of the instance (`npm run audit:verify`), in small batches that give the event loop back, and
// marking the ones that do not verify (the document is then not sealed, admins see it).
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { schema, type Db } from "~db/client";
import { config } from "~/config.server";
import {
  appendAudit,
  checkCompanyChain,
  checkDocumentChain,
  type ChainCheck,
  type ChainProblem,
  type ChainRef,
  type Tx,
} from "./audit.server";
import { auditKey } from "./key.server";

export interface ChainReport {
  chain: ChainRef;
  companyId: string;
  /** the document's number, or the company's name */
  label: string;
  check: ChainCheck;
}

const BATCH = 200;

/** Every chain (of one company, or all), checked; yields to the event loop between batches. */
export async function* checkEveryChain(db: Tx, key: Buffer, companyId?: string): AsyncGenerator<ChainReport> {
  const companies = db
    .select({ id: schema.companies.id, name: schema.companies.legalName })
    .from(schema.companies)
    .where(companyId ? eq(schema.companies.id, companyId) : undefined)
    .all();
  for (const company of companies) {
    yield {
      chain: { kind: "company", id: company.id },
      companyId: company.id,
      label: company.name,
      check: checkCompanyChain(db, company.id, key),
    };
    let after = "";
    for (;;) {
      const batch = db
        .select({ id: schema.documents.id, number: schema.documents.number })
        .from(schema.documents)
        .where(and(eq(schema.documents.companyId, company.id), gt(schema.documents.id, after)))
        .orderBy(asc(schema.documents.id))
        .limit(BATCH)
        .all();
      if (batch.length === 0) break;
      for (const document of batch) {
        yield {
          chain: { kind: "document", id: document.id },
          companyId: company.id,
          label: document.number,
          check: checkDocumentChain(db, document.id, key),
        };
      }
      after = batch[batch.length - 1].id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Marks a chain as broken (once) and records that on the company's chain. A document so
 * marked is not sealed; the document page and the admin's audit page show it.
 */
export function markChainBroken(
  tx: Tx,
  chain: ChainRef,
  companyId: string,
  problem: ChainProblem | "legacy_broken",
  position?: number,
) {
  const table = chain.kind === "document" ? schema.documents : schema.companies;
  const marked = tx
    .update(table)
    .set({ auditBrokenAt: new Date(), auditProblem: position ? `${problem}:${position}` : problem })
    .where(and(eq(table.id, chain.id), isNull(table.auditBrokenAt)))
    .run();
  if (marked.changes === 0) return false;
  console.error(`audit: the chain of ${chain.kind} ${chain.id} does not verify (${problem})`);
  appendAudit(tx, {
    companyId,
    actorType: "system",
    actorLabel: "Signet",
    action: "audit.chain_broken",
    details: { chain: chain.kind, id: chain.id, problem, position: position ?? null },
  });
  return true;
}

/** Checks every chain of a company and marks those that do not verify. */
export async function checkCompanyChains(db: Db, companyId: string) {
  let checked = 0;
  let broken = 0;
  for await (const report of checkEveryChain(db, auditKey(config.dataDir), companyId)) {
    checked++;
    if (report.check.ok) continue;
    broken++;
    const { problem, position } = report.check;
    db.transaction((tx) => markChainBroken(tx, report.chain, report.companyId, problem, position));
  }
  return { checked, broken };
}

/** "changed:5" as stored on the row → its parts. */
function problemOf(stored: string | null) {
  const [problem, position] = (stored ?? "").split(":");
  return { problem: problem || "changed", position: Number(position) || 0 };
}

/** Documents and the company chain found broken, for the admin's audit page. */
export function listBrokenChains(db: Tx, companyId: string) {
  const documents = db
    .select({
      id: schema.documents.id,
      number: schema.documents.number,
      title: schema.documents.title,
      stage: schema.documents.stage,
      brokenAt: schema.documents.auditBrokenAt,
      problem: schema.documents.auditProblem,
    })
    .from(schema.documents)
    .where(and(eq(schema.documents.companyId, companyId), gt(schema.documents.auditBrokenAt, new Date(0))))
    .orderBy(asc(schema.documents.auditBrokenAt))
    .limit(500)
    .all();
  const company = db
    .select({ brokenAt: schema.companies.auditBrokenAt, problem: schema.companies.auditProblem })
    .from(schema.companies)
    .where(eq(schema.companies.id, companyId))
    .get();
  return {
    documents: documents.map((d) => ({ ...d, ...problemOf(d.problem) })),
    company: company?.brokenAt ? { brokenAt: company.brokenAt, ...problemOf(company.problem) } : null,
  };
}
