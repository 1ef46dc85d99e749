import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { COLUMNS } from "~/board/filters";
import { loadTeamProgress, teamChoices } from "~/board/team.server";
import { BoardNotices } from "~/board/ui";
import boardStyles from "~/board/board.css";
import { requireStaff } from "~/auth/session.server";
import { useT, type Translate } from "~/i18n";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("team.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: boardStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, ["supervisor", "admin"]);
  const url = new URL(request.url);
  const teams = teamChoices(user);
  const requested = (url.searchParams.get("team") ?? "").slice(0, 64);
  const team = teams.some((t) => t.id === requested) ? requested : "";
  const ignored = requested && !team ? ["team"] : [];
  const progress = loadTeamProgress(user, team);
  return json({ teams, team, ignored, ...progress });
}

function duration(t: Translate, ms: number | null) {
  if (ms === null) return t("team.noData");
  const hours = ms / 3_600_000;
  return hours < 48
    ? t("team.hours", { hours: Math.max(1, Math.round(hours)) })
    : t("team.days", { days: Math.round(hours / 24) });
}

export default function Team() {
  const t = useT();
  const { teams, team, ignored, people, overdue, overdueTotal } = useLoaderData<typeof loader>();
  const teamQuery = team ? `&team=${team}` : "";
  return (
    <div>
      <h1>{t("team.title")}</h1>
      <BoardNotices ignored={ignored} />
      {teams.length > 0 ? (
        <Form method="get" className="filters">
          <div>
            <label htmlFor="f-team">{t("board.filter.team")}</label>
            <select id="f-team" name="team" defaultValue={team}>
              <option value="">{t("team.allTeams")}</option>
              {teams.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="btn secondary">
              {t("board.filter.apply")}
            </button>
          </div>
        </Form>
      ) : null}
      <h2>{t("team.summary")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("team.person")}</th>
              {COLUMNS.map((c) => (
                <th key={c.key} className="num">
                  {t(`board.column.${c.key}`)}
                </th>
              ))}
              <th className="num">{t("team.signedWeek")}</th>
              <th className="num">{t("team.signedMonth")}</th>
              <th className="num">
                <abbr title={t("team.medianHint")}>{t("team.median")}</abbr>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id} data-person={person.name}>
                <th scope="row">
                  <Link to={`/documents?owner=${person.id}`}>{person.name}</Link>
                  {teams.length > 0 ? <div className="muted">{person.teamName ?? t("team.noTeam")}</div> : null}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.key} className="num">
                    {person.columns[c.key] > 0 ? (
                      <Link to={`/documents/list?owner=${person.id}&stage=${c.key}`}>{person.columns[c.key]}</Link>
                    ) : (
                      0
                    )}
                  </td>
                ))}
                <td className="num">{person.signedWeek}</td>
                <td className="num">{person.signedMonth}</td>
                <td className="num">{duration(t, person.medianMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t("team.medianHint")}</p>
      <h2>
        {t("team.overdue")} <span className="count">{overdueTotal}</span>
      </h2>
      <p className="muted">{t("team.overdueHint")}</p>
      {overdue.length === 0 ? (
        <p>{t("team.noOverdue")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("list.number")}</th>
                <th>{t("list.documentTitle")}</th>
                <th>{t("list.client")}</th>
                <th>{t("list.owner")}</th>
                <th>{t("list.stage")}</th>
                <th>{t("team.deadline")}</th>
              </tr>
            </thead>
            <tbody>
              {overdue.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link to={`/documents/${row.id}`}>{row.number}</Link>
                  </td>
                  <td>{row.title}</td>
                  <td>{row.clientName}</td>
                  <td>{row.ownerName}</td>
                  <td>{t(`board.stage.${row.stage}`)}</td>
                  <td>
                    {new Date(row.deadlineAt).toISOString().slice(0, 10)}{" "}
                    {row.passed ? (
                      <span className="late-mark">{t("board.card.overdue")}</span>
                    ) : (
                      t("board.card.dueSoon")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {overdueTotal > overdue.length ? (
        <p>
          <Link to={`/documents/list?sort=deadline&dir=asc${teamQuery}`}>
            {t("team.moreOverdue", { count: overdueTotal - overdue.length })}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
