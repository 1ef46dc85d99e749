import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { ContactFields } from "~/crm/client-fields";
import { clientOptions, contactSchema, createContact, findClient } from "~/crm/clients.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.newContact");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ clients: clientOptions(user) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const form = validate(contactSchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  if (!findClient(user, form.data.clientId)) return invalid({ clientId: "crm.error.chooseClient" }, form.data);
  const id = createContact(user, form.data, metaOf(request, context));
  throw redirect(`/contacts/${id}`);
}

export default function NewContact() {
  const t = useT();
  const { clients } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="narrow">
      <h1>{t("crm.newContact")}</h1>
      <Form method="post" className="card" noValidate>
        <ContactFields
          values={result?.values ?? { clientId: params.get("clientId") ?? "" }}
          errors={result?.errors ?? {}}
          clients={clients}
        />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>
    </div>
  );
}
