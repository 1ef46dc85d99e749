export const seal = {
  en: {
    "admin.seal.title": "Seal",
    "admin.seal.longTerm":
      "Sealed PDFs are PAdES B-LTA: time-stamped by {url}, with the data to check them long after the certificates expire.",
    "admin.seal.basic":
      "TSA_URL is not set: sealed PDFs are PAdES B-B only, with no trusted time and no long-term validation data. Set TSA_URL to an RFC 3161 time-stamping authority.",
    "admin.seal.failing":
      "The time-stamping authority did not give a usable time-stamp at {time}: {message}. Documents wait for it and are sealed as soon as it answers.",
    "admin.seal.waiting": "Documents waiting to be sealed: {count}.",
    "admin.seal.crl": "Certificate revocation list of the instance CA",
  },
  pl: {
    "admin.seal.title": "Pieczęć",
    "admin.seal.longTerm":
      "Zapieczętowane pliki PDF mają format PAdES B-LTA: znacznik czasu z {url} i dane pozwalające je sprawdzić długo po wygaśnięciu certyfikatów.",
    "admin.seal.basic":
      "TSA_URL nie jest ustawiony: zapieczętowane pliki PDF mają tylko format PAdES B-B, bez zaufanego czasu i bez danych do długoterminowej weryfikacji. Ustaw TSA_URL na usługę znakowania czasem RFC 3161.",
    "admin.seal.failing":
      "Usługa znakowania czasem nie wydała poprawnego znacznika o {time}: {message}. Dokumenty czekają i zostaną zapieczętowane, gdy tylko odpowie.",
    "admin.seal.waiting": "Dokumenty oczekujące na zapieczętowanie: {count}.",
    "admin.seal.crl": "Lista unieważnionych certyfikatów CA instancji",
  },
};
