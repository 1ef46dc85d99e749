import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { clientOptions, findClient, listContacts } from "~/crm/clients.server";
import { dealOptions } from "~/crm/deals.server";
import { createDocumentFromDeal, createDocumentFromUpload } from "~/documents/documents.server";
import { TEMPLATES, type TemplateName } from "~/documents/options";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { isMultipart, readMultipartForm, uploadedFileBytes } from "~/http/uploads.server";
import { useLanguage, useT } from "~/i18n";
import { defaultPdfLimits } from "~/pdf/inspect.server";
import { SelectField, SubmitButton, TextField } from "~/ui/form";
import { fromDealSchema, uploadSchema } from "~/documents/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("documents.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ deals: dealOptions(user), clients: clientOptions(user) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const meta = metaOf(request, context);
  if (isMultipart(request)) {
    const upload = await readMultipartForm(request, defaultPdfLimits.maxBytes);
    if (!upload.ok)
      return invalid({ file: upload.error === "error.upload.tooLarge" ? "error.pdf.tooLarge" : upload.error });
    const form = validate(uploadSchema, upload.formData);
    if (!form.ok) return invalid(form.errors, form.values);
    const bytes = await uploadedFileBytes(upload.formData, "file");
    if (!bytes) return invalid({ file: "error.upload.missing" }, form.values);
    const client = form.data.clientId ? findClient(user, form.data.clientId) : null;
    if (form.data.clientId && !client) return invalid({ clientId: "crm.error.chooseClient" }, form.values);
    const contact = client ? (listContacts(user, { page: 1, clientId: client.id }).rows[0]?.contact ?? null) : null;
    const created = await createDocumentFromUpload(
      user,
      { bytes, title: form.data.title, language: form.data.language, client, contact },
      meta,
    );
    if (!created.ok) return invalid({ file: created.error }, form.values);
    throw redirect(`/documents/${created.id}`);
  }
  const form = validate(fromDealSchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  const id = await createDocumentFromDeal(
    user,
    form.data.dealId,
    form.data.template as TemplateName,
    form.data.language,
    meta,
  );
  if (!id) return invalid({ dealId: "documents.error.chooseDeal" }, form.values);
  throw redirect(`/documents/${id}`);
}

export default function NewDocument() {
  const t = useT();
  const language = useLanguage();
  const { deals, clients } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  const languages = [
    { value: "pl", label: t("lang.pl") },
    { value: "en", label: t("lang.en") },
  ];
  return (
    <div>
      <h1>{t("documents.new")}</h1>
      <div className="grid2">
        <section>
          <h2>{t("documents.fromDeal")}</h2>
          <Form method="post" className="card" noValidate>
            {deals.length === 0 ? <p className="muted">{t("documents.noDeals")}</p> : null}
            <SelectField
              name="dealId"
              label={t("crm.deal")}
              defaultValue={values.dealId ?? params.get("dealId")}
              error={errors.dealId}
              options={deals.map((d) => ({ value: d.id, label: `${d.title} · ${d.clientName}` }))}
            />
            <SelectField
              name="template"
              label={t("documents.template")}
              defaultValue={values.template ?? "invoice"}
              error={errors.template}
              options={TEMPLATES.map((name) => ({ value: name, label: t(`documents.template.${name}`) }))}
            />
            <SelectField
              name="language"
              label={t("documents.language")}
              defaultValue={values.language ?? language}
              error={errors.language}
              options={languages}
            />
            <SubmitButton>{t("documents.create")}</SubmitButton>
          </Form>
        </section>
        <section>
          <h2>{t("documents.upload")}</h2>
          <Form method="post" encType="multipart/form-data" className="card" noValidate>
            <div className={errors.file ? "field has-error" : "field"}>
              <label htmlFor="field-file">{t("documents.file")}</label>
              <input
                id="field-file"
                type="file"
                name="file"
                accept="application/pdf,.pdf"
                aria-describedby="file-hint"
              />
              <div className="hint" id="file-hint">
                {t("documents.fileHint")}
              </div>
              {errors.file ? (
                <p className="field-error" role="alert">
                  {t(errors.file)}
                </p>
              ) : null}
            </div>
            <TextField
              name="title"
              label={t("documents.title")}
              defaultValue={values.title}
              error={errors.title}
              required
            />
            <SelectField
              name="clientId"
              label={t("crm.client")}
              defaultValue={values.clientId}
              error={errors.clientId}
              options={[
                { value: "", label: t("documents.clientLater") },
                ...clients.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
            <SelectField
              name="language"
              label={t("documents.language")}
              defaultValue={values.language ?? language}
              error={errors.language}
              options={languages}
            />
            <SubmitButton>{t("documents.uploadSubmit")}</SubmitButton>
          </Form>
        </section>
      </div>
    </div>
  );
}
