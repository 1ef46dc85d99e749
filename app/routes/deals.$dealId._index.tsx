import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { deleteDeal, findDeal } from "~/crm/deals.server";
import { formatMoney, formatQuantity, formatVatRate, lineAmounts } from "~/documents/money";
import { invalid, notFound, readIntent } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useLanguage, useT } from "~/i18n";
import { FormError, SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.deal");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const found = findDeal(user, params.dealId ?? "");
  if (!found) notFound();
  return json(found);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const found = findDeal(user, params.dealId ?? "");
  if (!found) notFound();
  readIntent(await request.formData(), ["delete"] as const);
  const result = deleteDeal(user, found.deal.id, metaOf(request, context));
  if (!result.ok) return invalid({ _form: result.error });
  throw redirect("/deals");
}

export default function DealPage() {
  const t = useT();
  const language = useLanguage();
  const { deal, client, contact, ownerName, items, totals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const money = (minor: number) => formatMoney(minor, deal.currency, language);
  return (
    <div>
      <p>
        <Link to="/deals">{t("crm.deals")}</Link>
      </p>
      <h1>{deal.title}</h1>
      <FormError error={result?.formError} />
      <div className="card">
        <dl className="facts">
          <dt>{t("crm.client")}</dt>
          <dd>
            <Link to={`/clients/${client.id}`}>{client.name}</Link>
            {client.taxId ? ` · ${t("crm.taxId")} ${client.taxId}` : ""}
          </dd>
          <dt>{t("crm.contact")}</dt>
          <dd>
            {contact
              ? `${contact.name}${contact.email ? ` · ${contact.email}` : ""}${contact.phone ? ` · ${contact.phone}` : ""}`
              : "—"}
          </dd>
          <dt>{t("crm.owner")}</dt>
          <dd>{ownerName}</dd>
          <dt>{t("crm.stage")}</dt>
          <dd>{t(`crm.stage.${deal.stage}`)}</dd>
        </dl>
      </div>
      <h2>{t("crm.items")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>{t("crm.itemName")}</th>
              <th className="num">{t("crm.quantity")}</th>
              <th>{t("crm.unit")}</th>
              <th className="num">{t("crm.unitNet")}</th>
              <th className="num">{t("crm.vatRate")}</th>
              <th className="num">{t("crm.net")}</th>
              <th className="num">{t("crm.gross")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => {
              const amounts = lineAmounts(item);
              return (
                <tr key={item.id}>
                  <td>{i + 1}</td>
                  <td>{item.name}</td>
                  <td className="num">{formatQuantity(item.quantityMilli, language)}</td>
                  <td>{item.unit}</td>
                  <td className="num">{money(item.unitNetMinor)}</td>
                  <td className="num">{formatVatRate(item.vatRateBp, language)}</td>
                  <td className="num">{money(amounts.netMinor)}</td>
                  <td className="num">{money(amounts.grossMinor)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            {totals.byRate.map((row) => (
              <tr key={row.vatRateBp}>
                <td colSpan={5}>{t("crm.totalAtRate", { rate: formatVatRate(row.vatRateBp, language) })}</td>
                <td className="num">
                  {t("crm.vat")}: {money(row.vatMinor)}
                </td>
                <td className="num">{money(row.netMinor)}</td>
                <td className="num">{money(row.grossMinor)}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={5}>{t("crm.total")}</th>
              <th className="num">
                {t("crm.vat")}: <span className="deal-vat">{money(totals.vatMinor)}</span>
              </th>
              <th className="num deal-net">{money(totals.netMinor)}</th>
              <th className="num deal-gross">{money(totals.grossMinor)}</th>
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="card">
        <dl className="facts">
          <dt>{t("crm.net")}</dt>
          <dd>{money(totals.netMinor)}</dd>
          <dt>{t("crm.vat")}</dt>
          <dd>{money(totals.vatMinor)}</dd>
          <dt>{t("crm.gross")}</dt>
          <dd>
            <strong>{money(totals.grossMinor)}</strong>
          </dd>
        </dl>
      </div>
      <div className="actions">
        <Link className="btn secondary" to={`/deals/${deal.id}/edit`}>
          {t("common.edit")}
        </Link>
        <Link className="btn" to={`/documents/new?dealId=${deal.id}`}>
          {t("crm.createDocument")}
        </Link>
        <Form method="post" className="inline">
          <SubmitButton name="intent" value="delete" className="btn danger">
            {t("common.delete")}
          </SubmitButton>
        </Form>
      </div>
    </div>
  );
}
