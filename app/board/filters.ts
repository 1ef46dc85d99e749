// The board's columns and filters, shared by the server and the pages (no server code here).
// Filters are GET parameters, so every view can be bookmarked and shared.

export const STAGES = [
  "draft",
  "company_signing",
  "client_signing",
  "signed",
  "archived",
  "declined",
  "expired",
  "cancelled",
] as const;
export type Stage = (typeof STAGES)[number];

/** The board's columns, in SPEC section 3 order, and the stages each one holds. */
export const COLUMNS = [
  { key: "draft", stages: ["draft"] },
  { key: "sent", stages: ["company_signing"] },
  { key: "partially-signed", stages: ["client_signing"] },
  { key: "signed", stages: ["signed"] },
  { key: "archive", stages: ["archived"] },
  { key: "not-signed", stages: ["declined", "expired", "cancelled"] },
] as const satisfies ReadonlyArray<{ key: string; stages: readonly Stage[] }>;
export type ColumnKey = (typeof COLUMNS)[number]["key"];

export function columnOf(stage: Stage): ColumnKey {
  return COLUMNS.find((c) => (c.stages as readonly string[]).includes(stage))!.key;
}

export const PERIODS = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type Period = keyof typeof PERIODS;

export interface BoardFilters {
  owner: string;
  team: string;
  client: string;
  /** a column key or one stage ("declined") */
  stage: string;
  period: string;
  q: string;
}

export const FILTER_NAMES = ["owner", "team", "client", "stage", "period", "q"] as const;

export function isStageFilter(value: string) {
  return COLUMNS.some((c) => c.key === value) || (STAGES as readonly string[]).includes(value);
}

/** The stages a stage filter stands for (all of them for no filter). */
export function stagesOf(stage: string): Stage[] {
  const column = COLUMNS.find((c) => c.key === stage);
  if (column) return [...column.stages];
  return (STAGES as readonly string[]).includes(stage) ? [stage as Stage] : [...STAGES];
}

export function hasFilters(filters: BoardFilters) {
  return FILTER_NAMES.some((name) => filters[name] !== "");
}

/** The query string of the filters (and any extra parameters), without empty values. */
export function filterQuery(filters: BoardFilters, extra: Record<string, string | number | undefined> = {}) {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name]) params.set(name, filters[name]);
  for (const [name, value] of Object.entries(extra))
    if (value !== undefined && value !== "") params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Legal card actions per stage (the server checks them again through LEGAL_TRANSITIONS). */
export type CardAction = "remind" | "cancel" | "archive" | "restore" | "copy";
export function cardActions(stage: Stage): CardAction[] {
  switch (stage) {
    case "draft":
      return ["cancel"];
    case "company_signing":
    case "client_signing":
      return ["remind", "cancel"];
    case "signed":
      return ["archive"];
    case "archived":
      return ["restore"];
    default:
      return ["copy"];
  }
}
