import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { useT } from "~/i18n";
import { titleFrom } from "~/ui/meta";

// Placeholder until the Kanban board lands (issue 6).
export const meta = titleFrom("nav.esignature");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return json({});
}

export default function Documents() {
  const t = useT();
  return (
    <div>
      <h1>{t("nav.esignature")}</h1>
      <p className="actions"><Link className="btn" to="/documents/new">{t("documents.new")}</Link></p>
    </div>
  );
}
