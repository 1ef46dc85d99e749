import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireDraft } from "~/documents/draft.server";
import { documentBoxes, documentParties } from "~/documents/documents.server";
import { CLIENT_DATA_FIELDS } from "~/documents/options";
import { DEFAULT_SEND_SETTINGS, sendForSigning, sendSettingsSchema } from "~/documents/send.server";
import { WizardSteps } from "~/documents/wizard-steps";
import { formValues, invalid } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton, TextField } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("documents.step.summary");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { document } = await requireDraft(request, params.documentId);
  const boxes = documentBoxes(document.id);
  return json({
    document: {
      id: document.id,
      number: document.number,
      title: document.title,
      clientChannel: document.clientChannel,
    },
    parties: documentParties(document.id).map((p) => ({
      role: p.role,
      name: p.name,
      email: p.email,
      phone: p.phone,
      companyName: p.companyName,
    })),
    boxCounts: {
      company: boxes.filter((b) => b.partyRole === "company").length,
      client: boxes.filter((b) => b.partyRole === "client").length,
    },
    defaults: DEFAULT_SEND_SETTINGS,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, document } = await requireDraft(request, params.documentId);
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = sendSettingsSchema.safeParse({
    clientChannel: values.clientChannel,
    clientRequiredFields: formData.getAll("clientRequiredFields").map(String),
    clientStampRequired: values.clientStampRequired === "on",
    deadlineDays: values.deadlineDays,
    reminderEveryDays: values.reminderEveryDays,
    reminderMax: values.reminderMax,
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      errors[String(issue.path[0])] ??=
        issue.message.startsWith("error.") || issue.message.startsWith("documents.") ? issue.message : "error.invalid";
    return invalid(errors, values);
  }
  const result = await sendForSigning(user, document, parsed.data, metaOf(request, context));
  if (!result.ok) return invalid(result.errors, values);
  throw redirect(`/documents/${document.id}?done=sent`);
}

export default function SummaryStep() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  const { document, defaults } = data;
  const channel = values.clientChannel ?? document.clientChannel ?? defaults.clientChannel;
  const problems = ["director", "client", "boxes"].map((key) => errors[key]).filter(Boolean) as string[];
  return (
    <div>
      <p>
        <Link to={`/documents/${document.id}`}>{document.number}</Link>
      </p>
      <h1>{t("documents.step.summary")}</h1>
      <WizardSteps documentId={document.id} current="summary" />
      <FormError error={result?.formError} />
      {problems.map((problem) => (
        <div key={problem} className="notice error" role="alert">
          {t(problem)}
        </div>
      ))}
      <section className="card">
        <h2>
          {document.number}: {document.title}
        </h2>
        <ul>
          {data.parties.map((p) => (
            <li key={p.role}>
              <strong>{t(p.role === "company" ? "documents.sender" : "documents.recipient")}:</strong> {p.name || "—"}
              {p.companyName ? ` (${p.companyName})` : ""} · {[p.email, p.phone].filter(Boolean).join(" · ") || "—"}
              {" · "}
              {t("documents.boxCount", { count: data.boxCounts[p.role] })}
            </li>
          ))}
        </ul>
        <p>
          <Link to={`/documents/${document.id}/parties`}>{t("common.edit")}</Link> ·{" "}
          <Link to={`/documents/${document.id}/places`}>{t("documents.step.places")}</Link>
        </p>
      </section>
      <Form method="post" className="card" noValidate>
        <fieldset className={errors.clientChannel ? "field has-error" : "field"}>
          <legend className="label">{t("documents.clientChannel")}</legend>
          {(["email", "sms"] as const).map((value) => (
            <div className="check" key={value}>
              <input
                type="radio"
                id={`channel-${value}`}
                name="clientChannel"
                value={value}
                defaultChecked={channel === value}
              />
              <label htmlFor={`channel-${value}`}>{t(`documents.channel.${value}`)}</label>
            </div>
          ))}
          {errors.clientChannel ? (
            <p className="field-error" role="alert">
              {t(errors.clientChannel)}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="field">
          <legend className="label">{t("documents.requiredData")}</legend>
          {CLIENT_DATA_FIELDS.map((field) => (
            <div className="check" key={field}>
              <input
                type="checkbox"
                id={`required-${field}`}
                name="clientRequiredFields"
                value={field}
                defaultChecked={result ? false : defaults.clientRequiredFields.includes(field)}
              />
              <label htmlFor={`required-${field}`}>{t(`documents.clientData.${field}`)}</label>
            </div>
          ))}
        </fieldset>
        <div className="check">
          <input
            type="checkbox"
            id="clientStampRequired"
            name="clientStampRequired"
            defaultChecked={values.clientStampRequired === "on"}
          />
          <label htmlFor="clientStampRequired">{t("documents.clientStampRequired")}</label>
        </div>
        {errors.clientStampRequired ? (
          <p className="field-error" role="alert">
            {t(errors.clientStampRequired)}
          </p>
        ) : null}
        <div className="grid2">
          <TextField
            name="deadlineDays"
            type="number"
            inputMode="numeric"
            label={t("documents.deadlineDays")}
            defaultValue={values.deadlineDays ?? defaults.deadlineDays}
            error={errors.deadlineDays}
          />
          <TextField
            name="reminderEveryDays"
            type="number"
            inputMode="numeric"
            label={t("documents.reminderEveryDays")}
            defaultValue={values.reminderEveryDays ?? defaults.reminderEveryDays}
            error={errors.reminderEveryDays}
          />
          <TextField
            name="reminderMax"
            type="number"
            inputMode="numeric"
            label={t("documents.reminderMax")}
            defaultValue={values.reminderMax ?? defaults.reminderMax}
            error={errors.reminderMax}
          />
        </div>
        <div className="actions">
          <Link className="btn secondary" to={`/documents/${document.id}/places`}>
            {t("common.back")}
          </Link>
          <SubmitButton>{t("documents.sendForSigning")}</SubmitButton>
        </div>
      </Form>
    </div>
  );
}
