import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { listDeals } from "~/crm/deals.server";
import { formatMoney } from "~/documents/money";
import { listQuery } from "~/http/request.server";
import { useLanguage, useT } from "~/i18n";
import { Pager, SearchForm } from "~/ui/list";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.deals");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const { page, q } = listQuery(request);
  return json({ ...listDeals(user, { q, page }), page });
}

export default function Deals() {
  const t = useT();
  const language = useLanguage();
  const { rows, page, pages } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("crm.deals")}</h1>
      <p className="actions">
        <Link className="btn" to="/deals/new">
          {t("crm.newDeal")}
        </Link>
      </p>
      <SearchForm label={t("crm.searchDeals")} />
      {rows.length === 0 ? (
        <p className="muted">{t("common.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("crm.dealTitle")}</th>
                <th>{t("crm.client")}</th>
                <th>{t("crm.owner")}</th>
                <th>{t("crm.stage")}</th>
                <th className="num">{t("crm.gross")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ deal, clientName, ownerName, totals }) => (
                <tr key={deal.id}>
                  <td>
                    <Link to={`/deals/${deal.id}`}>{deal.title}</Link>
                  </td>
                  <td>{clientName}</td>
                  <td>{ownerName}</td>
                  <td>{t(`crm.stage.${deal.stage}`)}</td>
                  <td className="num">{formatMoney(totals.grossMinor, deal.currency, language)}</td>
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
