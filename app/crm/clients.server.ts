// Client companies and their contacts: the company's shared address book.
import { and, asc, count, eq, or } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "~db/client";
import { contains, PAGE_SIZE, pageCount } from "~db/query";
import { appendAudit, type RequestMeta } from "~/audit/audit.server";
import { companyScope } from "~/auth/access.server";
import type { StaffUser } from "~/auth/session.server";
import { newId } from "~/auth/tokens.server";
import { fields, taxIdField } from "~/http/forms.server";

export const clientSchema = z.object({
  name: fields.required(200),
  taxId: taxIdField(true),
  address: fields.optional(300),
});
export type ClientInput = z.infer<typeof clientSchema>;

export const contactSchema = z.object({
  name: fields.required(120),
  email: fields.optionalEmail(),
  phone: fields.phone(),
  position: fields.optional(120),
  clientId: fields.id(),
});
export type ContactInput = z.infer<typeof contactSchema>;

function audit(user: StaffUser, action: string, details: Record<string, unknown>, meta: RequestMeta) {
  appendAudit(getDb(), {
    companyId: user.companyId,
    actorType: "user",
    actorId: user.id,
    actorLabel: user.email,
    action,
    details,
    meta,
  });
}

export function listClients(user: StaffUser, options: { q?: string; page: number }) {
  const db = getDb();
  const where = and(
    companyScope(user, schema.clients.companyId),
    options.q ? or(contains(schema.clients.name, options.q), contains(schema.clients.taxId, options.q)) : undefined,
  );
  const total = db.select({ n: count() }).from(schema.clients).where(where).get()?.n ?? 0;
  const rows = db
    .select()
    .from(schema.clients)
    .where(where)
    .orderBy(asc(schema.clients.name))
    .limit(PAGE_SIZE)
    .offset((options.page - 1) * PAGE_SIZE)
    .all();
  return { rows, total, pages: pageCount(total) };
}

/** All clients for pickers (name order). */
export function clientOptions(user: StaffUser) {
  return getDb()
    .select({ id: schema.clients.id, name: schema.clients.name })
    .from(schema.clients)
    .where(companyScope(user, schema.clients.companyId))
    .orderBy(asc(schema.clients.name))
    .all();
}

export function findClient(user: StaffUser, id: string) {
  return (
    getDb()
      .select()
      .from(schema.clients)
      .where(and(eq(schema.clients.id, id), companyScope(user, schema.clients.companyId)))
      .get() ?? null
  );
}

export function createClient(user: StaffUser, input: ClientInput, meta: RequestMeta) {
  const id = newId();
  getDb()
    .insert(schema.clients)
    .values({ id, companyId: user.companyId, ...input })
    .run();
  audit(user, "client.created", { clientId: id, name: input.name }, meta);
  return id;
}

export function updateClient(user: StaffUser, id: string, input: ClientInput, meta: RequestMeta) {
  getDb()
    .update(schema.clients)
    .set(input)
    .where(and(eq(schema.clients.id, id), eq(schema.clients.companyId, user.companyId)))
    .run();
  audit(user, "client.updated", { clientId: id }, meta);
}

/** Refuses while deals or documents refer to the client. */
export function deleteClient(
  user: StaffUser,
  id: string,
  meta: RequestMeta,
): { ok: true } | { ok: false; error: string } {
  const db = getDb();
  const used = db.select({ n: count() }).from(schema.deals).where(eq(schema.deals.clientId, id)).get()?.n ?? 0;
  const documents =
    db.select({ n: count() }).from(schema.documents).where(eq(schema.documents.clientId, id)).get()?.n ?? 0;
  if (used > 0 || documents > 0) return { ok: false, error: "crm.error.clientInUse" };
  db.transaction((tx) => {
    tx.delete(schema.contacts)
      .where(and(eq(schema.contacts.clientId, id), eq(schema.contacts.companyId, user.companyId)))
      .run();
    tx.delete(schema.clients)
      .where(and(eq(schema.clients.id, id), eq(schema.clients.companyId, user.companyId)))
      .run();
  });
  audit(user, "client.deleted", { clientId: id }, meta);
  return { ok: true };
}

export function listContacts(user: StaffUser, options: { q?: string; page: number; clientId?: string }) {
  const db = getDb();
  const where = and(
    companyScope(user, schema.contacts.companyId),
    options.clientId ? eq(schema.contacts.clientId, options.clientId) : undefined,
    options.q
      ? or(
          contains(schema.contacts.name, options.q),
          contains(schema.contacts.email, options.q),
          contains(schema.clients.name, options.q),
        )
      : undefined,
  );
  const total =
    db
      .select({ n: count() })
      .from(schema.contacts)
      .innerJoin(schema.clients, eq(schema.clients.id, schema.contacts.clientId))
      .where(where)
      .get()?.n ?? 0;
  const rows = db
    .select({ contact: schema.contacts, clientName: schema.clients.name })
    .from(schema.contacts)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.contacts.clientId))
    .where(where)
    .orderBy(asc(schema.contacts.name))
    .limit(PAGE_SIZE)
    .offset((options.page - 1) * PAGE_SIZE)
    .all();
  return { rows, total, pages: pageCount(total) };
}

export function contactOptions(user: StaffUser) {
  return getDb()
    .select({ id: schema.contacts.id, name: schema.contacts.name, clientName: schema.clients.name })
    .from(schema.contacts)
    .innerJoin(schema.clients, eq(schema.clients.id, schema.contacts.clientId))
    .where(companyScope(user, schema.contacts.companyId))
    .orderBy(asc(schema.clients.name), asc(schema.contacts.name))
    .all();
}

export function findContact(user: StaffUser, id: string) {
  return (
    getDb()
      .select()
      .from(schema.contacts)
      .where(and(eq(schema.contacts.id, id), companyScope(user, schema.contacts.companyId)))
      .get() ?? null
  );
}

export function createContact(user: StaffUser, input: ContactInput, meta: RequestMeta) {
  const id = newId();
  getDb()
    .insert(schema.contacts)
    .values({ id, companyId: user.companyId, ...input })
    .run();
  audit(user, "contact.created", { contactId: id }, meta);
  return id;
}

export function updateContact(user: StaffUser, id: string, input: ContactInput, meta: RequestMeta) {
  getDb()
    .update(schema.contacts)
    .set(input)
    .where(and(eq(schema.contacts.id, id), eq(schema.contacts.companyId, user.companyId)))
    .run();
  audit(user, "contact.updated", { contactId: id }, meta);
}

/** Deals that named the contact keep their client and lose the contact. */
export function deleteContact(user: StaffUser, id: string, meta: RequestMeta) {
  getDb().transaction((tx) => {
    tx.update(schema.deals)
      .set({ contactId: null })
      .where(and(eq(schema.deals.contactId, id), eq(schema.deals.companyId, user.companyId)))
      .run();
    tx.delete(schema.contacts)
      .where(and(eq(schema.contacts.id, id), eq(schema.contacts.companyId, user.companyId)))
      .run();
  });
  audit(user, "contact.deleted", { contactId: id }, meta);
}
