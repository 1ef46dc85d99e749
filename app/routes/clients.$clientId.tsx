import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { ClientFields } from "~/crm/client-fields";
import { clientSchema, deleteClient, findClient, listContacts, updateClient } from "~/crm/clients.server";
import { invalid, notFound, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("crm.client");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const client = findClient(user, params.clientId ?? "");
  if (!client) notFound();
  return json({ client, contacts: listContacts(user, { page: 1, clientId: client.id }).rows });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const client = findClient(user, params.clientId ?? "");
  if (!client) notFound();
  const formData = await request.formData();
  const intent = readIntent(formData, ["save", "delete"] as const);
  if (intent === "delete") {
    const result = deleteClient(user, client.id, metaOf(request, context));
    if (!result.ok) return invalid({ _form: result.error });
    throw redirect("/clients");
  }
  const form = validate(clientSchema, formData);
  if (!form.ok) return invalid(form.errors, form.values);
  updateClient(user, client.id, form.data, metaOf(request, context));
  throw redirect(`/clients/${client.id}`);
}

export default function ClientPage() {
  const t = useT();
  const { client, contacts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values && Object.keys(result.values).length ? result.values : client;
  return (
    <div>
      <p>
        <Link to="/clients">{t("crm.clients")}</Link>
      </p>
      <h1>{client.name}</h1>
      <FormError error={result?.formError} />
      <div className="grid2">
        <Form method="post" className="card" noValidate>
          <ClientFields values={values as Record<string, string>} errors={result?.errors ?? {}} />
          <div className="actions">
            <SubmitButton name="intent" value="save">
              {t("common.save")}
            </SubmitButton>
            <SubmitButton name="intent" value="delete" className="btn danger">
              {t("common.delete")}
            </SubmitButton>
          </div>
        </Form>
        <section>
          <h2>{t("crm.contacts")}</h2>
          {contacts.length === 0 ? (
            <p className="muted">{t("common.noResults")}</p>
          ) : (
            <ul>
              {contacts.map(({ contact }) => (
                <li key={contact.id}>
                  <Link to={`/contacts/${contact.id}`}>{contact.name}</Link>{" "}
                  {contact.position ? `· ${contact.position}` : ""}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to={`/contacts/new?clientId=${client.id}`}>{t("crm.newContact")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}
