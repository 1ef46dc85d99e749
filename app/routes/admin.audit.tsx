// Administration → Audit trails: the company's own chain, the documents whose chain was found
// changed, and a check of every chain of the company on demand.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import { checkCompanyChain } from "~/audit/audit.server";
import { checkCompanyChains, listBrokenChains } from "~/audit/chains.server";
import { requireStaff } from "~/auth/session.server";
import { readIntent } from "~/http/forms.server";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("admin.audit");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const db = getDb();
  const company = checkCompanyChain(db, admin.companyId);
  const broken = listBrokenChains(db, admin.companyId);
  return json({
    company: company.ok
      ? { ok: true as const, count: company.count }
      : { ok: false as const, problem: company.problem, position: company.position ?? 0 },
    documents: broken.documents,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  readIntent(await request.formData(), ["check"] as const);
  const result = await checkCompanyChains(getDb(), admin.companyId);
  throw redirect(`/admin/audit?checked=${result.checked}&broken=${result.broken}`);
}

export default function AuditTrails() {
  const t = useT();
  const { company, documents } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const checked = params.get("checked");
  return (
    <div>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.audit")}</h1>
      <p>{t("admin.audit.intro")}</p>
      {checked ? (
        <div className="notice success" role="status">
          {t("admin.audit.checked", { checked, broken: params.get("broken") ?? "0" })}
        </div>
      ) : null}
      {company.ok ? (
        <p>{t("admin.audit.companyOk", { count: company.count })}</p>
      ) : (
        <div className="notice error" role="alert">
          {t("admin.audit.companyBroken", {
            problem: t(`audit.problem.${company.problem}`, { position: company.position }),
          })}
        </div>
      )}
      {documents.length === 0 ? (
        <p className="muted">{t("admin.audit.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("admin.audit.document")}</th>
                <th>{t("admin.audit.problem")}</th>
                <th>{t("admin.audit.found")}</th>
              </tr>
            </thead>
            <tbody>
              {documents.map((d) => (
                <tr key={d.id} className="audit-broken">
                  <td>
                    <Link to={`/documents/${d.id}`}>
                      {d.number}: {d.title}
                    </Link>
                  </td>
                  <td>{t(`audit.problem.${d.problem}`, { position: d.position })}</td>
                  <td>{d.brokenAt ? new Date(d.brokenAt).toISOString().replace("T", " ").slice(0, 16) : ""} UTC</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form method="post">
        <SubmitButton name="intent" value="check" className="btn secondary">
          {t("admin.audit.check")}
        </SubmitButton>
      </Form>
    </div>
  );
}
