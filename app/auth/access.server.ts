// Who may see what. One scope rule per kind of resource, used by every query:
// employees see their own, supervisors their team's, admins their company's.
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { getDb, schema } from "~db/client";
import type { StaffUser } from "./session.server";

/** Ids of the users whose records a supervisor oversees (their team, and themselves). */
export function teamMemberIds(user: StaffUser): string[] {
  if (!user.teamId) return [user.id];
  const rows = getDb()
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.companyId, user.companyId), eq(schema.users.teamId, user.teamId)))
    .all();
  return Array.from(new Set([user.id, ...rows.map((r) => r.id)]));
}

/** Condition for rows owned through an owner column (deals, documents) within the user's scope. */
export function ownedScope(user: StaffUser, columns: { companyId: SQLiteColumn; ownerId: SQLiteColumn }): SQL {
  const inCompany = eq(columns.companyId, user.companyId);
  if (user.role === "admin") return inCompany;
  if (user.role === "supervisor") return and(inCompany, inArray(columns.ownerId, teamMemberIds(user)))!;
  return and(inCompany, eq(columns.ownerId, user.id))!;
}

/** Condition for company-wide records (clients, contacts). */
export function companyScope(user: StaffUser, companyId: SQLiteColumn): SQL {
  return eq(companyId, user.companyId);
}

/** Users a staff member may assign records to: themselves; supervisors their team; admins everyone. */
export function assignableOwnerIds(user: StaffUser): string[] | "all" {
  if (user.role === "admin") return "all";
  if (user.role === "supervisor") return teamMemberIds(user);
  return [user.id];
}
