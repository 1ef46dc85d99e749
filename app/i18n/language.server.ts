import { isLanguage, languageFromAcceptLanguage, type Language } from "~/i18n";

/** The user's setting, else a ?lang= / cookie choice, else Accept-Language. */
export function chooseLanguage(request: Request, user?: { language: Language | null } | null): Language {
  if (user?.language) return user.language;
  const cookie = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)lang=(en|pl)/.exec(cookie);
  if (match && isLanguage(match[1])) return match[1];
  return languageFromAcceptLanguage(request.headers.get("Accept-Language"));
}
