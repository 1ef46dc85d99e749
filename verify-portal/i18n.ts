// The portal's own small dictionary (it imports nothing from app/): English and Polish,
// and the sentences that turn a verification report into plain words for the page and
// the command line.
import type {
  ObjectChange,
  ProblemCode,
  RegistryEntry,
  RevisionChanges,
  SignatureReport,
  UnreadableReason,
  VerificationReport,
} from "./core";

export type Language = "en" | "pl";

/** Dates and times are shown in the company's zone (the product serves Polish firms). */
export const DISPLAY_TIME_ZONE = process.env.VERIFY_TIME_ZONE || "Europe/Warsaw";

const en = {
  "site.name": "Signet document verification",
  "nav.check": "Check a document",
  "nav.language": "Polski",
  "form.title": "Check a signed PDF",
  "form.intro":
    "Upload a PDF signed with Signet to learn whether it is intact: whether the seal is valid, whether anything was changed after signing, and whether it matches a document in the registry. The file is checked and discarded; nothing is stored.",
  "form.file": "PDF file (at most 25 MB)",
  "form.submit": "Check the document",
  "form.compare": "Upload your copy to compare it with this document.",
  "verdict.valid.registered": "Intact: this is the original signed document {number}, completed {date}",
  "verdict.valid": "Intact: the seal is valid and nothing was changed after signing",
  "verdict.modified": "Changed after signing",
  "verdict.invalid": "Signature not valid",
  "verdict.unsigned": "Not signed",
  "verdict.unreadable": "Not a readable PDF",
  "explain.valid.registered":
    "Every signature verifies, the last one covers the whole file, and the file is exactly the one in the registry.",
  "explain.valid":
    "Every signature verifies and the last one covers the whole file, but this exact file is not in this portal's registry (it may come from another Signet instance or another trusted signer).",
  "explain.modified":
    "The signatures are genuine, but bytes were added after the last signature. A PDF viewer may show content that was never signed.",
  "explain.invalid": "At least one signature does not verify, is malformed, or was not made by a trusted signer.",
  "explain.unsigned": "The file is a PDF but carries no digital signature.",
  "explain.unreadable": "The file could not be read as a PDF: {reason}.",
  "compare.match": "This file is document {number} from the registry.",
  "compare.mismatch": "This file is not the registered document {number}: its SHA-256 differs from the registered one.",
  "section.signatures": "Signatures",
  "section.changes": "After the last signature",
  "section.registry": "Registry",
  "section.problems": "Problems found",
  "section.file": "File",
  "section.document": "Registered document",
  "file.name": "Name",
  "file.size": "Size",
  "file.sha256": "SHA-256",
  "file.pages": "Pages",
  "file.revisions": "Revisions",
  bytes: "{count} bytes",
  "signature.title": "Signature {index}",
  "signature.field": "Form field",
  "signature.unreferenced": "(no longer part of the document's form)",
  "signature.format": "Format",
  "signature.subject": "Signer certificate",
  "signature.issuer": "Issued by",
  "signature.time": "Signing time (as claimed)",
  "signature.covered": "Bytes covered",
  "signature.covered.value": "{covered} of {total} bytes",
  "signature.whole": "Covers the whole file",
  "signature.digest": "Digest matches the signed bytes",
  "signature.value": "Signature matches the certificate",
  "signature.trusted": "Certificate trusted",
  "signature.reason": "Reason",
  "signature.chain": "Certificate chain",
  yes: "yes",
  no: "no",
  unknown: "unknown",
  "changes.none": "Nothing: the last signature covers the whole file.",
  "changes.bytes": "{count} bytes follow the signed part.",
  "changes.unstructured":
    "{count} bytes after the last end-of-file marker belong to no revision (a viewer that repairs files may still show them).",
  "changes.revision": "Revision {index} (cross-reference {kind} at byte {offset})",
  "xref.table": "table",
  "xref.stream": "stream",
  "changes.empty": "No object changed (an empty update).",
  "changes.more": "… and {count} more changes.",
  "changes.pages": "Pages: {before} → {after}",
  "changes.touches": "Changes: {list}",
  "touch.pages": "pages",
  "touch.pageContent": "page content",
  "touch.annotations": "annotations",
  "touch.formFields": "form fields",
  "touch.catalog": "document catalog",
  "touch.other": "other objects",
  "action.added": "added",
  "action.changed": "changed",
  "action.deleted": "removed",
  "change.line": "{kind} {action}{page} (object {object})",
  "change.page": " on page {page}",
  "change.shadow": "brings back content hidden in the signed part",
  "kind.catalog": "Document catalog",
  "kind.page-tree": "Page tree",
  "kind.page": "Page",
  "kind.page-content": "Page content",
  "kind.annotation": "Annotation",
  "kind.form-field": "Form field",
  "kind.form": "Form (AcroForm)",
  "kind.signature": "Signature",
  "kind.form-xobject": "Drawing (form XObject)",
  "kind.image": "Image",
  "kind.font": "Font",
  "kind.metadata": "Metadata",
  "kind.document-info": "Document information",
  "kind.cross-reference": "Cross-reference",
  "kind.object-stream": "Object stream",
  "kind.other": "Object",
  "registry.match": "This exact file is in the registry.",
  "registry.nomatch": "This exact file is not in the registry.",
  "registry.number": "Document number",
  "registry.completed": "Completed",
  "registry.signatures": "Number of signatures",
  "registry.sha256": "SHA-256 of the sealed file",
  "registry.publicId": "Public identifier",
  "registry.unknown.title": "Unknown document",
  "registry.unknown": "No document with this identifier is in the registry.",
  "registry.note": "The registry keeps only these facts; names, amounts and the file itself are never published here.",
  "error.title": "Cannot check this upload",
  "error.nofile": "Choose a PDF file to upload.",
  "error.toolarge":
    "The file is larger than 25 MB. Signed documents from Signet are much smaller; check that you chose the right file.",
  "error.ratelimited": "Too many checks from your address. Wait a minute and try again.",
  "error.busy": "The portal is busy. Try again in a moment.",
  "error.notfound": "Page not found",
  "error.badrequest": "The upload could not be read. Send the form again.",
  back: "Check another file",
  footer:
    "Verification follows PAdES (ETSI EN 319 142): the signature must cover the whole file and the signer must chain to a trusted certificate.",
} as const;

export type MessageKey = keyof typeof en;

const pl: Record<MessageKey, string> = {
  "site.name": "Signet — weryfikacja dokumentów",
  "nav.check": "Sprawdź dokument",
  "nav.language": "English",
  "form.title": "Sprawdź podpisany PDF",
  "form.intro":
    "Prześlij PDF podpisany w Signet, aby sprawdzić, czy jest nienaruszony: czy pieczęć jest ważna, czy po podpisaniu czegoś nie zmieniono i czy plik zgadza się z dokumentem w rejestrze. Plik jest sprawdzany i odrzucany; nic nie jest zapisywane.",
  "form.file": "Plik PDF (najwyżej 25 MB)",
  "form.submit": "Sprawdź dokument",
  "form.compare": "Prześlij swoją kopię, aby porównać ją z tym dokumentem.",
  "verdict.valid.registered": "Nienaruszony: to oryginalny podpisany dokument {number}, ukończony {date}",
  "verdict.valid": "Nienaruszony: pieczęć jest ważna i po podpisaniu nic nie zmieniono",
  "verdict.modified": "Zmieniony po podpisaniu",
  "verdict.invalid": "Podpis nieważny",
  "verdict.unsigned": "Niepodpisany",
  "verdict.unreadable": "To nie jest czytelny plik PDF",
  "explain.valid.registered":
    "Każdy podpis się weryfikuje, ostatni obejmuje cały plik, a plik jest dokładnie tym z rejestru.",
  "explain.valid":
    "Każdy podpis się weryfikuje, a ostatni obejmuje cały plik, ale tego pliku nie ma w rejestrze tego portalu (może pochodzić z innej instancji Signet lub od innego zaufanego podpisującego).",
  "explain.modified":
    "Podpisy są autentyczne, ale po ostatnim podpisie dopisano do pliku dane. Przeglądarka PDF może pokazać treść, która nigdy nie została podpisana.",
  "explain.invalid":
    "Co najmniej jeden podpis się nie weryfikuje, jest uszkodzony albo nie pochodzi od zaufanego podpisującego.",
  "explain.unsigned": "Plik jest dokumentem PDF, ale nie ma podpisu elektronicznego.",
  "explain.unreadable": "Nie udało się odczytać pliku jako PDF: {reason}.",
  "compare.match": "Ten plik to dokument {number} z rejestru.",
  "compare.mismatch":
    "Ten plik nie jest zarejestrowanym dokumentem {number}: jego skrót SHA-256 jest inny niż zarejestrowany.",
  "section.signatures": "Podpisy",
  "section.changes": "Po ostatnim podpisie",
  "section.registry": "Rejestr",
  "section.problems": "Wykryte problemy",
  "section.file": "Plik",
  "section.document": "Zarejestrowany dokument",
  "file.name": "Nazwa",
  "file.size": "Rozmiar",
  "file.sha256": "SHA-256",
  "file.pages": "Strony",
  "file.revisions": "Wersje (rewizje)",
  bytes: "{count} bajtów",
  "signature.title": "Podpis {index}",
  "signature.field": "Pole formularza",
  "signature.unreferenced": "(nie jest już częścią formularza dokumentu)",
  "signature.format": "Format",
  "signature.subject": "Certyfikat podpisującego",
  "signature.issuer": "Wystawca",
  "signature.time": "Czas podpisu (deklarowany)",
  "signature.covered": "Podpisane bajty",
  "signature.covered.value": "{covered} z {total} bajtów",
  "signature.whole": "Obejmuje cały plik",
  "signature.digest": "Skrót zgodny z podpisanymi bajtami",
  "signature.value": "Podpis zgodny z certyfikatem",
  "signature.trusted": "Certyfikat zaufany",
  "signature.reason": "Powód",
  "signature.chain": "Łańcuch certyfikatów",
  yes: "tak",
  no: "nie",
  unknown: "nieznany",
  "changes.none": "Nic: ostatni podpis obejmuje cały plik.",
  "changes.bytes": "Po podpisanej części następuje {count} bajtów.",
  "changes.unstructured":
    "{count} bajtów po ostatnim znaczniku końca pliku nie należy do żadnej wersji (przeglądarka naprawiająca pliki może je jednak pokazać).",
  "changes.revision": "Wersja {index} ({kind} odsyłaczy od bajtu {offset})",
  "xref.table": "tablica",
  "xref.stream": "strumień",
  "changes.empty": "Żaden obiekt się nie zmienił (pusta aktualizacja).",
  "changes.more": "… i {count} innych zmian.",
  "changes.pages": "Strony: {before} → {after}",
  "changes.touches": "Zmiany: {list}",
  "touch.pages": "strony",
  "touch.pageContent": "treść stron",
  "touch.annotations": "adnotacje",
  "touch.formFields": "pola formularza",
  "touch.catalog": "katalog dokumentu",
  "touch.other": "inne obiekty",
  "action.added": "dodano",
  "action.changed": "zmieniono",
  "action.deleted": "usunięto",
  "change.line": "{kind}: {action}{page} (obiekt {object})",
  "change.page": " na stronie {page}",
  "change.shadow": "przywraca treść ukrytą w podpisanej części",
  "kind.catalog": "Katalog dokumentu",
  "kind.page-tree": "Drzewo stron",
  "kind.page": "Strona",
  "kind.page-content": "Treść strony",
  "kind.annotation": "Adnotacja",
  "kind.form-field": "Pole formularza",
  "kind.form": "Formularz (AcroForm)",
  "kind.signature": "Podpis",
  "kind.form-xobject": "Rysunek (XObject)",
  "kind.image": "Obraz",
  "kind.font": "Czcionka",
  "kind.metadata": "Metadane",
  "kind.document-info": "Informacje o dokumencie",
  "kind.cross-reference": "Tablica odsyłaczy",
  "kind.object-stream": "Strumień obiektów",
  "kind.other": "Obiekt",
  "registry.match": "Dokładnie ten plik jest w rejestrze.",
  "registry.nomatch": "Tego pliku nie ma w rejestrze.",
  "registry.number": "Numer dokumentu",
  "registry.completed": "Ukończony",
  "registry.signatures": "Liczba podpisów",
  "registry.sha256": "SHA-256 zapieczętowanego pliku",
  "registry.publicId": "Identyfikator publiczny",
  "registry.unknown.title": "Nieznany dokument",
  "registry.unknown": "W rejestrze nie ma dokumentu o tym identyfikatorze.",
  "registry.note": "Rejestr przechowuje tylko te dane; nazwiska, kwoty i sam plik nigdy nie są tu publikowane.",
  "error.title": "Nie można sprawdzić tego pliku",
  "error.nofile": "Wybierz plik PDF do przesłania.",
  "error.toolarge":
    "Plik jest większy niż 25 MB. Dokumenty podpisane w Signet są znacznie mniejsze; sprawdź, czy wybrano właściwy plik.",
  "error.ratelimited": "Zbyt wiele sprawdzeń z Twojego adresu. Odczekaj minutę i spróbuj ponownie.",
  "error.busy": "Portal jest zajęty. Spróbuj ponownie za chwilę.",
  "error.notfound": "Nie znaleziono strony",
  "error.badrequest": "Nie udało się odczytać przesłanego pliku. Wyślij formularz ponownie.",
  back: "Sprawdź inny plik",
  footer:
    "Weryfikacja zgodna z PAdES (ETSI EN 319 142): podpis musi obejmować cały plik, a podpisujący musi mieć certyfikat wystawiony przez zaufany urząd.",
};

const problemsPl: Record<ProblemCode, string> = {
  unreadable: "pliku nie da się odczytać jako PDF",
  "cms-malformed": "wartość podpisu nie jest poprawnym podpisem CMS",
  "cms-embedded-content": "podpis CMS zawiera własną treść zamiast podpisywać bajty dokumentu",
  "cms-signer-count": "podpis CMS nie ma dokładnie jednego podpisującego",
  "cms-content-type": "podpis CMS ma niewłaściwy typ treści",
  "digest-algorithm": "podpis używa słabego lub nieznanego algorytmu skrótu",
  "signature-algorithm": "podpis używa nieobsługiwanego lub niespójnego algorytmu",
  "message-digest-missing": "podpis CMS nie zawiera skrótu wiadomości",
  "digest-mismatch": "podpisane bajty nie zgadzają się ze skrótem w podpisie (dokument zmieniono)",
  "signature-mismatch": "wartość podpisu nie weryfikuje się certyfikatem podpisującego",
  "signer-certificate-missing": "w podpisie brak certyfikatu podpisującego",
  "signing-certificate-missing": "podpis nie wskazuje certyfikatu podpisującego (signing-certificate-v2)",
  "signing-certificate-mismatch": "atrybut signing-certificate nie zgadza się z certyfikatem podpisującego",
  "certificate-not-trusted": "certyfikat niezaufany",
  "certificate-expired": "certyfikat w łańcuchu wygasł lub nie jest jeszcze ważny",
  "certificate-key-usage": "certyfikat podpisującego nie pozwala podpisywać dokumentów (key usage)",
  "signature-duplicate-keys": "słownik podpisu powtarza klucz",
  "signature-in-object-stream":
    "słownik podpisu jest w skompresowanym strumieniu obiektów, więc nie da się sprawdzić jego zakresu bajtów",
  "subfilter-unsupported": "nieobsługiwany format podpisu (SubFilter)",
  "byte-range-missing": "podpis nie ma /ByteRange",
  "byte-range-malformed": "/ByteRange to nie cztery nieujemne liczby całkowite",
  "byte-range-not-from-start": "podpisane bajty nie zaczynają się od początku pliku",
  "byte-range-outside-file": "/ByteRange wskazuje poza plik",
  "byte-range-not-revision-end": "podpisane bajty nie kończą się na końcu wersji pliku",
  "byte-range-gap-mismatch": "niepodpisana luka w /ByteRange to nie dokładnie wartość podpisu (coś w niej ukryto)",
  "signature-dictionary-not-covered": "część słownika podpisu leży poza podpisanymi bajtami",
  "contents-missing": "podpis nie ma szesnastkowego /Contents",
  "contents-empty": "wartość podpisu jest pusta",
  "modified-after-signing": "plik zmieniono po ostatnim podpisie",
  "broken-update": "aktualizacja dopisana do pliku ma nieczytelną tablicę odsyłaczy",
  "signature-not-referenced":
    "podpis obecny w pliku nie jest już częścią formularza dokumentu (usunięty lub ukryty przez późniejszą aktualizację)",
  "page-content-damaged": "treść strony jest uszkodzona",
};

const unreadablePl: Record<UnreadableReason, string> = {
  empty: "plik jest pusty (0 bajtów)",
  "too-large": "plik jest większy niż 25 MB",
  "not-pdf": "plik nie zaczyna się nagłówkiem PDF",
  truncated: "plik jest ucięty",
  "xref-broken": "tablica odsyłaczy (xref) jest uszkodzona",
  syntax: "składnia pliku jest uszkodzona",
  "nesting-too-deep": "tablice lub słowniki są zagnieżdżone zbyt głęboko",
  "too-many-objects": "plik ma zbyt wiele obiektów",
  "stream-too-large": "skompresowane dane rozpakowują się do zbyt dużego rozmiaru (bomba kompresyjna?)",
  "stream-length": "zadeklarowana długość strumienia przekracza rozmiar pliku",
  "unsupported-filter": "plik używa nieobsługiwanego kodowania strumienia",
  "time-limit": "odczyt pliku trwał zbyt długo",
  encrypted: "zaszyfrowane pliki PDF nie są obsługiwane",
  "no-catalog": "brak katalogu dokumentu lub drzewa stron",
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const dictionary: Record<MessageKey, string> = language === "pl" ? pl : en;
  return (key, params) => {
    let text = dictionary[key];
    for (const [name, value] of Object.entries(params ?? {})) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

export function isLanguage(value: unknown): value is Language {
  return value === "en" || value === "pl";
}

/** ?lang= wins, then the first supported Accept-Language by q-value, then English. */
export function chooseLanguage(query: string | null | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(query)) return query;
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((entry) => isLanguage(entry.tag))?.tag as Language | undefined) ?? "en";
}

const locale = (language: Language) => (language === "pl" ? "pl-PL" : "en-GB");

/** "28 November 2026" / "28 listopada 2026". */
export function formatDate(value: Date | string, language: Language): string {
  return new Intl.DateTimeFormat(locale(language), {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: DISPLAY_TIME_ZONE,
  }).format(new Date(value));
}

export function formatDateTime(value: Date | string, language: Language): string {
  const text = new Intl.DateTimeFormat(locale(language), {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: DISPLAY_TIME_ZONE,
  }).format(new Date(value));
  return `${text} (${DISPLAY_TIME_ZONE})`;
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(locale(language)).format(value);
}

export function problemText(code: ProblemCode, english: string, language: Language): string {
  // The English message may carry a detail after ": " (counts, offsets, parser words);
  // the Polish text gives the sentence only, the page shows the numbers elsewhere.
  return language === "en" ? english : problemsPl[code];
}

export function unreadableText(reason: UnreadableReason, english: string, language: Language): string {
  return language === "en" ? english : unreadablePl[reason];
}

/** The first line of the result: the verdict in plain words. */
export function headline(report: VerificationReport, t: Translate, language: Language): string {
  if (
    report.verdict === "valid" &&
    report.registry.match &&
    report.registry.documentNumber &&
    report.registry.completedAt
  ) {
    return t("verdict.valid.registered", {
      number: report.registry.documentNumber,
      date: formatDate(report.registry.completedAt, language),
    });
  }
  return t(`verdict.${report.verdict}`);
}

export function explanation(report: VerificationReport, t: Translate, language: Language): string {
  if (report.verdict === "unreadable" && report.unreadable) {
    return t("explain.unreadable", {
      reason: unreadableText(report.unreadable.reason, report.unreadable.message, language),
    });
  }
  if (report.verdict === "valid") return t(report.registry.match ? "explain.valid.registered" : "explain.valid");
  return t(`explain.${report.verdict}`);
}

/** When the upload came from a document's page: is it that document? */
export function comparison(
  report: VerificationReport,
  expected: RegistryEntry,
  t: Translate,
): { match: boolean; text: string } {
  const match = report.file.sha256 === expected.sha256.toLowerCase();
  return { match, text: t(match ? "compare.match" : "compare.mismatch", { number: expected.documentNumber }) };
}

export function changeText(change: ObjectChange, t: Translate): string {
  const line = t("change.line", {
    kind: t(`kind.${change.kind}`),
    action: t(`action.${change.action}`),
    page: change.page !== undefined ? t("change.page", { page: change.page }) : "",
    object: change.object,
  });
  return change.pointsIntoSignedBytes ? `${line}: ${t("change.shadow")}` : line;
}

export function revisionTitle(revision: RevisionChanges, t: Translate): string {
  return t("changes.revision", {
    index: revision.revision,
    kind: t(`xref.${revision.xrefKind}`),
    offset: revision.xrefOffset,
  });
}

export function touchesText(revision: RevisionChanges, t: Translate): string {
  const keys = (Object.keys(revision.touches) as Array<keyof RevisionChanges["touches"]>).filter(
    (key) => revision.touches[key],
  );
  return keys.map((key) => t(`touch.${key}`)).join(", ");
}

export function yesNo(value: boolean, t: Translate): string {
  return t(value ? "yes" : "no");
}

export function signatureTitle(signature: SignatureReport, t: Translate): string {
  return t("signature.title", { index: signature.index });
}
