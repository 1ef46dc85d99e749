import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loginSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { attemptLogin, isInstanceEmpty, recordLogin } from "~/auth/accounts.server";
import { getStaff, startSession } from "~/auth/session.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf, safeRedirectPath } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton, TextField } from "~/ui/form";

export const meta = titleFrom("login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  if (isInstanceEmpty()) throw redirect("/onboarding");
  if (await getStaff(request)) throw redirect("/documents");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = validate(loginSchema, await request.formData());
  if (!form.ok) return invalid(form.errors, { email: form.values.email ?? "" });
  const meta = metaOf(request, context);
  const result = await attemptLogin(form.data.email, form.data.password, meta.ip);
  if (!result.ok) {
    return invalid(
      { _form: result.reason === "throttled" ? "login.throttled" : "login.invalid" },
      { email: form.data.email },
    );
  }
  recordLogin(result.userId, meta);
  throw redirect(safeRedirectPath(form.data.redirectTo, "/documents"), {
    headers: { "Set-Cookie": await startSession(result.userId) },
  });
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <div className="narrow">
      <h1>{t("login.title")}</h1>
      <FormError error={result?.formError} />
      <Form method="post" className="card" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField
          name="email"
          type="email"
          label={t("login.email")}
          defaultValue={result?.values?.email}
          error={errors.email}
          required
          autoComplete="username"
        />
        <TextField
          name="password"
          type="password"
          label={t("login.password")}
          error={errors.password}
          required
          autoComplete="current-password"
        />
        <SubmitButton>{t("login.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
