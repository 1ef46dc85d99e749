import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { ContactFields } from "~/crm/client-fields";
import {
  clientOptions,
  contactSchema,
  deleteContact,
  findClient,
  findContact,
  updateContact,
} from "~/crm/clients.server";
import { invalid, notFound, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.contact");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const contact = findContact(user, params.contactId ?? "");
  if (!contact) notFound();
  return json({ contact, clients: clientOptions(user) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const contact = findContact(user, params.contactId ?? "");
  if (!contact) notFound();
  const formData = await request.formData();
  const intent = readIntent(formData, ["save", "delete"] as const);
  if (intent === "delete") {
    deleteContact(user, contact.id, metaOf(request, context));
    throw redirect("/contacts");
  }
  const form = validate(contactSchema, formData);
  if (!form.ok) return invalid(form.errors, form.values);
  if (!findClient(user, form.data.clientId)) return invalid({ clientId: "crm.error.chooseClient" }, form.data);
  updateContact(user, contact.id, form.data, metaOf(request, context));
  throw redirect(`/contacts/${contact.id}`);
}

export default function ContactPage() {
  const t = useT();
  const { contact, clients } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values && Object.keys(result.values).length ? result.values : contact;
  return (
    <div className="narrow">
      <p>
        <Link to="/contacts">{t("crm.contacts")}</Link>
      </p>
      <h1>{contact.name}</h1>
      <Form method="post" className="card" noValidate>
        <ContactFields values={values as Record<string, string>} errors={result?.errors ?? {}} clients={clients} />
        <div className="actions">
          <SubmitButton name="intent" value="save">
            {t("common.save")}
          </SubmitButton>
          <SubmitButton name="intent" value="delete" className="btn danger">
            {t("common.delete")}
          </SubmitButton>
        </div>
      </Form>
    </div>
  );
}
