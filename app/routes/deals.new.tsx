import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { BLANK_ROWS, DealForm } from "~/crm/deal-form";
import { dealFormOptions, handleDealForm } from "~/crm/deal-form.server";
import { createDeal } from "~/crm/deals.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.newDeal");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ options: dealFormOptions(user), userId: user.id });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const form = handleDealForm(user, await request.formData());
  if (!form.ok) return form.response;
  const id = createDeal(user, form.data, metaOf(request, context));
  throw redirect(`/deals/${id}`);
}

export default function NewDeal() {
  const t = useT();
  const { options, userId } = useLoaderData<typeof loader>();
  const result = useActionData<{ values: Record<string, string>; errors: Record<string, string>; rowCount: number }>();
  const [params] = useSearchParams();
  return (
    <div>
      <h1>{t("crm.newDeal")}</h1>
      <DealForm
        values={result?.values ?? { ownerId: userId, clientId: params.get("clientId") ?? "" }}
        errors={result?.errors ?? {}}
        rowCount={result?.rowCount ?? BLANK_ROWS}
        options={options}
        submitLabel={t("crm.createDeal")}
      />
    </div>
  );
}
