import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import { checkDocumentChain, listDocumentAudit } from "~/audit/audit.server";
import { markChainBroken } from "~/audit/chains.server";
import { requireStaff } from "~/auth/session.server";
import { config } from "~/config.server";
import {
  documentBoxes,
  documentParties,
  findDocument,
  ownerNameOf,
  pageSizesOf,
  regenerateFromDeal,
} from "~/documents/documents.server";
import { formatMoney } from "~/documents/money";
import { PagePreview } from "~/documents/page-preview";
import { invalid, notFound, readIntent } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useLanguage, useT } from "~/i18n";
import { SigningActions } from "~/signing/document-actions";
import { FormError, Notice, SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("documents.document");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  const db = getDb();
  const audit = listDocumentAudit(db, document.id);
  const chain = checkDocumentChain(db, document.id);
  // a trail found changed is marked (the document is then not sealed) and shown to admins
  if (!chain.ok && !document.auditBrokenAt)
    db.transaction((tx) =>
      markChainBroken(tx, { kind: "document", id: document.id }, document.companyId, chain.problem, chain.position),
    );
  return json({
    document,
    ownerName: ownerNameOf(document),
    pageSizes: pageSizesOf(document),
    parties: documentParties(document.id).map((p) => ({
      id: p.id,
      role: p.role,
      name: p.name,
      email: p.email,
      phone: p.phone,
      companyName: p.companyName,
      taxId: p.taxId,
      status: p.status,
      signedAt: p.signedAt,
      declineReason: p.declineReason,
      linkLockedAt: p.linkLockedAt,
    })),
    boxes: documentBoxes(document.id),
    audit: audit.map((e) => ({
      id: e.id,
      at: e.at,
      actorLabel: e.actorLabel,
      actorType: e.actorType,
      action: e.action,
      ip: e.ip,
      userAgent: e.userAgent,
    })),
    chainHead: chain.ok ? chain.head : null,
    chainProblem: chain.ok
      ? null
      : { key: `audit.problem.${chain.problem}`, position: "position" in chain ? (chain.position ?? 0) : 0 },
    isAdmin: user.role === "admin",
    portalUrl: `${config.verifyPublicUrl}/d/${document.publicId}`,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  readIntent(await request.formData(), ["regenerate"] as const);
  if (!(await regenerateFromDeal(user, document, metaOf(request, context))))
    return invalid({ _form: "documents.error.notDraft" });
  throw redirect(`/documents/${document.id}?done=regenerate`);
}

const dateTime = (value: string | Date | null) =>
  value ? new Date(value).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—";

export default function DocumentPage() {
  const t = useT();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { document } = data;
  const version = document.originalSha256.slice(0, 12);
  const done = params.get("done");
  return (
    <div>
      <p>
        <Link to="/documents">{t("nav.esignature")}</Link>
      </p>
      <h1>
        {document.number}: {document.title}
      </h1>
      <p>
        <span className={`stage stage-${document.stage}`}>{t(`documents.stage.${document.stage}`)}</span>
      </p>
      {/* other outcomes (remind, resend, correct, cancel) are shown by SigningActions */}
      <Notice message={done === "sent" || done === "regenerate" ? `documents.done.${done}` : null} />
      <FormError error={result?.formError} />
      <div className="actions">
        {document.stage === "draft" ? (
          <Link className="btn" to={`/documents/${document.id}/parties`}>
            {t("documents.sign")}
          </Link>
        ) : null}
        <a className="btn secondary" href={`/documents/${document.id}/original.pdf`}>
          {t("documents.downloadOriginal")}
        </a>
        {document.sealedFileKey ? (
          <a className="btn secondary" href={`/documents/${document.id}/signed.pdf`}>
            {t("documents.downloadSigned")}
          </a>
        ) : null}
        {document.sealedFileKey ? <a href={data.portalUrl}>{t("documents.checkIntegrity")}</a> : null}
        {document.stage === "draft" && document.dealId ? (
          <Form method="post" className="inline">
            <SubmitButton name="intent" value="regenerate" className="btn secondary">
              {t("documents.regenerate")}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
      <SigningActions document={document} parties={data.parties} />
      <div className="grid2">
        <section className="card">
          <h2>{t("documents.details")}</h2>
          <dl className="facts">
            <dt>{t("documents.template")}</dt>
            <dd>{t(`documents.template.${document.template}`)}</dd>
            <dt>{t("documents.language")}</dt>
            <dd>{t(`lang.${document.language}`)}</dd>
            <dt>{t("crm.client")}</dt>
            <dd>{document.clientName || "—"}</dd>
            {document.amountMinor !== null && document.currency ? (
              <>
                <dt>{t("crm.gross")}</dt>
                <dd>{formatMoney(document.amountMinor, document.currency, language)}</dd>
              </>
            ) : null}
            <dt>{t("crm.owner")}</dt>
            <dd>{data.ownerName}</dd>
            <dt>{t("common.created")}</dt>
            <dd>{dateTime(document.createdAt)}</dd>
            {document.sentAt ? (
              <>
                <dt>{t("documents.sentAt")}</dt>
                <dd>{dateTime(document.sentAt)}</dd>
              </>
            ) : null}
            {document.deadlineAt ? (
              <>
                <dt>{t("documents.deadline")}</dt>
                <dd>{dateTime(document.deadlineAt)}</dd>
              </>
            ) : null}
            {document.completedAt ? (
              <>
                <dt>{t("documents.completedAt")}</dt>
                <dd>{dateTime(document.completedAt)}</dd>
              </>
            ) : null}
            {document.endReason ? (
              <>
                <dt>{t("documents.reason")}</dt>
                <dd>{document.endReason}</dd>
              </>
            ) : null}
            <dt>{t("documents.originalSha256")}</dt>
            <dd className="hash">{document.originalSha256}</dd>
            {document.sealedSha256 ? (
              <>
                <dt>{t("documents.sealedSha256")}</dt>
                <dd className="hash">{document.sealedSha256}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card">
          <h2>{t("documents.parties")}</h2>
          {data.parties.map((p) => (
            <div key={p.id} className="party">
              <h3>
                {t(`documents.party.${p.role}`)}: {p.name || "—"}
              </h3>
              <p>
                {[p.companyName, p.taxId && `${t("crm.taxId")} ${p.taxId}`, p.email, p.phone]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
              <p>
                <span className="badge">{t(`documents.partyStatus.${p.status}`)}</span>
                {p.declineReason ? ` ${p.declineReason}` : ""}
              </p>
            </div>
          ))}
        </section>
      </div>
      <h2>{t("documents.pages")}</h2>
      <div className="pages">
        {data.pageSizes.map((size, index) => (
          <PagePreview
            key={index}
            page={index + 1}
            pageSize={size}
            boxes={data.boxes}
            size="phone"
            src={`/documents/${document.id}/page/${index + 1}?size=phone&v=${version}`}
          />
        ))}
      </div>
      <h2>{t("documents.audit")}</h2>
      <p className="muted">
        {data.chainHead ? (
          <>
            {t("documents.chainOk")} <span className="hash">{data.chainHead}</span>
          </>
        ) : (
          t("documents.chainBroken")
        )}
      </p>
      {data.chainProblem && data.isAdmin ? (
        <div className="notice error" role="alert">
          {t("documents.chainBrokenAdmin", {
            problem: t(data.chainProblem.key, { position: data.chainProblem.position }),
          })}{" "}
          <Link to="/admin/audit">{t("admin.audit")}</Link>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="audit">
          <thead>
            <tr>
              <th>{t("documents.auditTime")}</th>
              <th>{t("documents.auditWho")}</th>
              <th>{t("documents.auditWhat")}</th>
              <th>IP</th>
              <th>{t("documents.auditAgent")}</th>
            </tr>
          </thead>
          <tbody>
            {data.audit.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.actorLabel || t(`documents.actor.${e.actorType}`)}</td>
                <td>{t(`audit.${e.action}`) === `audit.${e.action}` ? e.action : t(`audit.${e.action}`)}</td>
                <td>{e.ip}</td>
                <td className="muted">{e.userAgent.slice(0, 80)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
