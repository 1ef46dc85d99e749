// Server-rendered pages of the portal: plain HTML and a little CSS, no JavaScript,
// readable on a 360 px screen. The verdict is the first line of every result page.
import type { RegistryEntry, SignatureReport, VerificationReport } from "./core";
import {
  afterText,
  algorithmText,
  changeText,
  comparison,
  coveringSignatures,
  earlierText,
  explanation,
  formatDate,
  formatDateTime,
  formatNumber,
  headline,
  policyText,
  problemText,
  revisionTitle,
  signatureTitle,
  timeLabel,
  touchesText,
  translator,
  warningText,
  yesNo,
  type Language,
  type MessageKey,
  type Translate,
} from "./i18n";

export function escapeHtml(value: string | number): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f6f7f9}
main,nav{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem;padding:.75rem 1rem;border-radius:.5rem;border-left:.5rem solid #8a94a6;background:#fff}
h1.valid{border-color:#1a7f37;color:#0f5323}
h1.modified,h1.invalid{border-color:#c62828;color:#8e1b1b}
h1.unsigned,h1.unreadable{border-color:#b26a00;color:#6b4000}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
section,form{background:#fff;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
dl{display:grid;grid-template-columns:minmax(8rem,40%) 1fr;gap:.25rem .75rem;margin:.5rem 0}
dt{color:#4a5568}
dd{margin:0;overflow-wrap:anywhere}
.hash{font-family:ui-monospace,monospace;font-size:.85rem;overflow-wrap:anywhere}
.bad{color:#8e1b1b;font-weight:600}
.warn{color:#6b4000}
.good{color:#0f5323}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=file]{display:block;width:100%;padding:.5rem;border:1px solid #c5ccd6;border-radius:.375rem;background:#fff}
button{margin-top:.75rem;font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:.375rem;background:#1f4fd1;color:#fff;cursor:pointer}
ul{padding-left:1.25rem;margin:.25rem 0}
nav{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;font-size:.9rem;color:#4a5568;border-top:1px solid #dde2e8}
a{color:#1f4fd1}
@media (max-width:30rem){dl{grid-template-columns:1fr}dt{font-weight:600}h1{font-size:1.25rem}}
`;

interface Layout {
  language: Language;
  title: string;
  body: string;
  /** Same page in the other language (GET pages only). */
  switchHref: string;
}

function layout({ language, title, body, switchHref }: Layout): string {
  const t = translator(language);
  const other: Language = language === "en" ? "pl" : "en";
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} — ${escapeHtml(t("site.name"))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<nav aria-label="${escapeHtml(t("site.name"))}">
<a href="/?lang=${language}">${escapeHtml(t("nav.check"))}</a>
<a href="${escapeHtml(switchHref)}" hreflang="${other}" lang="${other}">${escapeHtml(t("nav.language"))}</a>
<span>${escapeHtml(t("footer"))}</span>
</nav>
</body>
</html>`;
}

function uploadForm(t: Translate, language: Language, publicId?: string): string {
  return `<form method="post" action="/verify" enctype="multipart/form-data">
<input type="hidden" name="lang" value="${language}">
${publicId ? `<input type="hidden" name="publicId" value="${escapeHtml(publicId)}">` : ""}
<label for="file">${escapeHtml(t("form.file"))}</label>
<input id="file" name="file" type="file" accept="application/pdf,.pdf" required>
<button type="submit">${escapeHtml(t("form.submit"))}</button>
</form>`;
}

function withLang(href: string, language: Language): string {
  return `${href}${href.includes("?") ? "&" : "?"}lang=${language}`;
}

export function formPage(language: Language): string {
  const t = translator(language);
  return layout({
    language,
    title: t("form.title"),
    switchHref: withLang("/", language === "en" ? "pl" : "en"),
    body: `<h1>${escapeHtml(t("form.title"))}</h1>
<p>${escapeHtml(t("form.intro"))}</p>
${uploadForm(t, language)}`,
  });
}

function registryFacts(entry: RegistryEntry, t: Translate, language: Language): string {
  return `<dl>
<dt>${escapeHtml(t("registry.number"))}</dt><dd>${escapeHtml(entry.documentNumber)}</dd>
<dt>${escapeHtml(t("registry.completed"))}</dt><dd>${escapeHtml(formatDate(entry.completedAt, language))}</dd>
<dt>${escapeHtml(t("registry.signatures"))}</dt><dd>${escapeHtml(entry.signatureCount)}</dd>
<dt>${escapeHtml(t("registry.sha256"))}</dt><dd class="hash">${escapeHtml(entry.sha256)}</dd>
<dt>${escapeHtml(t("registry.publicId"))}</dt><dd class="hash">${escapeHtml(entry.publicId)}</dd>
</dl>`;
}

/** GET /d/<public id>: what the registry holds, and the form to compare a copy. */
export function documentPage(entry: RegistryEntry, language: Language): string {
  const t = translator(language);
  return layout({
    language,
    title: entry.documentNumber,
    switchHref: withLang(`/d/${encodeURIComponent(entry.publicId)}`, language === "en" ? "pl" : "en"),
    body: `<h1>${escapeHtml(t("section.document"))}: ${escapeHtml(entry.documentNumber)}</h1>
<section>
${registryFacts(entry, t, language)}
<p>${escapeHtml(t("registry.note"))}</p>
</section>
<p>${escapeHtml(t("form.compare"))}</p>
${uploadForm(t, language, entry.publicId)}`,
  });
}

function flag(value: boolean, t: Translate): string {
  return `<span class="${value ? "good" : "bad"}">${escapeHtml(yesNo(value, t))}</span>`;
}

function signatureSection(
  signature: SignatureReport,
  report: VerificationReport,
  t: Translate,
  language: Language,
): string {
  // Only the last signature has to cover the whole file (or be followed by validation data only).
  const last = Math.max(
    ...report.signatures.map((entry) => (entry.byteRange ? entry.byteRange[2] + entry.byteRange[3] : -1)),
  );
  const isLast = signature.byteRange !== null && signature.byteRange[2] + signature.byteRange[3] === last;
  const wholeMatters = isLast && !report.afterLastSignature?.allowed;
  const rows: Array<[MessageKey, string]> = [
    [
      "signature.field",
      `${escapeHtml(signature.fieldName || "—")}${signature.referenced ? "" : ` ${escapeHtml(t("signature.unreferenced"))}`}`,
    ],
    ["signature.format", escapeHtml(signature.subFilter ?? t("unknown"))],
    ["signature.subject", escapeHtml(signature.signer?.subject ?? t("unknown"))],
    ["signature.issuer", escapeHtml(signature.signer?.issuer ?? t("unknown"))],
    [
      timeLabel(signature),
      escapeHtml(signature.signingTime ? formatDateTime(signature.signingTime, language) : t("unknown")),
    ],
  ];
  if (signature.fieldCount > 1)
    rows.push(["signature.fields", escapeHtml(formatNumber(signature.fieldCount, language))]);
  if (signature.digestAlgorithm) rows.push(["signature.algorithm", escapeHtml(algorithmText(signature, t))]);
  if (signature.signer) rows.push(["signature.key", escapeHtml(signature.signer.publicKey)]);
  if (signature.signet) rows.push(["signature.signet", escapeHtml(yesNo(true, t))]);
  if (signature.certification !== null)
    rows.push(["signature.certification", escapeHtml(t(`certification.${signature.certification}`))]);
  if (signature.timestamp && signature.type === "signature")
    rows.push([
      "signature.timestamp",
      escapeHtml(
        t(signature.timestamp.valid ? "signature.timestamp.value" : "signature.timestamp.invalid", {
          time: signature.timestamp.genTime ? formatDateTime(signature.timestamp.genTime, language) : t("unknown"),
          tsa: signature.timestamp.tsa?.subject ?? t("unknown"),
        }),
      ),
    ]);
  rows.push(
    [
      "signature.covered",
      escapeHtml(
        t("signature.covered.value", {
          covered: formatNumber(signature.bytesCovered, language),
          total: formatNumber(report.file.size, language),
        }),
      ),
    ],
    [
      "signature.whole",
      wholeMatters ? flag(signature.coversWholeFile, t) : escapeHtml(yesNo(signature.coversWholeFile, t)),
    ],
    ["signature.digest", flag(signature.digestMatch, t)],
    ["signature.value", flag(signature.signatureMatch, t)],
    ["signature.trusted", flag(signature.certificateTrusted, t)],
    ["signature.policy", escapeHtml(policyText(signature, t))],
    [
      "signature.after",
      `<span class="${signature.changesAfter.allowed ? "good" : "bad"}">${escapeHtml(afterText(signature, t))}</span>`,
    ],
  );
  if (signature.reason) rows.push(["signature.reason", escapeHtml(signature.reason)]);
  if (signature.chain.length > 1)
    rows.push(["signature.chain", signature.chain.map((entry) => escapeHtml(entry.subject)).join(" → ")]);
  const notes = [
    ...signature.problems.map(
      (problem) => `<li class="bad">${escapeHtml(problemText(problem.code, problem.message, language))}</li>`,
    ),
    ...signature.warnings.map(
      (warning) => `<li class="warn">${escapeHtml(warningText(warning.code, warning.message, language))}</li>`,
    ),
  ];
  return `<section>
<h3>${escapeHtml(signatureTitle(signature, t))}</h3>
<dl>${rows.map(([key, value]) => `<dt>${escapeHtml(t(key))}</dt><dd>${value}</dd>`).join("\n")}</dl>
${notes.length ? `<ul>${notes.join("")}</ul>` : ""}
</section>`;
}

function changesSection(report: VerificationReport, t: Translate, language: Language): string {
  const after = report.afterLastSignature;
  const compared = report.revisions.filter((revision) => revision.compared);
  if (!after && compared.every((revision) => revision.changes.length === 0))
    return `<p>${escapeHtml(t("changes.none"))}</p>`;
  const parts: string[] = [];
  if (after)
    parts.push(
      after.allowed
        ? `<p class="good">${escapeHtml(t("changes.validation", { count: formatNumber(after.bytes, language) }))}</p>`
        : `<p class="bad">${escapeHtml(t("changes.bytes", { count: formatNumber(after.bytes, language) }))}</p>`,
    );
  for (const revision of compared) {
    const items = revision.changes.map((change) => `<li>${escapeHtml(changeText(change, t))}</li>`);
    if (revision.moreChanges > 0)
      items.push(`<li>${escapeHtml(t("changes.more", { count: revision.moreChanges }))}</li>`);
    const touched = touchesText(revision, t);
    const covering = coveringSignatures(report, revision.revision);
    const signedBy = covering.length ? t("revision.signed", { list: covering.join(", ") }) : t("revision.unsigned");
    parts.push(`<section>
<h3>${escapeHtml(revisionTitle(revision, t))}</h3>
<p>${escapeHtml(signedBy)}</p>
${touched ? `<p>${escapeHtml(t("changes.touches", { list: touched }))}</p>` : ""}
${revision.pageCountBefore !== revision.pageCountAfter ? `<p>${escapeHtml(t("changes.pages", { before: revision.pageCountBefore ?? "?", after: revision.pageCountAfter ?? "?" }))}</p>` : ""}
${items.length ? `<ul>${items.join("")}</ul>` : `<p>${escapeHtml(t("changes.empty"))}</p>`}
</section>`);
  }
  if (report.moreRevisions > 0) parts.push(`<p>${escapeHtml(t("changes.more", { count: report.moreRevisions }))}</p>`);
  if (after && after.unstructuredBytes > 0)
    parts.push(
      `<p>${escapeHtml(t("changes.unstructured", { count: formatNumber(after.unstructuredBytes, language) }))}</p>`,
    );
  return parts.join("\n");
}

export interface ResultContext {
  fileName?: string;
  /** The document the upload was compared against (from /d/<id>). */
  expected?: RegistryEntry | null;
}

export function resultPage(report: VerificationReport, language: Language, context: ResultContext = {}): string {
  const t = translator(language);
  const title = headline(report, t, language);
  const compare = context.expected ? comparison(report, context.expected, t) : null;
  const registry = report.registry;
  const registryHtml = registry.match
    ? `<p class="good">${escapeHtml(t("registry.match"))}</p>
<dl>
<dt>${escapeHtml(t("registry.number"))}</dt><dd>${escapeHtml(registry.documentNumber ?? "")}</dd>
<dt>${escapeHtml(t("registry.completed"))}</dt><dd>${escapeHtml(registry.completedAt ? formatDate(registry.completedAt, language) : "")}</dd>
<dt>${escapeHtml(t("registry.signatures"))}</dt><dd>${escapeHtml(registry.signatureCount ?? "")}</dd>
</dl>
${registry.publicId ? `<p><a href="/d/${encodeURIComponent(registry.publicId)}?lang=${language}">${escapeHtml(t("section.document"))}</a></p>` : ""}`
    : `<p>${escapeHtml(t("registry.nomatch"))}</p>${
        registry.earlier
          ? `\n<p class="${report.verdict === "valid" ? "good" : "bad"}">${escapeHtml(earlierText(report, t, language) ?? "")}</p>`
          : ""
      }`;
  const problems = report.problems.filter((problem) => problem.signature === undefined);
  const warnings = report.warnings.filter((warning) => warning.signature === undefined);
  const body = `<h1 class="${report.verdict}">${escapeHtml(title)}</h1>
<p>${escapeHtml(explanation(report, t, language))}</p>
${compare ? `<p class="${compare.match ? "good" : "bad"}">${escapeHtml(compare.text)}</p>` : ""}
<section>
<h2>${escapeHtml(t("section.file"))}</h2>
<dl>
${context.fileName ? `<dt>${escapeHtml(t("file.name"))}</dt><dd>${escapeHtml(context.fileName)}</dd>` : ""}
<dt>${escapeHtml(t("file.size"))}</dt><dd>${escapeHtml(t("bytes", { count: formatNumber(report.file.size, language) }))}</dd>
<dt>${escapeHtml(t("file.sha256"))}</dt><dd class="hash">${escapeHtml(report.file.sha256)}</dd>
${report.pageCount !== null ? `<dt>${escapeHtml(t("file.pages"))}</dt><dd>${report.pageCount}</dd>` : ""}
${report.revisionCount ? `<dt>${escapeHtml(t("file.revisions"))}</dt><dd>${report.revisionCount}</dd>` : ""}
${report.encryption ? `<dt>${escapeHtml(t("file.encryption"))}</dt><dd>${escapeHtml(t("file.encryption.value", { method: report.encryption }))}</dd>` : ""}
</dl>
</section>
${report.signatures.length ? `<h2>${escapeHtml(t("section.signatures"))}</h2>\n${report.signatures.map((signature) => signatureSection(signature, report, t, language)).join("\n")}` : ""}
${report.signatures.length ? `<h2>${escapeHtml(t("section.changes"))}</h2>\n${changesSection(report, t, language)}` : ""}
<h2>${escapeHtml(t("section.registry"))}</h2>
<section>${registryHtml}</section>
${problems.length ? `<h2>${escapeHtml(t("section.problems"))}</h2>\n<ul>${problems.map((problem) => `<li>${escapeHtml(problemText(problem.code, problem.message, language))}</li>`).join("")}</ul>` : ""}
${warnings.length ? `<h2>${escapeHtml(t("section.warnings"))}</h2>\n<ul>${warnings.map((warning) => `<li class="warn">${escapeHtml(warningText(warning.code, warning.message, language))}</li>`).join("")}</ul>` : ""}
<h2>${escapeHtml(t("back"))}</h2>
${uploadForm(t, language, context.expected?.publicId)}`;
  return layout({ language, title, body, switchHref: withLang("/", language === "en" ? "pl" : "en") });
}

/** Error pages (400, 404, 413, 429, 503): a sentence and the way back. */
export function messagePage(language: Language, titleKey: MessageKey, messageKey: MessageKey, withForm = true): string {
  const t = translator(language);
  return layout({
    language,
    title: t(titleKey),
    switchHref: withLang("/", language === "en" ? "pl" : "en"),
    body: `<h1 class="unreadable">${escapeHtml(t(titleKey))}</h1>
<p>${escapeHtml(t(messageKey))}</p>
${withForm ? uploadForm(t, language) : `<p><a href="/?lang=${language}">${escapeHtml(t("nav.check"))}</a></p>`}`,
  });
}
