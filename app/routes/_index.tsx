import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isInstanceEmpty } from "~/auth/accounts.server";
import { getStaff } from "~/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  if (isInstanceEmpty()) throw redirect("/onboarding");
  const user = await getStaff(request);
  throw redirect(user ? "/documents" : "/login");
}
