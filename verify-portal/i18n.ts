// The portal's own small dictionary (it imports nothing from app/): English and Polish,
// and the sentences that turn a verification report into plain words for the page and
// the command line.
import type {
  ChangeCategory,
  DisallowedChange,
  ObjectChange,
  ProblemCode,
  RegistryEntry,
  RevisionReport,
  SignatureReport,
  UnreadableReason,
  VerificationReport,
  WarningCode,
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
  "verdict.valid.extended":
    "Intact: this is the signed document {number}, completed {date}, with validation data added since",
  "verdict.modified": "Changed after signing",
  "verdict.invalid": "Signature not valid",
  "verdict.unsigned": "Not signed",
  "verdict.unreadable": "Not a readable PDF",
  "verdict.modified.resigned.signet": "Changed after Signet's seal, then signed again by {signer}",
  "verdict.modified.resigned": "Changed after signature {index} ({signer}), then signed again by {later}",
  "explain.modified.between":
    "Signature {index} is genuine, but a later revision changed the document in a way it does not allow ({what}). The later signature covers the changed file, not the original one.",
  "explain.valid.validation":
    "Validation data (a DSS) was added after the last signature; it changes nothing a viewer shows.",
  "explain.warnings": "See the warnings below.",
  "explain.valid.extended":
    "Every signature verifies, and the file is the registered document with only long-term validation data (a DSS, document time-stamps) added after it was sealed.",
  "file.encryption": "Encryption",
  "file.encryption.value": "{method}, opened without a password",
  "section.warnings": "Warnings",
  "signature.title.document-timestamp": "Document time-stamp {index}",
  "signature.fields": "Form fields showing it",
  "signature.algorithm": "Algorithm",
  "signature.algorithm.value": "{signature}, digest {digest}",
  "signature.key": "Signer's key",
  "signature.signet": "Made by Signet",
  "signature.certification": "Certification (DocMDP)",
  "certification.1": "no changes allowed",
  "certification.2": "form filling and signing allowed",
  "certification.3": "form filling, signing and annotations allowed",
  "signature.policy": "Changes it allows after it",
  "policy.signet-seal": "only long-term validation data (a DSS, document time-stamps)",
  "policy.approval": "only further signatures, validation data and metadata",
  "policy.certified.1": "only long-term validation data (a DSS, document time-stamps)",
  "policy.certified.2": "filling form fields, signatures, validation data and metadata",
  "policy.certified.3": "filling form fields, annotations, signatures, validation data and metadata",
  "policy.locked": "; these fields stay locked: {fields}",
  "policy.locked.all": "; all form fields stay locked",
  "signature.after": "After this signature",
  "after.nothing": "nothing was changed",
  "after.allowed": "only changes it allows (revision {revisions})",
  "after.disallowed": "changes it does not allow: {list}",
  "after.item": "{category} in revision {revision}",
  "signature.timestamp": "Time-stamp",
  "signature.timestamp.value": "{time}, by {tsa}",
  "signature.timestamp.invalid": "{time}: does not verify",
  "section.revisions": "Revisions after the first signature",
  "revision.signed": "Covered by signature {list}.",
  "revision.unsigned": "Not covered by any signature (added after the last one).",
  "signature.time.timestamp": "Time-stamped at (by the time-stamping authority)",
  "revision.first": "The signed document (revision {index}).",
  "changes.validation":
    "{count} bytes of long-term validation data follow the last signature: allowed, they change nothing a viewer shows.",
  "registry.earlier":
    "This file begins with the registered document {number} (its first {bytes} bytes), and was changed after it was sealed.",
  "registry.earlier.extended":
    "This file begins with the registered document {number} (its first {bytes} bytes); only long-term validation data was added after it.",
  "category.unused": "unused objects",
  "category.structure": "file structure",
  "category.validation-data": "validation data (DSS)",
  "category.document-timestamp": "a document time-stamp",
  "category.signature": "a signature",
  "category.metadata": "document information",
  "category.form-fill": "form field values",
  "category.annotation": "annotations",
  "category.content": "content a viewer shows",
  "category.history": "the document's revision history",
  "explain.valid.registered":
    "Every signature verifies, the last one covers the whole file, and the file is exactly the one in the registry.",
  "explain.valid":
    "Every signature verifies and nothing was changed after signing that a signature does not allow, but this exact file is not in this portal's registry (it may come from another Signet instance or another trusted signer).",
  "explain.modified":
    "The signatures are genuine, but bytes were added after the last signature. A PDF viewer may show content that was never signed.",
  "explain.invalid": "At least one signature does not verify, is malformed, or was not made by a trusted signer.",
  "explain.unsigned": "The file is a PDF but carries no digital signature.",
  "explain.unreadable": "The file could not be read as a PDF: {reason}.",
  "compare.match": "This file is document {number} from the registry.",
  "compare.mismatch": "This file is not the registered document {number}: its SHA-256 differs from the registered one.",
  "section.signatures": "Signatures",
  "section.changes": "Changes after signing",
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
  "changes.none": "Nothing: the signatures cover the whole file and nothing changed between them.",
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
  "error.slow": "The upload arrived too slowly and was stopped. Try again on a better connection.",
  "error.notfound": "Page not found",
  "error.badrequest": "The upload could not be read. Send the form again.",
  back: "Check another file",
  footer:
    "Verification follows PAdES (ETSI EN 319 142) and ISO 32000-2: every signature must verify and chain to a trusted certificate, and nothing may change after a signature that it does not allow.",
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
  "verdict.valid.extended":
    "Nienaruszony: to podpisany dokument {number}, ukończony {date}, z później dodanymi danymi do weryfikacji",
  "verdict.modified": "Zmieniony po podpisaniu",
  "verdict.invalid": "Podpis nieważny",
  "verdict.unsigned": "Niepodpisany",
  "verdict.unreadable": "To nie jest czytelny plik PDF",
  "verdict.modified.resigned.signet": "Zmieniony po pieczęci Signet, a potem ponownie podpisany przez {signer}",
  "verdict.modified.resigned": "Zmieniony po podpisie {index} ({signer}), a potem ponownie podpisany przez {later}",
  "explain.modified.between":
    "Podpis {index} jest autentyczny, ale późniejsza wersja zmieniła dokument w sposób, na który ten podpis nie pozwala ({what}). Późniejszy podpis obejmuje zmieniony plik, a nie oryginał.",
  "explain.valid.validation":
    "Po ostatnim podpisie dodano dane do weryfikacji (DSS); nie zmieniają niczego, co pokazuje przeglądarka.",
  "explain.warnings": "Zobacz ostrzeżenia poniżej.",
  "explain.valid.extended":
    "Każdy podpis się weryfikuje, a plik to zarejestrowany dokument, do którego po zapieczętowaniu dodano tylko dane do długoterminowej weryfikacji (DSS, znaczniki czasu dokumentu).",
  "file.encryption": "Szyfrowanie",
  "file.encryption.value": "{method}, otwarty bez hasła",
  "section.warnings": "Ostrzeżenia",
  "signature.title.document-timestamp": "Znacznik czasu dokumentu {index}",
  "signature.fields": "Pola formularza, które go pokazują",
  "signature.algorithm": "Algorytm",
  "signature.algorithm.value": "{signature}, skrót {digest}",
  "signature.key": "Klucz podpisującego",
  "signature.signet": "Wykonany przez Signet",
  "signature.certification": "Certyfikacja (DocMDP)",
  "certification.1": "żadne zmiany niedozwolone",
  "certification.2": "dozwolone wypełnianie formularza i podpisywanie",
  "certification.3": "dozwolone wypełnianie formularza, podpisywanie i adnotacje",
  "signature.policy": "Dozwolone zmiany po podpisie",
  "policy.signet-seal": "tylko dane do długoterminowej weryfikacji (DSS, znaczniki czasu dokumentu)",
  "policy.approval": "tylko kolejne podpisy, dane do weryfikacji i metadane",
  "policy.certified.1": "tylko dane do długoterminowej weryfikacji (DSS, znaczniki czasu dokumentu)",
  "policy.certified.2": "wypełnianie pól formularza, podpisy, dane do weryfikacji i metadane",
  "policy.certified.3": "wypełnianie pól formularza, adnotacje, podpisy, dane do weryfikacji i metadane",
  "policy.locked": "; te pola pozostają zablokowane: {fields}",
  "policy.locked.all": "; wszystkie pola formularza pozostają zablokowane",
  "signature.after": "Po tym podpisie",
  "after.nothing": "nic nie zmieniono",
  "after.allowed": "tylko zmiany, na które pozwala (wersja {revisions})",
  "after.disallowed": "zmiany, na które nie pozwala: {list}",
  "after.item": "{category} w wersji {revision}",
  "signature.timestamp": "Znacznik czasu",
  "signature.timestamp.value": "{time}, wystawca {tsa}",
  "signature.timestamp.invalid": "{time}: nie weryfikuje się",
  "section.revisions": "Wersje po pierwszym podpisie",
  "revision.signed": "Objęta podpisem {list}.",
  "revision.unsigned": "Nieobjęta żadnym podpisem (dodana po ostatnim).",
  "signature.time.timestamp": "Czas znacznika (według urzędu znacznika czasu)",
  "revision.first": "Podpisany dokument (wersja {index}).",
  "changes.validation":
    "Po ostatnim podpisie następuje {count} bajtów danych do długoterminowej weryfikacji: to dozwolone, nie zmieniają niczego, co pokazuje przeglądarka.",
  "registry.earlier":
    "Ten plik zaczyna się zarejestrowanym dokumentem {number} (jego pierwsze {bytes} bajtów) i został zmieniony po zapieczętowaniu.",
  "registry.earlier.extended":
    "Ten plik zaczyna się zarejestrowanym dokumentem {number} (jego pierwsze {bytes} bajtów); później dodano tylko dane do długoterminowej weryfikacji.",
  "category.unused": "nieużywane obiekty",
  "category.structure": "struktura pliku",
  "category.validation-data": "dane do weryfikacji (DSS)",
  "category.document-timestamp": "znacznik czasu dokumentu",
  "category.signature": "podpis",
  "category.metadata": "informacje o dokumencie",
  "category.form-fill": "wartości pól formularza",
  "category.annotation": "adnotacje",
  "category.content": "treść widoczna w przeglądarce",
  "category.history": "historia wersji dokumentu",
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
  "section.changes": "Zmiany po podpisaniu",
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
  "changes.none": "Nic: podpisy obejmują cały plik i nic nie zmieniono między nimi.",
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
  "error.slow": "Plik przesyłał się zbyt wolno i przesyłanie przerwano. Spróbuj ponownie przy lepszym połączeniu.",
  "error.notfound": "Nie znaleziono strony",
  "error.badrequest": "Nie udało się odczytać przesłanego pliku. Wyślij formularz ponownie.",
  back: "Sprawdź inny plik",
  footer:
    "Weryfikacja zgodna z PAdES (ETSI EN 319 142) i ISO 32000-2: każdy podpis musi się weryfikować i pochodzić od zaufanego urzędu, a po podpisie nie wolno zmienić niczego, na co ten podpis nie pozwala.",
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
  "signing-certificate-missing": "podpis nie wskazuje certyfikatu podpisującego (atrybut signing-certificate)",
  "signing-certificate-mismatch": "atrybut signing-certificate nie zgadza się z certyfikatem podpisującego",
  "certificate-not-trusted": "certyfikat niezaufany",
  "certificate-expired": "certyfikat w łańcuchu wygasł lub nie jest jeszcze ważny",
  "certificate-key-usage": "certyfikat podpisującego nie pozwala podpisywać dokumentów (key usage)",
  "timestamp-malformed": "znacznik czasu nie jest poprawnym tokenem RFC 3161",
  "timestamp-imprint-mismatch": "znacznik czasu wystawiono dla innych danych niż podpisane bajty",
  "timestamp-certificate-usage": "certyfikat urzędu znacznika czasu nie pozwala wystawiać znaczników czasu",
  "signature-unreadable": "słownika podpisu nie da się odczytać",
  "too-many-signatures": "plik ma więcej podpisów, niż sprawdza ten portal",
  "changed-after-signature": "dokument zmieniono po tym podpisie w sposób, na który podpis nie pozwala",
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
  encrypted: "plik jest zaszyfrowany w sposób, którego ten portal nie obsługuje",
  "password-required":
    "plik jest zaszyfrowany hasłem: otwórz go z hasłem i zapisz kopię bez szyfrowania, aby go sprawdzić",
  "no-catalog": "brak katalogu dokumentu lub drzewa stron",
  "memory-limit": "sprawdzenie pliku wymagało więcej pamięci, niż jest dozwolone",
  "internal-error": "weryfikator nie zdołał dokończyć sprawdzania tego pliku (błąd wewnętrzny)",
};

const warningsPl: Record<WarningCode, string> = {
  "weak-digest-sha1": "podpis używa SHA-1, który nie jest już bezpieczny; przyjęto go, bo złożono go przed 2017 rokiem",
  "signing-certificate-absent":
    "podpis nie wskazuje certyfikatu podpisującego (brak atrybutu signing-certificate-v2, którego wymaga PAdES)",
  "signature-algorithm-mismatch": "algorytm podpisu wskazuje inny skrót niż algorytm skrótu",
  "signature-timestamp-invalid": "znacznik czasu podpisu się nie weryfikuje, więc nie dowodzi czasu",
  "timestamp-usage-not-critical":
    "rozszerzone użycie klucza certyfikatu urzędu znacznika czasu nie jest oznaczone jako krytyczne",
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

export function warningText(code: WarningCode, english: string, language: Language): string {
  return language === "en" ? english : warningsPl[code];
}

/** The signer's common name, or the whole subject, for headlines. */
function signerName(signature: SignatureReport | undefined, t: Translate): string {
  const subject = signature?.signer?.subject;
  if (!subject) return t("unknown");
  return /(?:^|, )CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

/**
 * The first signature after which something it does not allow changed, and the signatures
 * made after that (which signed the changed file).
 */
export function changedAfter(
  report: VerificationReport,
): { signature: SignatureReport; later: SignatureReport[] } | null {
  const ordered = report.signatures
    .filter((signature) => signature.revision !== null)
    .sort((a, b) => a.revision! - b.revision!);
  const first = ordered.find((signature) => !signature.changesAfter.allowed);
  if (!first) return null;
  const later = ordered.filter((signature) => signature.revision! > first.revision! && signature.type === "signature");
  return { signature: first, later };
}

export function categoryText(category: ChangeCategory, t: Translate): string {
  return t(`category.${category}`);
}

export function disallowedText(items: DisallowedChange[], t: Translate): string {
  return items
    .map((item) =>
      t("after.item", {
        category: `${categoryText(item.category, t)}${item.fields?.length ? ` (${item.fields.join(", ")})` : ""}`,
        revision: item.revision,
      }),
    )
    .join(", ");
}

/** The signatures whose signed bytes include a revision (every one made in it or after it). */
export function coveringSignatures(report: VerificationReport, revision: number): number[] {
  return report.signatures
    .filter((signature) => signature.revision !== null && signature.revision >= revision)
    .map((signature) => signature.index);
}

/** What the registry says of a file that begins with a registered one. */
export function earlierText(report: VerificationReport, t: Translate, language: Language): string | null {
  const earlier = report.registry.earlier;
  if (!earlier) return null;
  return t(report.verdict === "valid" ? "registry.earlier.extended" : "registry.earlier", {
    number: earlier.documentNumber,
    bytes: formatNumber(earlier.bytes, language),
  });
}

/** The label of a signature's time: claimed by the signer, or proven by a time-stamping authority. */
export function timeLabel(signature: SignatureReport): MessageKey {
  return signature.type === "document-timestamp" ? "signature.time.timestamp" : "signature.time";
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
  if (report.verdict === "valid" && report.registry.earlier) {
    return t("verdict.valid.extended", {
      number: report.registry.earlier.documentNumber,
      date: formatDate(report.registry.earlier.completedAt, language),
    });
  }
  if (report.verdict === "modified") {
    const changed = changedAfter(report);
    if (changed && changed.later.length > 0) {
      const later = changed.later.map((signature) => signerName(signature, t)).join(", ");
      return changed.signature.signet
        ? t("verdict.modified.resigned.signet", { signer: later })
        : t("verdict.modified.resigned", {
            index: changed.signature.index,
            signer: signerName(changed.signature, t),
            later,
          });
    }
  }
  return t(`verdict.${report.verdict}`);
}

export function explanation(report: VerificationReport, t: Translate, language: Language): string {
  if (report.verdict === "unreadable" && report.unreadable) {
    return t("explain.unreadable", {
      reason: unreadableText(report.unreadable.reason, report.unreadable.message, language),
    });
  }
  const warned = report.warnings.length > 0 ? ` ${t("explain.warnings")}` : "";
  if (report.verdict === "valid") {
    if (report.registry.earlier) return `${t("explain.valid.extended")}${warned}`;
    const validation = report.afterLastSignature?.allowed ? ` ${t("explain.valid.validation")}` : "";
    return `${t(report.registry.match ? "explain.valid.registered" : "explain.valid")}${validation}${warned}`;
  }
  if (report.verdict === "modified") {
    const changed = changedAfter(report);
    if (changed && changed.later.length > 0)
      return t("explain.modified.between", {
        index: changed.signature.index,
        what: disallowedText(changed.signature.changesAfter.disallowed, t),
      });
  }
  return `${t(`explain.${report.verdict}`)}${warned}`;
}

const ALGORITHM_NAMES: Record<string, string> = {
  "rsa-pkcs1": "RSA PKCS #1 v1.5",
  "rsa-pss": "RSASSA-PSS",
  ecdsa: "ECDSA",
  dsa: "DSA",
  ed25519: "Ed25519",
  ed448: "Ed448",
};

/** "RSASSA-PSS, digest sha256"; a document time-stamp: "RFC 3161, digest sha256". */
export function algorithmText(signature: SignatureReport, t: Translate): string {
  const name = signature.signatureAlgorithm
    ? (ALGORITHM_NAMES[signature.signatureAlgorithm] ?? signature.signatureAlgorithm)
    : signature.type === "document-timestamp"
      ? "RFC 3161"
      : t("unknown");
  return t("signature.algorithm.value", { signature: name, digest: signature.digestAlgorithm ?? t("unknown") });
}

/** What a signature allows after it, in words. */
export function policyText(signature: SignatureReport, t: Translate): string {
  const permissions = signature.permissions;
  const base =
    permissions.policy === "certified" && permissions.docMdp !== null
      ? t(`policy.certified.${permissions.docMdp}`)
      : t(permissions.policy === "signet-seal" ? "policy.signet-seal" : "policy.approval");
  const locked = permissions.lockedFields;
  if (!locked) return base;
  if (locked.action === "All") return base + t("policy.locked.all");
  return (
    base +
    t("policy.locked", {
      fields: locked.action === "Include" ? locked.fields.join(", ") : `≠ ${locked.fields.join(", ")}`,
    })
  );
}

/** What happened after a signature, in words. */
export function afterText(signature: SignatureReport, t: Translate): string {
  const after = signature.changesAfter;
  if (after.revisions.length === 0) return t("after.nothing");
  if (after.allowed) return t("after.allowed", { revisions: after.revisions.join(", ") });
  return t("after.disallowed", { list: disallowedText(after.disallowed, t) });
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
  const shown = change.pointsIntoSignedBytes ? `${line}: ${t("change.shadow")}` : line;
  return `${shown} — ${categoryText(change.category, t)}${change.field ? ` (${change.field})` : ""}`;
}

export function revisionTitle(revision: RevisionReport, t: Translate): string {
  return t("changes.revision", {
    index: revision.revision,
    kind: t(`xref.${revision.xrefKind}`),
    offset: revision.xrefOffset,
  });
}

export function touchesText(revision: RevisionReport, t: Translate): string {
  const keys = (Object.keys(revision.touches) as Array<keyof RevisionReport["touches"]>).filter(
    (key) => revision.touches[key],
  );
  return keys.map((key) => t(`touch.${key}`)).join(", ");
}

export function yesNo(value: boolean, t: Translate): string {
  return t(value ? "yes" : "no");
}

export function signatureTitle(signature: SignatureReport, t: Translate): string {
  return t(signature.type === "document-timestamp" ? "signature.title.document-timestamp" : "signature.title", {
    index: signature.index,
  });
}
