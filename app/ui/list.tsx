// Search box and pager for lists: plain GET forms and links.
import { Form, Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n";

export function SearchForm({ label }: { label: string }) {
  const t = useT();
  const [params] = useSearchParams();
  return (
    <Form method="get" className="search" role="search">
      <label htmlFor="search-q" className="visually-hidden">
        {label}
      </label>
      <input
        id="search-q"
        type="search"
        name="q"
        defaultValue={params.get("q") ?? ""}
        placeholder={label}
        maxLength={100}
      />
      <button type="submit" className="btn secondary">
        {t("common.search")}
      </button>
    </Form>
  );
}

export function Pager({ page, pages }: { page: number; pages: number }) {
  const t = useT();
  const [params] = useSearchParams();
  if (pages <= 1) return null;
  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next.toString()}`;
  };
  return (
    <nav className="pager" aria-label={t("common.pageOf", { page, pages })}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>{t("common.previous")}</Link> : null}
      <span>{t("common.pageOf", { page, pages })}</span>
      {page < pages ? <Link to={hrefFor(page + 1)}>{t("common.next")}</Link> : null}
    </nav>
  );
}
