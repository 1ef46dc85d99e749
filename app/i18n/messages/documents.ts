export const documents = {
  en: {
    // Uploaded PDF refused (app/pdf/inspect.server.ts)
    "error.pdf.empty": "The file is empty. Choose the PDF again and upload it.",
    "error.pdf.notPdf": "This file is not a PDF. Upload a PDF document (other formats, such as images or Word files, need to be saved as PDF first).",
    "error.pdf.tooLarge": "The PDF is too large. Upload a file of at most 25 MB.",
    "error.pdf.tooManyPages": "The PDF has too many pages. Upload a document of at most 200 pages.",
    "error.pdf.encrypted": "The PDF is password-protected or encrypted. Save a copy without a password and upload that.",
    "error.pdf.broken": "The PDF is damaged or incomplete and cannot be read. Save or export it again and upload the new file.",
    "error.pdf.tooComplex": "The PDF could not be checked in time: it is too complex. Save or print it to a new PDF and upload that.",
  } as Record<string, string>,
  pl: {
    // Odrzucony przesłany PDF (app/pdf/inspect.server.ts)
    "error.pdf.empty": "Plik jest pusty. Wybierz plik PDF ponownie i prześlij go.",
    "error.pdf.notPdf": "Ten plik nie jest plikiem PDF. Prześlij dokument PDF (inne formaty, np. obrazy lub pliki Word, najpierw zapisz jako PDF).",
    "error.pdf.tooLarge": "Plik PDF jest za duży. Prześlij plik o rozmiarze do 25 MB.",
    "error.pdf.tooManyPages": "Plik PDF ma za dużo stron. Prześlij dokument liczący najwyżej 200 stron.",
    "error.pdf.encrypted": "Plik PDF jest chroniony hasłem lub zaszyfrowany. Zapisz kopię bez hasła i prześlij ją.",
    "error.pdf.broken": "Plik PDF jest uszkodzony lub niekompletny i nie da się go odczytać. Zapisz lub wyeksportuj go ponownie i prześlij nowy plik.",
    "error.pdf.tooComplex": "Nie udało się sprawdzić pliku PDF w wyznaczonym czasie: jest zbyt złożony. Zapisz go lub wydrukuj do nowego pliku PDF i prześlij ten plik.",
  } as Record<string, string>,
};
