import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getTeamInCompany, getUserInCompany, listTeams, resendInvitation, updateUser } from "~/auth/accounts.server";
import { requireStaff } from "~/auth/session.server";
import { invalid, notFound, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { CheckboxField, FormError, Notice, SelectField, SubmitButton } from "~/ui/form";
import { userSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("users.edit");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const user = getUserInCompany(admin.companyId, params.userId ?? "");
  if (!user) notFound();
  return json({
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      teamId: user.teamId ?? "",
      active: user.active,
      invited: !user.passwordHash,
    },
    teams: listTeams(admin.companyId),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const userId = params.userId ?? "";
  if (!getUserInCompany(admin.companyId, userId)) notFound();
  const formData = await request.formData();
  const intent = readIntent(formData, ["save", "resend"] as const);
  if (intent === "resend") {
    resendInvitation(admin, userId, metaOf(request, context));
    throw redirect(`/admin/users/${userId}?resent=1`);
  }
  const form = validate(userSchema, formData);
  if (!form.ok) return invalid(form.errors);
  const teamId = form.data.teamId || null;
  if (teamId && !getTeamInCompany(admin.companyId, teamId)) return invalid({ teamId: "error.unknownTeam" });
  const result = updateUser(
    admin,
    userId,
    { role: form.data.role, teamId, active: form.data.active === "on" },
    metaOf(request, context),
  );
  if (!result.ok) return invalid({ _form: result.error });
  throw redirect("/admin/users");
}

export default function EditUser() {
  const t = useT();
  const { user, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <div className="narrow">
      <p>
        <Link to="/admin/users">{t("admin.users")}</Link>
      </p>
      <h1>
        {t("users.edit")}: {user.name}
      </h1>
      <p>{user.email}</p>
      <Notice message={params.get("resent") ? "users.invitationResent" : null} />
      <FormError error={result?.formError} />
      <Form method="post" className="card">
        <SelectField
          name="role"
          label={t("users.role")}
          defaultValue={user.role}
          error={errors.role}
          options={(["employee", "supervisor", "admin"] as const).map((role) => ({
            value: role,
            label: t(`role.${role}`),
          }))}
        />
        <SelectField
          name="teamId"
          label={t("users.team")}
          defaultValue={user.teamId}
          error={errors.teamId}
          options={[
            { value: "", label: t("users.noTeam") },
            ...teams.map((team) => ({ value: team.id, label: team.name })),
          ]}
        />
        <CheckboxField name="active" label={t("users.activeLabel")} defaultChecked={user.active} />
        <SubmitButton name="intent" value="save">
          {t("common.save")}
        </SubmitButton>
      </Form>
      {user.invited ? (
        <Form method="post">
          <SubmitButton name="intent" value="resend" className="btn secondary">
            {t("users.resendInvitation")}
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}
