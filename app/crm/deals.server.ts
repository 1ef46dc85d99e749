// Deals with line items. Amounts are integer minor units; quantities integer thousandths.
import { and, asc, count, desc, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "~db/client";
import { contains, PAGE_SIZE, pageCount } from "~db/query";
import { appendAudit, type RequestMeta } from "~/audit/audit.server";
import { assignableOwnerIds, ownedScope } from "~/auth/access.server";
import type { StaffUser } from "~/auth/session.server";
import { newId } from "~/auth/tokens.server";
import { fields, formValues, type FieldErrors } from "~/http/forms.server";
import { dealStages } from "~db/schema";
import { totalsByVatRate, type MoneyLine } from "~/documents/money";
import { findClient, findContact } from "./clients.server";

export const VAT_RATES = [
  { value: "23", bp: 2300 },
  { value: "8", bp: 800 },
  { value: "5", bp: 500 },
  { value: "0", bp: 0 },
  { value: "zw", bp: -1 },
] as const;
export const CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CZK"] as const;
export const MAX_ITEMS = 100;

export interface LineItem extends MoneyLine {
  name: string;
  unit: string;
}

/** "1 234,56" or "1234.56" to an integer with `decimals` places; null if not a number. */
export function parseDecimal(text: string, decimals: number): number | null {
  const cleaned = text
    .trim()
    .replace(/[\s\u00a0]/g, "")
    .replace(",", ".");
  if (!new RegExp(`^\\d{1,12}(\\.\\d{0,${decimals}})?$`).test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  const value = Number(whole) * 10 ** decimals + Number((fraction + "0".repeat(decimals)).slice(0, decimals) || "0");
  return Number.isSafeInteger(value) ? value : null;
}

export function formatDecimal(value: number, decimals: number) {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 10 ** decimals);
  const fraction = String(abs % 10 ** decimals)
    .padStart(decimals, "0")
    .replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** The form value of a VAT rate in basis points ("23", "zw"). */
export function vatRateValue(bp: number) {
  return VAT_RATES.find((r) => r.bp === bp)?.value ?? "23";
}

const dealHeaderSchema = z.object({
  title: fields.required(200),
  clientId: fields.id(),
  contactId: z.string().max(64).optional().default(""),
  ownerId: z.string().max(64).optional().default(""),
  stage: z.enum(dealStages),
  currency: z.enum(CURRENCIES),
});

export interface DealInput {
  title: string;
  clientId: string;
  contactId: string | null;
  ownerId: string;
  stage: (typeof dealStages)[number];
  currency: string;
  items: LineItem[];
}

/** Item rows in a form are items[N].name etc.; blank rows are skipped. */
function readItemRows(values: Record<string, string>) {
  const rows = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(values)) {
    const match = /^items\[(\d{1,3})\]\.(name|unit|quantity|unitNet|vatRate)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (!rows.has(index)) rows.set(index, {});
    rows.get(index)![match[2]] = value;
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]);
}

export type DealFormResult =
  | { ok: true; data: DealInput }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Validates a deal form (header and item rows) against the user's scope. */
export function readDealForm(user: StaffUser, formData: FormData): DealFormResult {
  const values = formValues(formData);
  const errors: FieldErrors = {};
  const header = dealHeaderSchema.safeParse(values);
  if (!header.success) {
    for (const issue of header.error.issues) {
      const key = String(issue.path[0]);
      errors[key] ??=
        issue.code === "too_small" ? "error.required" : issue.code === "too_big" ? "error.tooLong" : "error.invalid";
    }
  }
  const clientId = values.clientId ?? "";
  if (!errors.clientId && !findClient(user, clientId)) errors.clientId = "crm.error.chooseClient";
  const contactId = values.contactId || null;
  if (contactId) {
    const contact = findContact(user, contactId);
    if (!contact || contact.clientId !== clientId) errors.contactId = "crm.error.contactOfClient";
  }
  const allowedOwners = assignableOwnerIds(user);
  const ownerId = values.ownerId || user.id;
  if (allowedOwners !== "all" && !allowedOwners.includes(ownerId)) errors.ownerId = "crm.error.owner";
  if (allowedOwners === "all") {
    const owner = getDb()
      .select()
      .from(schema.users)
      .where(and(eq(schema.users.id, ownerId), eq(schema.users.companyId, user.companyId)))
      .get();
    if (!owner) errors.ownerId = "crm.error.owner";
  }

  const items: LineItem[] = [];
  const rows = readItemRows(values);
  if (rows.length > MAX_ITEMS) errors._form = "crm.error.tooManyItems";
  for (const [index, row] of rows) {
    const blank = !row.name?.trim() && !row.quantity?.trim() && !row.unitNet?.trim();
    if (blank) continue;
    const prefix = `items[${index}]`;
    const name = (row.name ?? "").trim();
    if (!name) errors[`${prefix}.name`] = "error.required";
    else if (name.length > 200) errors[`${prefix}.name`] = "error.tooLong";
    const unit = (row.unit ?? "").trim() || "szt.";
    if (unit.length > 20) errors[`${prefix}.unit`] = "error.tooLong";
    const quantityMilli = parseDecimal(row.quantity ?? "", 3);
    if (quantityMilli === null || quantityMilli <= 0 || quantityMilli > 1_000_000_000)
      errors[`${prefix}.quantity`] = "crm.error.quantity";
    const unitNetMinor = parseDecimal(row.unitNet ?? "", 2);
    if (unitNetMinor === null || unitNetMinor > 100_000_000_000) errors[`${prefix}.unitNet`] = "crm.error.price";
    const rate = VAT_RATES.find((r) => r.value === row.vatRate);
    if (!rate) errors[`${prefix}.vatRate`] = "error.invalid";
    if (quantityMilli !== null && unitNetMinor !== null && rate && name && name.length <= 200) {
      items.push({ name, unit, quantityMilli, unitNetMinor, vatRateBp: rate.bp });
    }
  }
  if (Object.keys(errors).length > 0 || !header.success) return { ok: false, errors, values };
  return {
    ok: true,
    data: {
      title: header.data.title,
      clientId,
      contactId,
      ownerId,
      stage: header.data.stage,
      currency: header.data.currency,
      items,
    },
  };
}

function itemsOf(dealIds: string[]) {
  if (dealIds.length === 0) return [];
  return getDb()
    .select()
    .from(schema.dealItems)
    .where(inArray(schema.dealItems.dealId, dealIds))
    .orderBy(asc(schema.dealItems.dealId), asc(schema.dealItems.position))
    .all();
}

export function listDeals(user: StaffUser, options: { q?: string; page: number }) {
  const db = getDb();
  const where = and(
    ownedScope(user, schema.deals),
    options.q ? or(contains(schema.deals.title, options.q), contains(schema.clients.name, options.q)) : undefined,
  );
  const total =
    db
      .select({ n: count() })
      .from(schema.deals)
      .innerJoin(schema.clients, eq(schema.clients.id, schema.deals.clientId))
      .where(where)
      .get()?.n ?? 0;
  const rows = db
    .select({ deal: schema.deals, clientName: schema.clients.name, ownerName: schema.users.name })
    .from(schema.deals)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.deals.clientId))
    .innerJoin(schema.users, eq(schema.users.id, schema.deals.ownerId))
    .where(where)
    .orderBy(desc(schema.deals.updatedAt), asc(schema.deals.id))
    .limit(PAGE_SIZE)
    .offset((options.page - 1) * PAGE_SIZE)
    .all();
  const items = itemsOf(rows.map((r) => r.deal.id));
  return {
    rows: rows.map((r) => ({ ...r, totals: totalsByVatRate(items.filter((i) => i.dealId === r.deal.id)) })),
    total,
    pages: pageCount(total),
  };
}

/** The deal with everything a page or a template needs, or null when out of scope. */
export function findDeal(user: StaffUser, id: string) {
  const db = getDb();
  const row = db
    .select({ deal: schema.deals, client: schema.clients, ownerName: schema.users.name })
    .from(schema.deals)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.deals.clientId))
    .innerJoin(schema.users, eq(schema.users.id, schema.deals.ownerId))
    .where(and(eq(schema.deals.id, id), ownedScope(user, schema.deals)))
    .get();
  if (!row) return null;
  const contact = row.deal.contactId
    ? (db.select().from(schema.contacts).where(eq(schema.contacts.id, row.deal.contactId)).get() ?? null)
    : null;
  const items = itemsOf([id]);
  return { ...row, contact, items, totals: totalsByVatRate(items) };
}

function writeItems(
  tx: Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0],
  dealId: string,
  items: LineItem[],
) {
  tx.delete(schema.dealItems).where(eq(schema.dealItems.dealId, dealId)).run();
  if (items.length > 0) {
    tx.insert(schema.dealItems)
      .values(items.map((item, position) => ({ id: newId(), dealId, position, ...item })))
      .run();
  }
}

export function createDeal(user: StaffUser, input: DealInput, meta: RequestMeta) {
  const id = newId();
  const { items, ...deal } = input;
  getDb().transaction((tx) => {
    tx.insert(schema.deals)
      .values({ id, companyId: user.companyId, ...deal })
      .run();
    writeItems(tx, id, items);
    appendAudit(tx, {
      companyId: user.companyId,
      actorType: "user",
      actorId: user.id,
      actorLabel: user.email,
      action: "deal.created",
      details: { dealId: id, title: input.title },
      meta,
    });
  });
  return id;
}

export function updateDeal(user: StaffUser, id: string, input: DealInput, meta: RequestMeta) {
  const { items, ...deal } = input;
  getDb().transaction((tx) => {
    tx.update(schema.deals)
      .set({ ...deal, updatedAt: new Date() })
      .where(and(eq(schema.deals.id, id), eq(schema.deals.companyId, user.companyId)))
      .run();
    writeItems(tx, id, items);
    appendAudit(tx, {
      companyId: user.companyId,
      actorType: "user",
      actorId: user.id,
      actorLabel: user.email,
      action: "deal.updated",
      details: { dealId: id },
      meta,
    });
  });
}

/** Refuses while documents were made from the deal (they keep a reference to it). */
export function deleteDeal(
  user: StaffUser,
  id: string,
  meta: RequestMeta,
): { ok: true } | { ok: false; error: string } {
  const db = getDb();
  const documents =
    db.select({ n: count() }).from(schema.documents).where(eq(schema.documents.dealId, id)).get()?.n ?? 0;
  if (documents > 0) return { ok: false, error: "crm.error.dealHasDocuments" };
  db.transaction((tx) => {
    tx.delete(schema.dealItems).where(eq(schema.dealItems.dealId, id)).run();
    tx.delete(schema.deals)
      .where(and(eq(schema.deals.id, id), eq(schema.deals.companyId, user.companyId)))
      .run();
    appendAudit(tx, {
      companyId: user.companyId,
      actorType: "user",
      actorId: user.id,
      actorLabel: user.email,
      action: "deal.deleted",
      details: { dealId: id },
      meta,
    });
  });
  return { ok: true };
}

export function ownerOptions(user: StaffUser) {
  const allowed = assignableOwnerIds(user);
  const rows = getDb()
    .select({ id: schema.users.id, name: schema.users.name })
    .from(schema.users)
    .where(and(eq(schema.users.companyId, user.companyId), eq(schema.users.active, true)))
    .orderBy(asc(schema.users.name))
    .all();
  return allowed === "all" ? rows : rows.filter((r) => allowed.includes(r.id));
}

/** Newest deals in scope, for pickers. */
export function dealOptions(user: StaffUser, limit = 200) {
  return getDb()
    .select({ id: schema.deals.id, title: schema.deals.title, clientName: schema.clients.name })
    .from(schema.deals)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.deals.clientId))
    .where(ownedScope(user, schema.deals))
    .orderBy(desc(schema.deals.updatedAt))
    .limit(limit)
    .all();
}
