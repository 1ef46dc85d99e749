import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, findInvitation, getCompany } from "~/auth/accounts.server";
import { startSession } from "~/auth/session.server";
import { invalid, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton, TextField } from "~/ui/form";
import { newPasswordSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("invitation.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const found = findInvitation(params.token ?? "");
  if (!found) return json({ valid: false as const }, { status: 410 });
  const company = getCompany(found.user.companyId);
  return json({ valid: true as const, email: found.user.email, company: company.legalName });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = validate(newPasswordSchema, await request.formData());
  if (!form.ok) return invalid(form.errors);
  const userId = await acceptInvitation(params.token ?? "", form.data.password, metaOf(request, context));
  if (!userId) return invalid({ _form: "invitation.invalid" });
  throw redirect("/documents", { headers: { "Set-Cookie": await startSession(userId) } });
}

export default function Invitation() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  if (!data.valid) {
    return (
      <div className="narrow">
        <h1>{t("invitation.title")}</h1>
        <div className="notice error">{t("invitation.invalid")}</div>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("invitation.title")}</h1>
      <p>{t("invitation.intro", { company: data.company, email: data.email })}</p>
      <FormError error={result?.formError} />
      <Form method="post" className="card" noValidate>
        <input type="hidden" name="username" value={data.email} autoComplete="username" />
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
        <SubmitButton>{t("invitation.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
