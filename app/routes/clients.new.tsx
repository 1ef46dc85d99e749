import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { ClientFields } from "~/crm/client-fields";
import { clientSchema, createClient } from "~/crm/clients.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.newClient");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const form = validate(clientSchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  const id = createClient(user, form.data, metaOf(request, context));
  throw redirect(`/clients/${id}`);
}

export default function NewClient() {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>{t("crm.newClient")}</h1>
      <Form method="post" className="card" noValidate>
        <ClientFields values={result?.values ?? {}} errors={result?.errors ?? {}} />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>
    </div>
  );
}
