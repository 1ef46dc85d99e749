// The verification report as plain text, for the command line (the same words as the page).
import type { VerificationReport } from "./core";
import {
  changeText,
  explanation,
  formatDate,
  formatDateTime,
  headline,
  problemText,
  revisionTitle,
  touchesText,
  translator,
  yesNo,
  type Language,
} from "./i18n";

export function textReport(report: VerificationReport, language: Language, fileName?: string): string {
  const t = translator(language);
  const lines: string[] = [];
  lines.push(headline(report, t, language));
  lines.push(`  ${explanation(report, t, language)}`);
  lines.push("");
  lines.push(`${t("section.file")}:${fileName ? ` ${fileName},` : ""} ${t("bytes", { count: report.file.size })}`);
  lines.push(`  ${t("file.sha256")}: ${report.file.sha256}`);
  if (report.pageCount !== null)
    lines.push(`  ${t("file.pages")}: ${report.pageCount}, ${t("file.revisions")}: ${report.revisionCount}`);
  for (const signature of report.signatures) {
    lines.push("");
    lines.push(
      `${t("signature.title", { index: signature.index })}${signature.fieldName ? ` (${signature.fieldName})` : ""}${signature.referenced ? "" : ` ${t("signature.unreferenced")}`}`,
    );
    lines.push(`  ${t("signature.format")}: ${signature.subFilter ?? t("unknown")}`);
    lines.push(`  ${t("signature.subject")}: ${signature.signer?.subject ?? t("unknown")}`);
    lines.push(`  ${t("signature.issuer")}: ${signature.signer?.issuer ?? t("unknown")}`);
    lines.push(
      `  ${t("signature.time")}: ${signature.signingTime ? formatDateTime(signature.signingTime, language) : t("unknown")}`,
    );
    lines.push(
      `  ${t("signature.covered")}: ${t("signature.covered.value", { covered: signature.bytesCovered, total: report.file.size })}${signature.byteRange ? ` [${signature.byteRange.join(" ")}]` : ""}`,
    );
    lines.push(`  ${t("signature.whole")}: ${yesNo(signature.coversWholeFile, t)}`);
    lines.push(`  ${t("signature.digest")}: ${yesNo(signature.digestMatch, t)}`);
    lines.push(`  ${t("signature.value")}: ${yesNo(signature.signatureMatch, t)}`);
    lines.push(`  ${t("signature.trusted")}: ${yesNo(signature.certificateTrusted, t)}`);
    for (const problem of signature.problems) lines.push(`  ! ${problemText(problem.code, problem.message, language)}`);
  }
  if (report.signatures.length > 0) {
    lines.push("");
    lines.push(`${t("section.changes")}:`);
    const after = report.afterLastSignature;
    if (!after) lines.push(`  ${t("changes.none")}`);
    else {
      lines.push(`  ${t("changes.bytes", { count: after.bytes })}`);
      for (const revision of after.revisions) {
        lines.push(`  ${revisionTitle(revision, t)}`);
        const touched = touchesText(revision, t);
        if (touched) lines.push(`    ${t("changes.touches", { list: touched })}`);
        if (revision.changes.length === 0) lines.push(`    ${t("changes.empty")}`);
        for (const change of revision.changes) lines.push(`    - ${changeText(change, t)}`);
        if (revision.moreChanges > 0) lines.push(`    ${t("changes.more", { count: revision.moreChanges })}`);
      }
      if (after.unstructuredBytes > 0) lines.push(`  ${t("changes.unstructured", { count: after.unstructuredBytes })}`);
    }
  }
  lines.push("");
  lines.push(`${t("section.registry")}: ${t(report.registry.match ? "registry.match" : "registry.nomatch")}`);
  if (report.registry.match) {
    lines.push(`  ${t("registry.number")}: ${report.registry.documentNumber}`);
    if (report.registry.completedAt)
      lines.push(`  ${t("registry.completed")}: ${formatDate(report.registry.completedAt, language)}`);
    lines.push(`  ${t("registry.signatures")}: ${report.registry.signatureCount}`);
  }
  const general = report.problems.filter((problem) => problem.signature === undefined);
  if (general.length > 0) {
    lines.push("");
    lines.push(`${t("section.problems")}:`);
    for (const problem of general) lines.push(`  ! ${problemText(problem.code, problem.message, language)}`);
  }
  return lines.join("\n") + "\n";
}
