// Team progress for supervisors (their team) and admins (the company, or one team): per person
// the documents in each column, signed this week and this month, the median time from sending
// to the last signature, and the overdue documents. A handful of grouped queries in all.
import { and, asc, count, eq, gte, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
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

export function teamChoices(user: StaffUser) {
  if (user.role !== "admin") return [];
  return getDb().select({ id: schema.teams.id, name: schema.teams.name }).from(schema.teams)
    .where(eq(schema.teams.companyId, user.companyId)).orderBy(asc(schema.teams.name)).all();
}

export function loadTeamProgress(user: StaffUser, teamId: string, now = new Date()) {
  const db = getDb();
  const u = schema.users;
  const d = schema.documents;
  const peopleWhere = user.role === "admin"
    ? and(eq(u.companyId, user.companyId), teamId ? eq(u.teamId, teamId) : undefined)
    : and(eq(u.companyId, user.companyId), inArray(u.id, teamMemberIds(user)));
  const people = db.select({ id: u.id, name: u.name, teamName: schema.teams.name }).from(u)
    .leftJoin(schema.teams, eq(schema.teams.id, u.teamId))
    .where(peopleWhere).orderBy(asc(schema.teams.name), asc(u.name)).all();
  const ids = people.map((p) => p.id);
  const progress = new Map<string, PersonProgress>(people.map((p) => [p.id, {
    ...p,
    columns: Object.fromEntries(COLUMNS.map((c) => [c.key, 0])) as Record<ColumnKey, number>,
    signedWeek: 0, signedMonth: 0, medianMs: null,
  }]));
  if (ids.length === 0) return { people: [], overdue: [], overdueTotal: 0 };
  // the scope rule again, so that nothing outside it can ever be counted
  const where: SQL = and(ownedScope(user, d), user.role === "admin" && !teamId ? undefined : inArray(d.ownerId, ids))!;

  for (const row of db.select({ ownerId: d.ownerId, stage: d.stage, n: count() }).from(d).where(where).groupBy(d.ownerId, d.stage).all()) {
    const person = progress.get(row.ownerId);
    if (person) person.columns[columnOf(row.stage as Stage)] += row.n;
  }

  const { week, month } = periodStarts(now);
  const since = new Date(Math.min(week.getTime(), month.getTime()));
  const signed = db.select({
    ownerId: d.ownerId,
    week: sql<number>`sum(case when ${d.completedAt} >= ${week.getTime()} then 1 else 0 end)`,
    month: sql<number>`sum(case when ${d.completedAt} >= ${month.getTime()} then 1 else 0 end)`,
  }).from(d).where(and(where, gte(d.completedAt, since))).groupBy(d.ownerId).all();
  for (const row of signed) {
    const person = progress.get(row.ownerId);
    if (person) { person.signedWeek = Number(row.week); person.signedMonth = Number(row.month); }
  }

  // median per person: the middle one or two durations, picked by window functions in SQLite
  const windowStart = now.getTime() - MEDIAN_WINDOW_DAYS * DAY;
  const durations = db.all<{ ownerId: string; duration: number }>(sql`
    select owner_id as ownerId, duration from (
      select ${d.ownerId} as owner_id, ${d.completedAt} - ${d.sentAt} as duration,
        row_number() over (partition by ${d.ownerId} order by ${d.completedAt} - ${d.sentAt}) as position,
        count(*) over (partition by ${d.ownerId}) as total
      from ${d}
      where ${and(where, gte(d.completedAt, new Date(windowStart)), isNotNull(d.sentAt))}
    ) where position in ((total + 1) / 2, (total + 2) / 2)`);
  const middles = new Map<string, number[]>();
  for (const row of durations) middles.set(row.ownerId, [...(middles.get(row.ownerId) ?? []), row.duration]);
  for (const [ownerId, values] of middles) {
    const person = progress.get(ownerId);
    if (person) person.medianMs = values.reduce((a, b) => a + b, 0) / values.length;
  }

  const overdueWhere = and(where, inArray(d.stage, ["company_signing", "client_signing"]), lte(d.deadlineAt, new Date(now.getTime() + OVERDUE_WITHIN_MS)));
  const overdueTotal = db.select({ n: count() }).from(d).where(overdueWhere).get()?.n ?? 0;
  const overdue = db.select({ id: d.id, number: d.number, title: d.title, clientName: d.clientName, stage: d.stage, deadlineAt: d.deadlineAt, ownerName: u.name })
    .from(d).innerJoin(u, eq(u.id, d.ownerId)).where(overdueWhere).orderBy(asc(d.deadlineAt)).limit(OVERDUE_LIMIT).all()
    .map((row) => ({ ...row, deadlineAt: row.deadlineAt!.getTime(), passed: row.deadlineAt!.getTime() < now.getTime() }));

  return { people: [...progress.values()], overdue, overdueTotal };
}
