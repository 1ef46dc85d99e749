// What the board and the list read: a fixed number of queries per page, whatever the number
// of cards (counts, one query per column, one for the parties who must act next).
import { and, asc, count, desc, eq, gte, inArray, or, type SQL } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { contains, PAGE_SIZE, pageCount } from "~db/query";
import { ownedScope, teamMemberIds } from "~/auth/access.server";
import type { StaffUser } from "~/auth/session.server";
import {
  COLUMNS,
  isStageFilter,
  PERIODS,
  stagesOf,
  type BoardFilters,
  type ColumnKey,
  type Period,
  type Stage,
} from "./filters";

export const CARDS_PER_COLUMN = 20;
const DAY = 86_400_000;
/** A deadline this close (or passed) marks a document overdue. */
export const OVERDUE_WITHIN_MS = 2 * DAY;

export interface FilterChoices {
  owners: { id: string; name: string }[];
  teams: { id: string; name: string }[];
}

/** People and teams the user may filter by: an employee none, a supervisor their team, an admin all. */
export function filterChoices(user: StaffUser): FilterChoices {
  const db = getDb();
  if (user.role === "employee") return { owners: [], teams: [] };
  const ownerWhere =
    user.role === "admin"
      ? eq(schema.users.companyId, user.companyId)
      : and(eq(schema.users.companyId, user.companyId), inArray(schema.users.id, teamMemberIds(user)));
  const owners = db
    .select({ id: schema.users.id, name: schema.users.name })
    .from(schema.users)
    .where(ownerWhere)
    .orderBy(asc(schema.users.name))
    .all();
  const teamWhere =
    user.role === "admin"
      ? eq(schema.teams.companyId, user.companyId)
      : and(eq(schema.teams.companyId, user.companyId), eq(schema.teams.id, user.teamId ?? ""));
  const teams = db
    .select({ id: schema.teams.id, name: schema.teams.name })
    .from(schema.teams)
    .where(teamWhere)
    .orderBy(asc(schema.teams.name))
    .all();
  return { owners, teams };
}

/** Reads the filters from the URL; `ignored` names the parameters whose values were dropped. */
export function readFilters(url: URL, choices: FilterChoices): { filters: BoardFilters; ignored: string[] } {
  const raw = (name: string) => (url.searchParams.get(name) ?? "").trim().slice(0, 100);
  const ignored: string[] = [];
  const keep = (name: string, ok: (value: string) => boolean) => {
    const value = raw(name);
    if (value === "" || ok(value)) return value;
    ignored.push(name);
    return "";
  };
  const filters: BoardFilters = {
    owner: keep("owner", (v) => choices.owners.some((o) => o.id === v)),
    team: keep("team", (v) => choices.teams.some((t) => t.id === v)),
    client: raw("client"),
    stage: keep("stage", isStageFilter),
    period: keep("period", (v) => v in PERIODS),
    q: raw("q"),
  };
  return { filters, ignored };
}

/** The WHERE of every board and list query: the user's scope, then the filters. */
export function filterCondition(user: StaffUser, filters: BoardFilters, now = new Date()): SQL {
  const d = schema.documents;
  const conditions: (SQL | undefined)[] = [ownedScope(user, d)];
  if (filters.owner) conditions.push(eq(d.ownerId, filters.owner));
  if (filters.team) conditions.push(eq(d.teamId, filters.team));
  if (filters.client) conditions.push(contains(d.clientName, filters.client));
  if (filters.stage) {
    const stages = stagesOf(filters.stage);
    conditions.push(stages.length === 1 ? eq(d.stage, stages[0]) : inArray(d.stage, stages));
  }
  if (filters.period)
    conditions.push(gte(d.createdAt, new Date(now.getTime() - PERIODS[filters.period as Period] * DAY)));
  if (filters.q)
    conditions.push(or(contains(d.number, filters.q), contains(d.title, filters.q), contains(d.clientName, filters.q)));
  return and(...conditions)!;
}

export interface Card {
  id: string;
  number: string;
  title: string;
  clientName: string;
  amountMinor: number | null;
  currency: string | null;
  ownerName: string;
  stage: Stage;
  /** whole days in the current stage */
  days: number;
  /** who must act next when a signer must: the director or the client (a draft: its owner) */
  next: string | null;
  overdue: "passed" | "soon" | null;
  createdAt: number;
  deadlineAt: number | null;
}

const cardFields = {
  id: schema.documents.id,
  number: schema.documents.number,
  title: schema.documents.title,
  clientName: schema.documents.clientName,
  amountMinor: schema.documents.amountMinor,
  currency: schema.documents.currency,
  ownerName: schema.users.name,
  stage: schema.documents.stage,
  stageChangedAt: schema.documents.stageChangedAt,
  deadlineAt: schema.documents.deadlineAt,
  createdAt: schema.documents.createdAt,
};
interface CardRow {
  id: string;
  number: string;
  title: string;
  clientName: string;
  amountMinor: number | null;
  currency: string | null;
  ownerName: string;
  stage: Stage;
  stageChangedAt: Date;
  deadlineAt: Date | null;
  createdAt: Date;
}

/** The overdue mark: the deadline passed, or comes within 2 days, while signatures are awaited. */
export function overdueMark(stage: Stage, deadlineAt: Date | null, now: Date): "passed" | "soon" | null {
  if (deadlineAt === null || !(stage === "draft" || stage === "company_signing" || stage === "client_signing"))
    return null;
  const left = deadlineAt.getTime() - now.getTime();
  return left < 0 ? "passed" : left <= OVERDUE_WITHIN_MS ? "soon" : null;
}

/** Rows to cards, with who acts next read in one query for all of them. */
function toCards(rows: CardRow[], now: Date): Card[] {
  const waiting = rows.filter((r) => r.stage === "company_signing" || r.stage === "client_signing").map((r) => r.id);
  const actors = new Map<string, string>();
  if (waiting.length > 0) {
    const parties = getDb()
      .select({
        documentId: schema.parties.documentId,
        role: schema.parties.role,
        name: schema.parties.name,
        companyName: schema.parties.companyName,
      })
      .from(schema.parties)
      .where(inArray(schema.parties.documentId, waiting))
      .all();
    const stageOf = new Map(rows.map((r) => [r.id, r.stage]));
    for (const party of parties) {
      const wanted = stageOf.get(party.documentId) === "company_signing" ? "company" : "client";
      if (party.role === wanted) actors.set(party.documentId, party.name || party.companyName);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    clientName: r.clientName,
    amountMinor: r.amountMinor,
    currency: r.currency,
    ownerName: r.ownerName,
    stage: r.stage,
    days: Math.max(0, Math.floor((now.getTime() - r.stageChangedAt.getTime()) / DAY)),
    // a draft waits for its owner, already on the card
    next: actors.get(r.id) ?? null,
    overdue: overdueMark(r.stage, r.deadlineAt, now),
    createdAt: r.createdAt.getTime(),
    deadlineAt: r.deadlineAt?.getTime() ?? null,
  }));
}

function stageCondition(stages: readonly Stage[]) {
  return stages.length === 1 ? eq(schema.documents.stage, stages[0]) : inArray(schema.documents.stage, [...stages]);
}

/**
 * The number of matching documents per owner and stage. Grouped by owner as well, so that SQLite
 * reads the (company, owner, stage, id, ...) index alone whatever the scope and the filters: it
 * carries every filtered column.
 */
function countByOwnerAndStage(where: SQL) {
  const d = schema.documents;
  return getDb()
    .select({ ownerId: d.ownerId, stage: d.stage, n: count() })
    .from(d)
    .where(where)
    .groupBy(d.ownerId, d.stage)
    .all();
}

/** Up to this many matches of a text filter, the board reads them all at once. */
const FEW_MATCHES = 2000;

/**
 * A text filter (search, client) cannot seek in an index, so a column query would walk its whole
 * stage to find a few matches. When there are at most FEW_MATCHES, read them all at once instead
 * (one pass over the covering owner index, then by primary key), newest in their stage first;
 * null when there are more, and the columns are read one query each.
 */
function fewMatches(where: SQL): CardRow[] | null {
  const db = getDb();
  const d = schema.documents;
  const ids = db
    .select({ id: d.id })
    .from(d)
    .where(where)
    .limit(FEW_MATCHES + 1)
    .all()
    .map((r) => r.id);
  if (ids.length > FEW_MATCHES) return null;
  if (ids.length === 0) return [];
  const rows: CardRow[] = db
    .select(cardFields)
    .from(d)
    .innerJoin(schema.users, eq(schema.users.id, d.ownerId))
    .where(inArray(d.id, ids))
    .all();
  return rows.sort(
    (a, b) => b.stageChangedAt.getTime() - a.stageChangedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

export interface BoardColumn {
  key: ColumnKey;
  count: number;
  cards: Card[];
}

/**
 * The board: every column's count and newest cards (by time in the stage). With a stage filter
 * only the matching column shows, paged by `page`.
 */
export function loadBoard(user: StaffUser, filters: BoardFilters, page: number, now = new Date()) {
  const db = getDb();
  const where = filterCondition(user, filters, now);
  const matches = filters.q || filters.client ? fewMatches(where) : null;
  const counts = new Map<string, number>();
  if (matches) for (const row of matches) counts.set(row.stage, (counts.get(row.stage) ?? 0) + 1);
  else for (const row of countByOwnerAndStage(where)) counts.set(row.stage, (counts.get(row.stage) ?? 0) + row.n);
  const wanted = filters.stage ? new Set(stagesOf(filters.stage)) : null;
  const shown = COLUMNS.filter((c) => !wanted || c.stages.some((s) => wanted.has(s)));
  const single = shown.length === 1;
  const columns: BoardColumn[] = shown.map((column) => {
    const total = column.stages.reduce((sum, s) => sum + (counts.get(s) ?? 0), 0);
    return { key: column.key, count: total, cards: [] };
  });
  const pages = single ? pageCount(columns[0].count, CARDS_PER_COLUMN) : 1;
  const offset = single ? (Math.min(page, pages) - 1) * CARDS_PER_COLUMN : 0;
  const rows: CardRow[][] = shown.map((column, i) => {
    if (columns[i].count === 0) return [];
    const stages: readonly Stage[] = wanted ? column.stages.filter((s) => wanted.has(s)) : column.stages;
    if (matches) return matches.filter((r) => stages.includes(r.stage)).slice(offset, offset + CARDS_PER_COLUMN);
    return (
      db
        .select(cardFields)
        .from(schema.documents)
        .innerJoin(schema.users, eq(schema.users.id, schema.documents.ownerId))
        .where(and(where, stageCondition(stages)))
        // ties keep the index's own order, so that the index alone gives the order
        .orderBy(desc(schema.documents.stageChangedAt))
        .limit(CARDS_PER_COLUMN)
        .offset(offset)
        .all()
    );
  });
  const cards = toCards(rows.flat(), now);
  let at = 0;
  rows.forEach((list, i) => {
    columns[i].cards = cards.slice(at, at + list.length);
    at += list.length;
  });
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return { columns, single, page: Math.min(page, pages), pages, pageOutOfRange: page > pages, total };
}

export const SORTS = {
  number: schema.documents.number,
  title: schema.documents.title,
  client: schema.documents.clientName,
  amount: schema.documents.amountMinor,
  owner: schema.users.name,
  stage: schema.documents.stage,
  changed: schema.documents.stageChangedAt,
  created: schema.documents.createdAt,
  deadline: schema.documents.deadlineAt,
} as const;
export type SortKey = keyof typeof SORTS;

export function readSort(url: URL): { sort: SortKey; dir: "asc" | "desc"; ignored: string[] } {
  const ignored: string[] = [];
  const sortValue = url.searchParams.get("sort") ?? "";
  const dirValue = url.searchParams.get("dir") ?? "";
  let sort: SortKey = "changed";
  if (sortValue in SORTS) sort = sortValue as SortKey;
  else if (sortValue) ignored.push("sort");
  let dir: "asc" | "desc" = sort === "changed" || sort === "created" ? "desc" : "asc";
  if (dirValue === "asc" || dirValue === "desc") dir = dirValue;
  else if (dirValue) ignored.push("dir");
  return { sort, dir, ignored };
}

/** The list view: one page of the filtered documents in the chosen order. */
export function loadList(
  user: StaffUser,
  filters: BoardFilters,
  sort: SortKey,
  dir: "asc" | "desc",
  page: number,
  now = new Date(),
) {
  const db = getDb();
  const where = filterCondition(user, filters, now);
  if (sort === "owner") return loadListByOwner(where, dir, page, now);
  const total = db.select({ n: count() }).from(schema.documents).where(where).get()?.n ?? 0;
  const pages = pageCount(total);
  const current = Math.min(page, pages);
  const order = dir === "asc" ? asc(SORTS[sort]) : desc(SORTS[sort]);
  const rows = db
    .select(cardFields)
    .from(schema.documents)
    .innerJoin(schema.users, eq(schema.users.id, schema.documents.ownerId))
    .where(where)
    // the default order comes straight from the (company, stage_changed_at) index; others sort
    .orderBy(
      ...(sort === "changed" ? [order] : [order, dir === "asc" ? asc(schema.documents.id) : desc(schema.documents.id)]),
    )
    .limit(PAGE_SIZE)
    .offset((current - 1) * PAGE_SIZE)
    .all();
  return { rows: toCards(rows, now), total, page: current, pages, pageOutOfRange: page > pages };
}

/**
 * The list in owner-name order (ties by document id), without sorting the whole company: the
 * matches are counted per owner from an index, the owners sorted by name (a few dozen rows), and
 * only the owners whose documents fall on the page are read, through the same index.
 */
function loadListByOwner(where: SQL, dir: "asc" | "desc", page: number, now: Date) {
  const db = getDb();
  const d = schema.documents;
  const perOwner = new Map<string, number>();
  for (const row of countByOwnerAndStage(where)) perOwner.set(row.ownerId, (perOwner.get(row.ownerId) ?? 0) + row.n);
  const total = [...perOwner.values()].reduce((a, b) => a + b, 0);
  const pages = pageCount(total);
  const current = Math.min(page, pages);
  const byName = dir === "asc" ? asc(schema.users.name) : desc(schema.users.name);
  const owners =
    perOwner.size === 0
      ? []
      : db
          .select({ id: schema.users.id, name: schema.users.name })
          .from(schema.users)
          .where(inArray(schema.users.id, [...perOwner.keys()]))
          .orderBy(byName)
          .all();
  // owners who share a name form one group, whose documents interleave by id
  const groups: { ids: string[]; n: number }[] = [];
  owners.forEach((owner, i) => {
    if (i > 0 && owners[i - 1].name === owner.name) groups[groups.length - 1].ids.push(owner.id);
    else groups.push({ ids: [owner.id], n: 0 });
    groups[groups.length - 1].n += perOwner.get(owner.id) ?? 0;
  });
  const ids: string[] = [];
  let skip = (current - 1) * PAGE_SIZE;
  for (const group of groups) {
    if (ids.length === PAGE_SIZE) break;
    if (skip >= group.n) {
      skip -= group.n;
      continue;
    }
    const ownerCondition = group.ids.length === 1 ? eq(d.ownerId, group.ids[0]) : inArray(d.ownerId, group.ids);
    ids.push(
      ...db
        .select({ id: d.id })
        .from(d)
        .where(and(where, ownerCondition))
        .orderBy(dir === "asc" ? asc(d.id) : desc(d.id))
        .limit(PAGE_SIZE - ids.length)
        .offset(skip)
        .all()
        .map((r) => r.id),
    );
    skip = 0;
  }
  // the ids come from the filtered query above: read by primary key
  const found =
    ids.length === 0
      ? []
      : db
          .select(cardFields)
          .from(d)
          .innerJoin(schema.users, eq(schema.users.id, d.ownerId))
          .where(inArray(d.id, ids))
          .all();
  const position = new Map(ids.map((id, i) => [id, i]));
  found.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return { rows: toCards(found, now), total, page: current, pages, pageOutOfRange: page > pages };
}
