import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { onboardingSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { createCompanyWithAdmin, isInstanceEmpty } from "~/auth/accounts.server";
import { startSession } from "~/auth/session.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { chooseLanguage } from "~/i18n/language.server";
import { SubmitButton, TextField } from "~/ui/form";

export const meta = titleFrom("onboarding.title");

export async function loader(_: LoaderFunctionArgs) {
  if (!isInstanceEmpty()) throw redirect("/login");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!isInstanceEmpty()) throw redirect("/login");
  const form = validate(onboardingSchema, await request.formData());
  if (!form.ok) return invalid(form.errors, form.values);
  const { adminName, adminEmail, password, passwordConfirm: _, ...company } = form.data;
  const { userId } = await createCompanyWithAdmin(
    company,
    { name: adminName, email: adminEmail, password, language: chooseLanguage(request) },
    metaOf(request, context),
  );
  throw redirect("/admin", { headers: { "Set-Cookie": await startSession(userId) } });
}

export default function Onboarding() {
  const t = useT();
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  return (
    <div className="narrow">
      <h1>{t("onboarding.title")}</h1>
      <p>{t("onboarding.intro")}</p>
      <Form method="post" noValidate>
        <fieldset className="card">
          <legend>{t("onboarding.company")}</legend>
          <TextField
            name="legalName"
            label={t("company.legalName")}
            defaultValue={values.legalName}
            error={errors.legalName}
            required
          />
          <TextField
            name="taxId"
            label={t("company.taxId")}
            defaultValue={values.taxId}
            error={errors.taxId}
            required
          />
          <TextField
            name="address"
            label={t("company.address")}
            defaultValue={values.address}
            error={errors.address}
            required
            multiline
          />
          <TextField
            name="bankAccount"
            label={t("company.bankAccount")}
            defaultValue={values.bankAccount}
            error={errors.bankAccount}
          />
          <TextField
            name="directorName"
            label={t("company.directorName")}
            defaultValue={values.directorName}
            error={errors.directorName}
            required
          />
          <TextField
            name="directorEmail"
            type="email"
            label={t("company.directorEmail")}
            defaultValue={values.directorEmail}
            error={errors.directorEmail}
            required
          />
          <TextField
            name="directorPhone"
            type="tel"
            label={t("company.directorPhone")}
            defaultValue={values.directorPhone}
            error={errors.directorPhone}
          />
        </fieldset>
        <fieldset className="card">
          <legend>{t("onboarding.admin")}</legend>
          <TextField
            name="adminName"
            label={t("common.name")}
            defaultValue={values.adminName}
            error={errors.adminName}
            required
            autoComplete="name"
          />
          <TextField
            name="adminEmail"
            type="email"
            label={t("login.email")}
            defaultValue={values.adminEmail}
            error={errors.adminEmail}
            required
            autoComplete="email"
          />
          <TextField
            name="password"
            type="password"
            label={t("login.password")}
            error={errors.password}
            required
            autoComplete="new-password"
          />
          <TextField
            name="passwordConfirm"
            type="password"
            label={t("password.confirm")}
            error={errors.passwordConfirm}
            required
            autoComplete="new-password"
          />
        </fieldset>
        <SubmitButton>{t("onboarding.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
