import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { filterQuery, type BoardFilters } from "~/board/filters";
import { filterChoices, loadList, readFilters, readSort, type SortKey } from "~/board/queries.server";
import { BoardNotices, CardActions, FilterForm, ViewSwitch } from "~/board/ui";
import boardStyles from "~/board/board.css";
import { requireStaff } from "~/auth/session.server";
import { formatMoney } from "~/documents/money";
import { pageParam } from "~/http/request.server";
import { useLanguage, useT } from "~/i18n";
import { Pager } from "~/ui/list";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("list.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: boardStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const choices = filterChoices(user);
  const { filters, ignored } = readFilters(url, choices);
  const sorting = readSort(url);
  const page = pageParam(url);
  const list = loadList(user, filters, sorting.sort, sorting.dir, page);
  return json({
    filters,
    choices,
    ignored: [...ignored, ...sorting.ignored],
    sort: sorting.sort,
    dir: sorting.dir,
    rows: list.rows.map(({ createdAt: _c, ...row }) => row),
    total: list.total,
    page: list.page,
    pages: list.pages,
    pageMissing: list.pageOutOfRange ? { page, shown: list.page } : null,
  });
}

const HEADERS: Array<{ key: SortKey; label: string; num?: boolean }> = [
  { key: "number", label: "list.number" },
  { key: "title", label: "list.documentTitle" },
  { key: "client", label: "list.client" },
  { key: "amount", label: "list.amount", num: true },
  { key: "owner", label: "list.owner" },
  { key: "stage", label: "list.stage" },
  { key: "changed", label: "list.changed" },
  { key: "deadline", label: "list.deadline" },
];

function SortLink({
  filters,
  column,
  sort,
  dir,
  label,
}: {
  filters: BoardFilters;
  column: SortKey;
  sort: SortKey;
  dir: "asc" | "desc";
  label: string;
}) {
  const t = useT();
  const active = column === sort;
  const nextDir = active
    ? dir === "asc"
      ? "desc"
      : "asc"
    : column === "changed" || column === "created"
      ? "desc"
      : "asc";
  return (
    <Link
      to={`/documents/list${filterQuery(filters, { sort: column, dir: nextDir })}`}
      className={active ? "sorted" : undefined}
    >
      {label}
      {active ? (
        <span aria-label={t(dir === "asc" ? "list.sortAsc" : "list.sortDesc")}>{dir === "asc" ? " ▲" : " ▼"}</span>
      ) : null}
    </Link>
  );
}

const day = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().slice(0, 10));

export default function DocumentList() {
  const t = useT();
  const language = useLanguage();
  const { filters, choices, ignored, sort, dir, rows, total, page, pages, pageMissing } =
    useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("list.title")}</h1>
      <ViewSwitch filters={filters} current="list" />
      <BoardNotices ignored={ignored} pageMissing={pageMissing} />
      <FilterForm filters={filters} choices={choices} action="/documents/list" />
      <p className="muted">{t("list.total", { count: total })}</p>
      {rows.length === 0 ? (
        <p className="muted">{t("common.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {HEADERS.map((h) => (
                  <th
                    key={h.key}
                    className={h.num ? "num" : undefined}
                    aria-sort={h.key === sort ? (dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    <SortLink filters={filters} column={h.key} sort={sort} dir={dir} label={t(h.label)} />
                  </th>
                ))}
                <th>{t("list.next")}</th>
                <th>{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link to={`/documents/${row.id}`}>{row.number}</Link>
                  </td>
                  <td>{row.title}</td>
                  <td>{row.clientName}</td>
                  <td className="num">
                    {row.amountMinor !== null && row.currency
                      ? formatMoney(row.amountMinor, row.currency, language)
                      : "—"}
                  </td>
                  <td>{row.ownerName}</td>
                  <td>{t(`board.stage.${row.stage}`)}</td>
                  <td>{t("team.days", { days: row.days })}</td>
                  <td>
                    {day(row.deadlineAt)}
                    {row.overdue ? (
                      <>
                        {" "}
                        <span className="late-mark">
                          {t(row.overdue === "passed" ? "board.card.overdue" : "board.card.dueSoon")}
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{row.next ?? (row.stage === "draft" ? row.ownerName : "—")}</td>
                  <td className="k-actions">
                    <CardActions card={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} />
    </div>
  );
}
