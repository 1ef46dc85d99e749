// The verification report as plain text, for the command line (the same words as the page).
import type { VerificationReport } from "./core";
import {
  afterText,
  algorithmText,
  changeText,
  coveringSignatures,
  earlierText,
  explanation,
  formatDate,
  formatDateTime,
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
  if (report.encryption)
    lines.push(`  ${t("file.encryption")}: ${t("file.encryption.value", { method: report.encryption })}`);
  for (const signature of report.signatures) {
    lines.push("");
    lines.push(
      `${signatureTitle(signature, t)}${signature.fieldName ? ` (${signature.fieldName})` : ""}${signature.referenced ? "" : ` ${t("signature.unreferenced")}`}`,
    );
    lines.push(`  ${t("signature.format")}: ${signature.subFilter ?? t("unknown")}`);
    lines.push(`  ${t("signature.subject")}: ${signature.signer?.subject ?? t("unknown")}`);
    lines.push(`  ${t("signature.issuer")}: ${signature.signer?.issuer ?? t("unknown")}`);
    lines.push(
      `  ${t(timeLabel(signature))}: ${signature.signingTime ? formatDateTime(signature.signingTime, language) : t("unknown")}`,
    );
    if (signature.digestAlgorithm) lines.push(`  ${t("signature.algorithm")}: ${algorithmText(signature, t)}`);
    if (signature.signer) lines.push(`  ${t("signature.key")}: ${signature.signer.publicKey}`);
    if (signature.signet) lines.push(`  ${t("signature.signet")}: ${yesNo(true, t)}`);
    if (signature.certification !== null)
      lines.push(`  ${t("signature.certification")}: ${t(`certification.${signature.certification}`)}`);
    if (signature.timestamp && signature.type === "signature")
      lines.push(
        `  ${t("signature.timestamp")}: ${t(signature.timestamp.valid ? "signature.timestamp.value" : "signature.timestamp.invalid", { time: signature.timestamp.genTime ? formatDateTime(signature.timestamp.genTime, language) : t("unknown"), tsa: signature.timestamp.tsa?.subject ?? t("unknown") })}`,
      );
    lines.push(
      `  ${t("signature.covered")}: ${t("signature.covered.value", { covered: signature.bytesCovered, total: report.file.size })}${signature.byteRange ? ` [${signature.byteRange.join(" ")}]` : ""}`,
    );
    lines.push(`  ${t("signature.whole")}: ${yesNo(signature.coversWholeFile, t)}`);
    lines.push(`  ${t("signature.digest")}: ${yesNo(signature.digestMatch, t)}`);
    lines.push(`  ${t("signature.value")}: ${yesNo(signature.signatureMatch, t)}`);
    lines.push(`  ${t("signature.trusted")}: ${yesNo(signature.certificateTrusted, t)}`);
    lines.push(`  ${t("signature.policy")}: ${policyText(signature, t)}`);
    lines.push(`  ${t("signature.after")}: ${afterText(signature, t)}`);
    for (const problem of signature.problems) lines.push(`  ! ${problemText(problem.code, problem.message, language)}`);
    for (const warning of signature.warnings) lines.push(`  ~ ${warningText(warning.code, warning.message, language)}`);
  }
  if (report.signatures.length > 0) {
    lines.push("");
    lines.push(`${t("section.changes")}:`);
    const after = report.afterLastSignature;
    const compared = report.revisions.filter((revision) => revision.compared);
    if (!after && compared.every((revision) => revision.changes.length === 0)) lines.push(`  ${t("changes.none")}`);
    else {
      if (after) lines.push(`  ${t(after.allowed ? "changes.validation" : "changes.bytes", { count: after.bytes })}`);
      for (const revision of compared) {
        lines.push(`  ${revisionTitle(revision, t)}`);
        const covering = coveringSignatures(report, revision.revision);
        lines.push(
          `    ${covering.length ? t("revision.signed", { list: covering.join(", ") }) : t("revision.unsigned")}`,
        );
        const touched = touchesText(revision, t);
        if (touched) lines.push(`    ${t("changes.touches", { list: touched })}`);
        if (revision.changes.length === 0) lines.push(`    ${t("changes.empty")}`);
        for (const change of revision.changes) lines.push(`    - ${changeText(change, t)}`);
        if (revision.moreChanges > 0) lines.push(`    ${t("changes.more", { count: revision.moreChanges })}`);
      }
      if (report.moreRevisions > 0) lines.push(`  ${t("changes.more", { count: report.moreRevisions })}`);
      if (after && after.unstructuredBytes > 0)
        lines.push(`  ${t("changes.unstructured", { count: after.unstructuredBytes })}`);
    }
  }
  lines.push("");
  lines.push(`${t("section.registry")}: ${t(report.registry.match ? "registry.match" : "registry.nomatch")}`);
  if (report.registry.match) {
    lines.push(`  ${t("registry.number")}: ${report.registry.documentNumber}`);
    if (report.registry.completedAt)
      lines.push(`  ${t("registry.completed")}: ${formatDate(report.registry.completedAt, language)}`);
    lines.push(`  ${t("registry.signatures")}: ${report.registry.signatureCount}`);
  } else if (report.registry.earlier) lines.push(`  ${earlierText(report, t, language)}`);
  const general = report.problems.filter((problem) => problem.signature === undefined);
  if (general.length > 0) {
    lines.push("");
    lines.push(`${t("section.problems")}:`);
    for (const problem of general) lines.push(`  ! ${problemText(problem.code, problem.message, language)}`);
  }
  return lines.join("\n") + "\n";
}
