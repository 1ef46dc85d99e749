import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { listClients } from "~/crm/clients.server";
import { listQuery } from "~/http/request.server";
import { useT } from "~/i18n";
import { Pager, SearchForm } from "~/ui/list";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.clients");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const { page, q } = listQuery(request);
  return json({ ...listClients(user, { q, page }), page });
}

export default function Clients() {
  const t = useT();
  const { rows, page, pages } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("crm.clients")}</h1>
      <p className="actions">
        <Link className="btn" to="/clients/new">
          {t("crm.newClient")}
        </Link>
      </p>
      <SearchForm label={t("crm.searchClients")} />
      {rows.length === 0 ? (
        <p className="muted">{t("common.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("crm.clientName")}</th>
                <th>{t("crm.taxId")}</th>
                <th>{t("crm.address")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/clients/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.taxId}</td>
                  <td>{c.address}</td>
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
