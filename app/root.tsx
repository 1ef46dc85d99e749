import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import { getStaff } from "~/auth/session.server";
import { chooseLanguage } from "~/i18n/language.server";
import { translator, useT, type Language } from "~/i18n";
import styles from "~/styles/app.css";
import { useNonce } from "~/ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getStaff(request);
  const language = chooseLanguage(request, user);
  return json({
    language,
    user: user ? { name: user.name, role: user.role, email: user.email } : null,
  });
}

function Navigation() {
  const { user } = useLoaderData<typeof loader>();
  const t = useT();
  if (!user) return null;
  return (
    <nav aria-label={t("nav.main")} className="nav">
      <NavLink to="/documents">{t("nav.esignature")}</NavLink>
      <NavLink to="/deals">{t("nav.deals")}</NavLink>
      <NavLink to="/clients">{t("nav.clients")}</NavLink>
      <NavLink to="/contacts">{t("nav.contacts")}</NavLink>
      {user.role !== "employee" ? <NavLink to="/team">{t("nav.team")}</NavLink> : null}
      {user.role === "admin" ? <NavLink to="/admin">{t("nav.admin")}</NavLink> : null}
      <NavLink to="/account">{t("nav.account")}</NavLink>
      <Form method="post" action="/logout" className="inline">
        <button type="submit" className="link">
          {t("nav.logout")}
        </button>
      </Form>
    </nav>
  );
}

function PendingBar() {
  const navigation = useNavigation();
  return navigation.state !== "idle" ? <div className="pending-bar" aria-hidden="true" /> : null;
}

function Document({ language, children }: { language: Language; children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { language } = useLoaderData<typeof loader>();
  const t = translator(language);
  return (
    <Document language={language}>
      <PendingBar />
      <header className="top">
        <Link to="/" className="brand">
          Signet
        </Link>
        <Navigation />
      </header>
      <main className="main">
        <Outlet />
      </main>
      <footer className="foot">{t("footer.text")}</footer>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = translator("en");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? t("error.notFound") : status === 403 ? t("error.forbidden") : t("error.generic");
  return (
    <Document language="en">
      <header className="top">
        <Link to="/" className="brand">
          Signet
        </Link>
      </header>
      <main className="main">
        <title>{`${title} · Signet`}</title>
        <h1>{title}</h1>
        <p>{status === 404 ? t("error.notFoundHelp") : t("error.genericHelp")}</p>
        <p>
          <Link to="/">{t("error.home")}</Link>
        </p>
      </main>
    </Document>
  );
}
