import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { BLANK_ROWS, DealForm } from "~/crm/deal-form";
import { dealFormOptions, handleDealForm } from "~/crm/deal-form.server";
import { findDeal, formatDecimal, updateDeal, vatRateValue } from "~/crm/deals.server";
import { notFound } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.editDeal");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const found = findDeal(user, params.dealId ?? "");
  if (!found) notFound();
  const values: Record<string, string> = {
    title: found.deal.title,
    clientId: found.deal.clientId,
    contactId: found.deal.contactId ?? "",
    ownerId: found.deal.ownerId,
    stage: found.deal.stage,
    currency: found.deal.currency,
  };
  found.items.forEach((item, i) => {
    values[`items[${i}].name`] = item.name;
    values[`items[${i}].unit`] = item.unit;
    values[`items[${i}].quantity`] = formatDecimal(item.quantityMilli, 3);
    values[`items[${i}].unitNet`] = formatDecimal(item.unitNetMinor, 2);
    values[`items[${i}].vatRate`] = vatRateValue(item.vatRateBp);
  });
  return json({ id: found.deal.id, values, rowCount: found.items.length + BLANK_ROWS, options: dealFormOptions(user) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const found = findDeal(user, params.dealId ?? "");
  if (!found) notFound();
  const form = handleDealForm(user, await request.formData());
  if (!form.ok) return form.response;
  updateDeal(user, found.deal.id, form.data, metaOf(request, context));
  throw redirect(`/deals/${found.deal.id}`);
}

export default function EditDeal() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<{ values: Record<string, string>; errors: Record<string, string>; rowCount: number }>();
  return (
    <div>
      <p>
        <Link to={`/deals/${data.id}`}>{t("common.back")}</Link>
      </p>
      <h1>{t("crm.editDeal")}</h1>
      <DealForm
        values={result?.values ?? data.values}
        errors={result?.errors ?? {}}
        rowCount={result?.rowCount ?? data.rowCount}
        options={data.options}
        submitLabel={t("common.save")}
      />
    </div>
  );
}
