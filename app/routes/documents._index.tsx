import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { packCard, unpackCard } from "~/board/cards";
import { filterQuery } from "~/board/filters";
import { filterChoices, loadBoard, readFilters } from "~/board/queries.server";
import { BoardNotices, Card, FilterForm, ViewSwitch } from "~/board/ui";
import boardStyles from "~/board/board.css";
import { requireStaff } from "~/auth/session.server";
import { formatMoney } from "~/documents/money";
import { pageParam } from "~/http/request.server";
import { chooseLanguage } from "~/i18n/language.server";
import { useT } from "~/i18n";
import { Pager } from "~/ui/list";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("board.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: boardStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const choices = filterChoices(user);
  const { filters, ignored } = readFilters(url, choices);
  const page = pageParam(url);
  const board = loadBoard(user, filters, page);
  const language = chooseLanguage(request, user);
  const columns = board.columns.map((c) => ({
    key: c.key,
    count: c.count,
    cards: c.cards.map((card) =>
      packCard({
        ...card,
        amount:
          card.amountMinor !== null && card.currency ? formatMoney(card.amountMinor, card.currency, language) : null,
      }),
    ),
  }));
  return json({
    filters,
    ignored,
    choices,
    columns,
    single: board.single,
    page: board.page,
    pages: board.pages,
    pageMissing: board.pageOutOfRange ? { page, shown: board.page } : null,
  });
}

export default function Board() {
  const t = useT();
  const { filters, ignored, choices, columns, single, page, pages, pageMissing } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("board.title")}</h1>
      <ViewSwitch filters={filters} current="board" />
      <BoardNotices ignored={ignored} pageMissing={pageMissing} />
      <FilterForm filters={filters} choices={choices} action="/documents" />
      {single ? (
        <p>
          <Link to={`/documents${filterQuery({ ...filters, stage: "" })}`}>{t("board.allColumns")}</Link>
        </p>
      ) : null}
      <div className="board">
        {columns.map((column) => (
          <section key={column.key} className="col" aria-labelledby={`col-${column.key}`} data-column={column.key}>
            <h2 id={`col-${column.key}`}>
              {t(`board.column.${column.key}`)} <span className="count">{column.count}</span>
            </h2>
            {column.cards.length === 0 ? (
              <p className="muted">{t("board.empty")}</p>
            ) : (
              <ol>
                {column.cards.map((packed) => (
                  <Card key={packed[0]} card={unpackCard(packed)} />
                ))}
              </ol>
            )}
            {!single && column.count > column.cards.length ? (
              <Link to={`/documents${filterQuery({ ...filters, stage: column.key }, { page: 2 })}`}>
                {t("board.more", { count: column.count })}
              </Link>
            ) : null}
          </section>
        ))}
      </div>
      {single ? <Pager page={page} pages={pages} /> : null}
    </div>
  );
}
