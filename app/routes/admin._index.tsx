import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getCompany, updateCompany } from "~/auth/accounts.server";
import { requireStaff } from "~/auth/session.server";
import { config } from "~/config.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { Notice, SubmitButton, TextField } from "~/ui/form";
import { companySchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";
import { sealStatus } from "~/signing/seal-status.server";

export const meta = titleFrom("admin.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, ["admin"]);
  const { directorSignatureKey: _s, directorStampKey: _t, ...company } = getCompany(user.companyId);
  return json({ company, seal: sealStatus(user.companyId), developmentMailbox: config.developmentMailbox });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request, ["admin"]);
  const form = validate(companySchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  updateCompany(user, form.data, metaOf(request, context));
  throw redirect("/admin?saved=1");
}

export default function Admin() {
  const t = useT();
  const { company, seal, developmentMailbox } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  const v = (name: keyof typeof company) => values[name] ?? String(company[name] ?? "");
  return (
    <div>
      <h1>{t("admin.title")}</h1>
      <p className="actions">
        <Link to="/admin/users">{t("admin.users")}</Link>
        <Link to="/admin/outbox">{t("admin.outbox")}</Link>
        <Link to="/admin/audit">{t("admin.audit")}</Link>
        {developmentMailbox ? <Link to="/dev/mailbox">{t("admin.mailbox")}</Link> : null}
        <a href="/ca.pem">{t("admin.ca")}</a>
        <a href="/ca.crl">{t("admin.seal.crl")}</a>
      </p>
      <h2>{t("admin.seal.title")}</h2>
      {seal.level === "B-B" ? (
        <div className="notice error" role="alert">
          {t("admin.seal.basic")}
        </div>
      ) : (
        <p>{t("admin.seal.longTerm", { url: seal.tsaUrl ?? "" })}</p>
      )}
      {seal.failure ? (
        <div className="notice error" role="alert">
          {t("admin.seal.failing", {
            time: `${seal.failure.at.slice(0, 19).replace("T", " ")} UTC`,
            message: seal.failure.message,
          })}
        </div>
      ) : null}
      {seal.waiting > 0 ? <p>{t("admin.seal.waiting", { count: seal.waiting })}</p> : null}
      <h2>{t("company.title")}</h2>
      <Notice message={params.get("saved") ? "common.saved" : null} />
      <Form method="post" className="card narrow" noValidate>
        <TextField
          name="legalName"
          label={t("company.legalName")}
          defaultValue={v("legalName")}
          error={errors.legalName}
          required
        />
        <TextField name="taxId" label={t("company.taxId")} defaultValue={v("taxId")} error={errors.taxId} required />
        <TextField
          name="address"
          label={t("company.address")}
          defaultValue={v("address")}
          error={errors.address}
          required
          multiline
        />
        <TextField
          name="bankAccount"
          label={t("company.bankAccount")}
          defaultValue={v("bankAccount")}
          error={errors.bankAccount}
        />
        <h3>{t("company.director")}</h3>
        <TextField
          name="directorName"
          label={t("company.directorName")}
          defaultValue={v("directorName")}
          error={errors.directorName}
          required
        />
        <TextField
          name="directorEmail"
          type="email"
          label={t("company.directorEmail")}
          defaultValue={v("directorEmail")}
          error={errors.directorEmail}
          required
        />
        <TextField
          name="directorPhone"
          type="tel"
          label={t("company.directorPhone")}
          defaultValue={v("directorPhone")}
          error={errors.directorPhone}
        />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>
    </div>
  );
}
