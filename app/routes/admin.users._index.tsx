import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { createTeam, emailTaken, getTeamInCompany, inviteUser, listTeams, listUsers } from "~/auth/accounts.server";
import { requireStaff } from "~/auth/session.server";
import { invalid, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, Notice, SelectField, SubmitButton, TextField } from "~/ui/form";
import { inviteSchema, teamSchema } from "~/auth/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("admin.users");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, ["admin"]);
  return json({ users: listUsers(user.companyId), teams: listTeams(user.companyId) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const formData = await request.formData();
  const intent = readIntent(formData, ["invite", "team"] as const);
  const meta = metaOf(request, context);
  if (intent === "team") {
    const form = validate(teamSchema, formData);
    if (!form.ok) return invalid(form.errors, form.values);
    const created = createTeam(admin, form.data.teamName, meta);
    if (!created.ok) return invalid({ teamName: created.error }, form.values);
    throw redirect("/admin/users?team=1");
  }
  const form = validate(inviteSchema, formData);
  if (!form.ok) return invalid(form.errors, form.values);
  if (emailTaken(form.data.email)) return invalid({ email: "error.emailTaken" }, form.values);
  const teamId = form.data.teamId || null;
  if (teamId && !getTeamInCompany(admin.companyId, teamId))
    return invalid({ teamId: "error.unknownTeam" }, form.values);
  inviteUser(admin, { ...form.data, teamId }, meta);
  throw redirect(`/admin/users?invited=${encodeURIComponent(form.data.email)}`);
}

export default function Users() {
  const t = useT();
  const { users, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  const invited = params.get("invited");
  const teamOptions = [
    { value: "", label: t("users.noTeam") },
    ...teams.map((team) => ({ value: team.id, label: team.name })),
  ];
  const roleOptions = (["employee", "supervisor", "admin"] as const).map((role) => ({
    value: role,
    label: t(`role.${role}`),
  }));
  return (
    <div>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.users")}</h1>
      {invited ? (
        <div className="notice success" role="status">
          {t("users.invited", { email: invited })}
        </div>
      ) : null}
      <Notice message={params.get("team") ? "teams.created" : null} />
      <FormError error={result?.formError} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("common.name")}</th>
              <th>{t("common.email")}</th>
              <th>{t("users.role")}</th>
              <th>{t("users.team")}</th>
              <th>{t("users.status")}</th>
              <th>{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{u.teamName ?? "—"}</td>
                <td>{!u.active ? t("users.inactive") : u.invited ? t("users.pending") : t("users.active")}</td>
                <td>
                  <Link to={`/admin/users/${u.id}`}>{t("common.edit")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid2">
        <section>
          <h2>{t("users.invite")}</h2>
          <Form method="post" className="card" noValidate>
            <TextField name="name" label={t("common.name")} defaultValue={values.name} error={errors.name} required />
            <TextField
              name="email"
              type="email"
              label={t("common.email")}
              defaultValue={values.email}
              error={errors.email}
              required
            />
            <SelectField
              name="role"
              label={t("users.role")}
              options={roleOptions}
              defaultValue={values.role ?? "employee"}
              error={errors.role}
            />
            <SelectField
              name="teamId"
              label={t("users.team")}
              options={teamOptions}
              defaultValue={values.teamId}
              error={errors.teamId}
            />
            <SelectField
              name="language"
              label={t("common.language")}
              options={[
                { value: "pl", label: t("lang.pl") },
                { value: "en", label: t("lang.en") },
              ]}
              defaultValue={values.language ?? "pl"}
              error={errors.language}
            />
            <SubmitButton name="intent" value="invite">
              {t("users.inviteSubmit")}
            </SubmitButton>
          </Form>
        </section>
        <section>
          <h2>{t("admin.teams")}</h2>
          <ul>
            {teams.map((team) => (
              <li key={team.id}>{team.name}</li>
            ))}
          </ul>
          <Form method="post" className="card" noValidate>
            <TextField
              name="teamName"
              label={t("teams.new")}
              defaultValue={values.teamName}
              error={errors.teamName}
              required
            />
            <SubmitButton name="intent" value="team">
              {t("teams.create")}
            </SubmitButton>
          </Form>
        </section>
      </div>
    </div>
  );
}
