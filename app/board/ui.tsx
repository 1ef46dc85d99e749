// Pieces the board and the list share: the filter form (a GET form), notices, a card.
import { Form, Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n";
import type { CardData } from "./cards";
import { cardActions, COLUMNS, filterQuery, PERIODS, STAGES, type BoardFilters, type Stage } from "./filters";

export interface Choices {
  owners: { id: string; name: string }[];
  teams: { id: string; name: string }[];
}

export function FilterForm({ filters, choices, action }: { filters: BoardFilters; choices: Choices; action: string }) {
  const t = useT();
  const any = t("board.filter.any");
  return (
    <Form method="get" action={action} className="filters" role="search" aria-label={t("board.filters")}>
      <div className="q">
        <label htmlFor="f-q">{t("board.filter.search")}</label>
        <input id="f-q" type="search" name="q" defaultValue={filters.q} maxLength={100} />
      </div>
      {choices.owners.length > 0 ? (
        <div>
          <label htmlFor="f-owner">{t("board.filter.owner")}</label>
          <select id="f-owner" name="owner" defaultValue={filters.owner}>
            <option value="">{any}</option>
            {choices.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {choices.teams.length > 0 ? (
        <div>
          <label htmlFor="f-team">{t("board.filter.team")}</label>
          <select id="f-team" name="team" defaultValue={filters.team}>
            <option value="">{any}</option>
            {choices.teams.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="f-client">{t("board.filter.client")}</label>
        <input id="f-client" name="client" defaultValue={filters.client} maxLength={100} size={12} />
      </div>
      <div>
        <label htmlFor="f-stage">{t("board.filter.stage")}</label>
        <select id="f-stage" name="stage" defaultValue={filters.stage}>
          <option value="">{any}</option>
          {COLUMNS.map((c) => (
            <option key={c.key} value={c.key}>
              {t(`board.column.${c.key}`)}
            </option>
          ))}
          {STAGES.filter((s) => s === "declined" || s === "expired" || s === "cancelled").map((s) => (
            <option key={s} value={s}>{`${t("board.column.not-signed")}: ${t(`board.stage.${s}`)}`}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-period">{t("board.filter.period")}</label>
        <select id="f-period" name="period" defaultValue={filters.period}>
          <option value="">{any}</option>
          {Object.keys(PERIODS).map((p) => (
            <option key={p} value={p}>
              {t(`board.period.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit" className="btn secondary">
          {t("board.filter.apply")}
        </button>
      </div>
      <div>
        <Link to={action}>{t("board.filter.clear")}</Link>
      </div>
    </Form>
  );
}

/** "Archived FV/2026/0001", "filters left out", "page does not exist" above the board or the list. */
export function BoardNotices({
  ignored,
  pageMissing,
}: {
  ignored: string[];
  pageMissing?: { page: number; shown: number } | null;
}) {
  const t = useT();
  const [params] = useSearchParams();
  const done = params.get("done");
  const number = params.get("n") ?? "";
  return (
    <>
      {done && ["archive", "restore", "cancel", "remind", "copy"].includes(done) ? (
        <div className="notice success" role="status">
          {t(`board.done.${done}`, { number })}
        </div>
      ) : null}
      {ignored.length > 0 ? (
        <div className="notice error" role="alert">
          {t("board.ignored", { names: ignored.join(", ") })}
        </div>
      ) : null}
      {pageMissing ? (
        <div className="notice error" role="alert">
          {t("board.pageMissing", pageMissing)}
        </div>
      ) : null}
    </>
  );
}

export function ViewSwitch({ filters, current }: { filters: BoardFilters; current: "board" | "list" }) {
  const t = useT();
  const query = filterQuery(filters);
  return (
    <p className="actions">
      <Link className="btn" to="/documents/new">
        {t("board.newDocument")}
      </Link>
      {current === "board" ? (
        <strong>{t("board.boardView")}</strong>
      ) : (
        <Link to={`/documents${query}`}>{t("board.boardView")}</Link>
      )}
      {current === "list" ? (
        <strong>{t("board.listView")}</strong>
      ) : (
        <Link to={`/documents/list${query}`}>{t("board.listView")}</Link>
      )}
    </p>
  );
}

/** The legal actions of a card, as plain forms (cancel goes to a page that asks for the reason). */
export function CardActions({ card }: { card: Pick<CardData, "id" | "stage"> }) {
  const t = useT();
  const actions = cardActions(card.stage);
  const posted = actions.filter((a) => a !== "cancel");
  return (
    <>
      {posted.length > 0 ? (
        <Form method="post" action="/documents/board">
          <input type="hidden" name="id" value={card.id} />
          {posted.map((a) => (
            <button key={a} type="submit" name="intent" value={a}>
              {t(`board.action.${a}`)}
            </button>
          ))}
        </Form>
      ) : null}
      {/* a plain link: one attribute less on each of up to 60 cards */}
      {actions.includes("cancel") ? (
        <a className="b" href={`/documents/board?cancel=${card.id}`}>
          {t("board.action.cancel")}
        </a>
      ) : null}
    </>
  );
}

export function Card({ card }: { card: CardData }) {
  const t = useT();
  // whole strings, so that React writes no comment markers between the parts (the board's weight)
  const money = card.amount ? ` · ${card.amount}` : "";
  return (
    <li className={card.overdue ? "k late" : "k"}>
      <Link to={`/documents/${card.id}`}>{card.number}</Link>
      {card.title !== card.number ? ` ${card.title}` : null}
      <p>{`${card.clientName}${money}`}</p>
      <p className="m">{`${t("board.card.owner")}: ${card.ownerName} · ${card.days === 1 ? t("board.card.oneDay") : t("board.card.days", { days: card.days })}`}</p>
      {card.next ? <p className="m">{`${t("board.card.next")}: ${card.next}`}</p> : null}
      {card.overdue ? (
        <p className="late-mark">{t(card.overdue === "passed" ? "board.card.overdue" : "board.card.dueSoon")}</p>
      ) : null}
      <CardActions card={card} />
    </li>
  );
}
