import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireDraft } from "~/documents/draft.server";
import { documentParties, updateParty } from "~/documents/documents.server";
import { WizardSteps } from "~/documents/wizard-steps";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { SubmitButton, TextField } from "~/ui/form";
import { partySchema } from "~/documents/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("documents.step.parties");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { document } = await requireDraft(request, params.documentId);
  return json({
    document: { id: document.id, number: document.number, title: document.title },
    parties: documentParties(document.id).map((p) => ({
      role: p.role,
      name: p.name,
      email: p.email,
      phone: p.phone,
      position: p.position,
      companyName: p.companyName,
      taxId: p.taxId,
    })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, document } = await requireDraft(request, params.documentId);
  const form = validate(partySchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  const { role, ...details } = form.data;
  if (role === "company" && !details.email) return invalid({ email: "error.required" }, form.values);
  updateParty(user, document, role, details, metaOf(request, context));
  throw redirect(`/documents/${document.id}/parties`);
}

export default function PartiesStep() {
  const t = useT();
  const { document, parties } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = (result?.values?.role as string | undefined) ?? params.get("edit");
  return (
    <div>
      <p>
        <Link to={`/documents/${document.id}`}>{document.number}</Link>
      </p>
      <h1>{t("documents.step.parties")}</h1>
      <WizardSteps documentId={document.id} current="parties" />
      <p className="muted">{t("documents.partiesIntro")}</p>
      <div className="grid2">
        {parties.map((party) => {
          const values: Record<string, string | undefined> =
            editing === party.role && result?.values ? result.values : party;
          const errors: Record<string, string | undefined> = editing === party.role ? (result?.errors ?? {}) : {};
          return (
            <section key={party.role} className="card">
              <h2>{t(party.role === "company" ? "documents.sender" : "documents.recipient")}</h2>
              {editing === party.role ? (
                <Form method="post" noValidate>
                  <input type="hidden" name="role" value={party.role} />
                  <TextField
                    name="name"
                    label={t(party.role === "company" ? "company.directorName" : "documents.signerName")}
                    defaultValue={values.name}
                    error={errors.name}
                    required
                  />
                  <TextField
                    name="email"
                    type="email"
                    label={t("common.email")}
                    defaultValue={values.email}
                    error={errors.email}
                  />
                  <TextField
                    name="phone"
                    type="tel"
                    label={t("common.phone")}
                    defaultValue={values.phone}
                    error={errors.phone}
                  />
                  <TextField
                    name="position"
                    label={t("crm.position")}
                    defaultValue={values.position}
                    error={errors.position}
                  />
                  <TextField
                    name="companyName"
                    label={t("crm.clientName")}
                    defaultValue={values.companyName}
                    error={errors.companyName}
                  />
                  <TextField name="taxId" label={t("crm.taxId")} defaultValue={values.taxId} error={errors.taxId} />
                  <div className="actions">
                    <SubmitButton>{t("common.save")}</SubmitButton>
                    <Link to={`/documents/${document.id}/parties`}>{t("common.cancel")}</Link>
                  </div>
                </Form>
              ) : (
                <>
                  <dl className="facts">
                    <dt>{t("common.name")}</dt>
                    <dd>{party.name || "—"}</dd>
                    <dt>{t("common.email")}</dt>
                    <dd>{party.email || "—"}</dd>
                    <dt>{t("common.phone")}</dt>
                    <dd>{party.phone || "—"}</dd>
                    <dt>{t("crm.position")}</dt>
                    <dd>{party.position || "—"}</dd>
                    <dt>{t("crm.clientName")}</dt>
                    <dd>{party.companyName || "—"}</dd>
                    <dt>{t("crm.taxId")}</dt>
                    <dd>{party.taxId || "—"}</dd>
                  </dl>
                  <p>
                    <Link className="btn secondary" to={`?edit=${party.role}`}>
                      {t("common.edit")}
                    </Link>
                  </p>
                </>
              )}
            </section>
          );
        })}
      </div>
      <p className="actions">
        <Link className="btn" to={`/documents/${document.id}/places`}>
          {t("common.continue")}
        </Link>
      </p>
    </div>
  );
}
