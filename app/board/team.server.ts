// Team progress for supervisors (their team) and admins (the company, or one team): per person
// the documents in each column, signed this week and this month, the median time from sending
// to the last signature, and the overdue documents. Six queries, whatever the team's size.
import { and, asc, count, eq, gte, inArray, isNotNull, lte, type SQL } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { ownedScope, teamMemberIds } from "~/auth/access.server";
import type { StaffUser } from "~/auth/session.server";
import { COLUMNS, columnOf, type ColumnKey, type Stage } from "./filters";
import { OVERDUE_WITHIN_MS } from "./queries.server";

const DAY = 86_400_000;
export const MEDIAN_WINDOW_DAYS = 90;
export const OVERDUE_LIMIT = 50;

export interface PersonProgress {
  id: string;
  name: string;
  teamName: string | null;
  columns: Record<ColumnKey, number>;
  signedWeek: number;
  signedMonth: number;
  /** milliseconds, or null when nothing was completed in the window */
  medianMs: number | null;
}

/** Monday 00:00 UTC of the week of `now`, and the 1st of its month. */
export function periodStarts(now: Date) {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const week = midnight - ((now.getUTCDay() + 6) % 7) * DAY;
  const month = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return { week: new Date(week), month: new Date(month) };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function teamChoices(user: StaffUser) {
  if (user.role !== "admin") return [];
  return getDb()
    .select({ id: schema.teams.id, name: schema.teams.name })
    .from(schema.teams)
    .where(eq(schema.teams.companyId, user.companyId))
    .orderBy(asc(schema.teams.name))
    .all();
}

export function loadTeamProgress(user: StaffUser, teamId: string, now = new Date()) {
  const db = getDb();
  const u = schema.users;
  const d = schema.documents;
  const peopleWhere =
    user.role === "admin"
      ? and(eq(u.companyId, user.companyId), teamId ? eq(u.teamId, teamId) : undefined)
      : and(eq(u.companyId, user.companyId), inArray(u.id, teamMemberIds(user)));
  const people = db
    .select({ id: u.id, name: u.name, teamName: schema.teams.name })
    .from(u)
    .leftJoin(schema.teams, eq(schema.teams.id, u.teamId))
    .where(peopleWhere)
    .orderBy(asc(schema.teams.name), asc(u.name))
    .all();
  const ids = people.map((p) => p.id);
  const progress = new Map<string, PersonProgress>(
    people.map((p) => [
      p.id,
      {
        ...p,
        columns: Object.fromEntries(COLUMNS.map((c) => [c.key, 0])) as Record<ColumnKey, number>,
        signedWeek: 0,
        signedMonth: 0,
        medianMs: null,
      },
    ]),
  );
  if (ids.length === 0) return { people: [], overdue: [], overdueTotal: 0 };
  // the scope rule again, so that nothing outside it can ever be counted
  const where: SQL = and(ownedScope(user, d), user.role === "admin" && !teamId ? undefined : inArray(d.ownerId, ids))!;

  for (const row of db
    .select({ ownerId: d.ownerId, stage: d.stage, n: count() })
    .from(d)
    .where(where)
    .groupBy(d.ownerId, d.stage)
    .all()) {
    const person = progress.get(row.ownerId);
    if (person) person.columns[columnOf(row.stage as Stage)] += row.n;
  }

  const { week, month } = periodStarts(now);
  const since = new Date(Math.min(week.getTime(), month.getTime()));
  // the rows of the month (or week) straight from the (company, completed_at, owner) index,
  // counted here: a GROUP BY owner would make SQLite walk every document of the company
  const signed = db
    .select({ ownerId: d.ownerId, completedAt: d.completedAt })
    .from(d)
    .where(and(where, gte(d.completedAt, since)))
    .all();
  for (const row of signed) {
    const person = progress.get(row.ownerId);
    if (!person || !row.completedAt) continue;
    if (row.completedAt >= week) person.signedWeek += 1;
    if (row.completedAt >= month) person.signedMonth += 1;
  }

  // median per person over the window: the rows come from the covering (company, completed_at,
  // owner, sent_at) index; SQLite's window functions would walk the owner index instead
  const windowStart = new Date(now.getTime() - MEDIAN_WINDOW_DAYS * DAY);
  const durations = new Map<string, number[]>();
  for (const row of db
    .select({ ownerId: d.ownerId, completedAt: d.completedAt, sentAt: d.sentAt })
    .from(d)
    .where(and(where, gte(d.completedAt, windowStart), isNotNull(d.sentAt)))
    .all()) {
    if (!row.completedAt || !row.sentAt) continue;
    const list = durations.get(row.ownerId) ?? [];
    list.push(row.completedAt.getTime() - row.sentAt.getTime());
    durations.set(row.ownerId, list);
  }
  for (const [ownerId, values] of durations) {
    const person = progress.get(ownerId);
    if (person) person.medianMs = median(values);
  }

  const overdueWhere = and(
    where,
    inArray(d.stage, ["company_signing", "client_signing"]),
    lte(d.deadlineAt, new Date(now.getTime() + OVERDUE_WITHIN_MS)),
  );
  const overdueTotal = db.select({ n: count() }).from(d).where(overdueWhere).get()?.n ?? 0;
  const overdue = db
    .select({
      id: d.id,
      number: d.number,
      title: d.title,
      clientName: d.clientName,
      stage: d.stage,
      deadlineAt: d.deadlineAt,
      ownerName: u.name,
    })
    .from(d)
    .innerJoin(u, eq(u.id, d.ownerId))
    .where(overdueWhere)
    .orderBy(asc(d.deadlineAt))
    .limit(OVERDUE_LIMIT)
    .all()
    .map((row) => ({
      ...row,
      deadlineAt: row.deadlineAt!.getTime(),
      passed: row.deadlineAt!.getTime() < now.getTime(),
    }));

  return { people: [...progress.values()], overdue, overdueTotal };
}
