// UI languages: English and Polish. Each product area keeps its own messages file in
// messages/; this module merges them and picks the language for a request.
import { useRouteLoaderData } from "@remix-run/react";
import { common } from "./messages/common";
import { accounts } from "./messages/accounts";
import { crm } from "./messages/crm";
import { documents } from "./messages/documents";
import { signing } from "./messages/signing";
import { board } from "./messages/board";
import { seal } from "./messages/seal";
import { trust } from "./messages/trust";

export const languages = ["en", "pl"] as const;
export type Language = (typeof languages)[number];

type Messages = Record<string, string>;
type AreaMessages = { en: Messages; pl: Messages };

const areas: AreaMessages[] = [common, accounts, crm, documents, signing, board, seal, trust];
const dictionaries: Record<Language, Messages> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  pl: Object.assign({}, ...areas.map((a) => a.pl)),
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    let text = dictionary[key] ?? dictionaries.en[key] ?? key;
    if (params) {
      for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
    }
    return text;
  };
}

export function isLanguage(value: unknown): value is Language {
  return value === "en" || value === "pl";
}

/** First supported language in an Accept-Language header, honouring q-values. */
export function languageFromAcceptLanguage(header: string | null): Language {
  if (!header) return "en";
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return (ranked.find((r) => isLanguage(r.tag))?.tag as Language | undefined) ?? "en";
}

/** The language of the current page, as chosen by the root loader. */
export function useLanguage(): Language {
  const data = useRouteLoaderData("root") as { language?: Language } | undefined;
  return data?.language ?? "en";
}

export function useT(): Translate {
  return translator(useLanguage());
}
