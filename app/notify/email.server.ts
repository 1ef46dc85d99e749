// Builds the plain-text and HTML parts of every e-mail from one description.
export interface EmailContent {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}

export function escapeHtml(value: string) {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function composeEmail(content: EmailContent): { subject: string; text: string; html: string } {
  const textParts = [...content.paragraphs];
  if (content.action) textParts.push(`${content.action.label}: ${content.action.url}`);
  if (content.footer) textParts.push("--", content.footer);
  const htmlParts = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  if (content.action) {
    const url = escapeHtml(content.action.url);
    htmlParts.push(
      `<p><a href="${url}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(content.action.label)}</a></p>`,
      `<p style="font-size:12px;color:#555">${url}</p>`,
    );
  }
  if (content.footer) htmlParts.push(`<hr><p style="font-size:12px;color:#555">${escapeHtml(content.footer)}</p>`);
  return {
    subject: content.subject,
    text: textParts.join("\n\n") + "\n",
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${htmlParts.join("\n")}</body></html>`,
  };
}
