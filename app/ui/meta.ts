import type { MetaFunction } from "@remix-run/node";
import { isLanguage, translator } from "~/i18n";

/** A page title from an i18n key, in the page's language. */
export function titleFrom(key: string): MetaFunction {
  return ({ matches }) => {
    const root = matches.find((m) => m.id === "root")?.data as { language?: string } | undefined;
    const t = translator(isLanguage(root?.language) ? root.language : "en");
    return [{ title: `${t(key)} · Signet` }];
  };
}
