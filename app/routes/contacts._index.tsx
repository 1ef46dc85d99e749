import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { listContacts } from "~/crm/clients.server";
import { listQuery } from "~/http/request.server";
import { useT } from "~/i18n";
import { Pager, SearchForm } from "~/ui/list";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.contacts");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const { page, q } = listQuery(request);
  return json({ ...listContacts(user, { q, page }), page });
}

export default function Contacts() {
  const t = useT();
  const { rows, page, pages } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("crm.contacts")}</h1>
      <p className="actions">
        <Link className="btn" to="/contacts/new">
          {t("crm.newContact")}
        </Link>
      </p>
      <SearchForm label={t("crm.searchContacts")} />
      {rows.length === 0 ? (
        <p className="muted">{t("common.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("common.name")}</th>
                <th>{t("crm.client")}</th>
                <th>{t("common.email")}</th>
                <th>{t("common.phone")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ contact, clientName }) => (
                <tr key={contact.id}>
                  <td>
                    <Link to={`/contacts/${contact.id}`}>{contact.name}</Link>
                  </td>
                  <td>{clientName}</td>
                  <td>{contact.email}</td>
                  <td>{contact.phone}</td>
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
