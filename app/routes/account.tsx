import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { changePassword, setLanguage } from "~/auth/accounts.server";
import { requireStaff, startSession } from "~/auth/session.server";
import { invalid, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, Notice, SelectField, SubmitButton, TextField } from "~/ui/form";
import { changePasswordSchema, languageSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ name: user.name, email: user.email, role: user.role, language: user.language ?? "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const formData = await request.formData();
  const intent = readIntent(formData, ["password", "language"] as const);
  if (intent === "language") {
    const form = validate(languageSchema, formData);
    if (!form.ok) return invalid(form.errors);
    setLanguage(user, form.data.language);
    throw redirect("/account?saved=language");
  }
  const form = validate(changePasswordSchema, formData);
  if (!form.ok) return invalid(form.errors);
  if (!(await changePassword(user, form.data.current, form.data.password, metaOf(request, context)))) {
    return invalid({ current: "password.wrongCurrent" });
  }
  // all sessions were ended; keep this device signed in with a new one
  throw redirect("/account?saved=password", { headers: { "Set-Cookie": await startSession(user.id) } });
}

export default function Account() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const saved = params.get("saved");
  return (
    <div className="narrow">
      <h1>{t("account.title")}</h1>
      <p>
        {data.name} · {data.email} · {t(`role.${data.role}`)}
      </p>
      <Notice
        message={saved === "password" ? "password.changed" : saved === "language" ? "account.languageSaved" : null}
      />
      <FormError error={result?.formError} />
      <h2>{t("account.languageSection")}</h2>
      <Form method="post" className="card">
        <SelectField
          name="language"
          label={t("common.language")}
          defaultValue={data.language || "en"}
          error={errors.language}
          options={[
            { value: "en", label: t("lang.en") },
            { value: "pl", label: t("lang.pl") },
          ]}
        />
        <SubmitButton name="intent" value="language">
          {t("common.save")}
        </SubmitButton>
      </Form>
      <h2>{t("account.passwordSection")}</h2>
      <Form method="post" className="card" noValidate>
        <TextField
          name="current"
          type="password"
          label={t("password.current")}
          error={errors.current}
          required
          autoComplete="current-password"
        />
        <TextField
          name="password"
          type="password"
          label={t("password.new")}
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
        <SubmitButton name="intent" value="password">
          {t("common.save")}
        </SubmitButton>
      </Form>
    </div>
  );
}
